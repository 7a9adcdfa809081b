package org.segstream.dataset;

import java.nio.file.Path;

/** One image file and its mask file; {@code name} is the image's file name without extension. */
public record Pair(String name, Path image, Path mask) {}
