package org.segstream.report;

import java.nio.file.Path;

/**
 * What a report writer wrote.
 *
 * @param summary the report's table of figures, as Markdown, for a console
 * @param overlayVideo the overlay video's file, null when the report has none
 */
public record WrittenReport(Path markdown, Path json, String summary, Path overlayVideo) {}
