package org.segstream.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes report.json (every figure) and report.md (for people) into a report directory. */
public final class ReportFiles {
  private ReportFiles() {}

  public static Path writeJson(Path dir, Object report) {
    Path file = dir.resolve("report.json");
    try {
      Files.createDirectories(dir);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), report);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

  public static Path writeMarkdown(Path dir, String markdown) {
    Path file = dir.resolve("report.md");
    try {
      Files.createDirectories(dir);
      Files.writeString(file, markdown);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }
}
