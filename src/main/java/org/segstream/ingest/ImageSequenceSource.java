package org.segstream.ingest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.segstream.config.Secrets;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageDecodeException;
import org.segstream.image.RgbImage;

/**
 * A directory of numbered still images played as a video (the DAVIS layout {@code 00000.jpg, 00001.jpg, ...}):
 * frames in the order of the number in their names, then by name, at {@code frameRate} frames/s.
 */
public record ImageSequenceSource(Path directory, double frameRate) implements FrameSource {
  /** DAVIS sequences are 24 frames/s. */
  public static final double DEFAULT_FRAME_RATE = 24;

  private static final Set<String> EXTENSIONS = Set.of("jpg", "jpeg", "png", "bmp", "webp", "tif", "tiff");
  private static final Pattern LAST_NUMBER = Pattern.compile("(\\d+)(?!.*\\d)");

  public ImageSequenceSource {
    directory = directory.toAbsolutePath().normalize();
    if (!(frameRate > 0) || Double.isInfinite(frameRate)) {
      throw new IllegalArgumentException("the frame rate of an image sequence must be a positive number, got " + frameRate);
    }
  }

  @Override
  public String uri() {
    return Secrets.maskUris(directory.toString());
  }

  @Override
  public boolean live() {
    return false;
  }

  @Override
  public Pacing defaultPacing() {
    return Pacing.nativeRate();
  }

  /** The image files of the directory in frame order; frame i of the stream is element i. */
  public List<Path> frames() {
    return listImages(directory);
  }

  @Override
  public FrameReader open() {
    if (!Files.isDirectory(directory)) {
      throw new IngestException("the input " + directory + " is not a directory of numbered images: give a directory such as JPEGImages/480p/<sequence>");
    }
    List<Path> files = frames();
    if (files.isEmpty()) {
      throw new IngestException("the directory " + directory + " holds no images (" + String.join(", ", EXTENSIONS.stream().sorted().toList())
          + "): give a directory of numbered frames");
    }
    RgbImage first = read(files.get(0));
    return new SequenceReader(files, first, frameRate);
  }

  /**
   * The image files of a directory in frame order: by the last number in the file name, then by name (files
   * without a number after those with one). Hidden files are ignored.
   */
  public static List<Path> listImages(Path directory) {
    try (Stream<Path> list = Files.list(directory)) {
      return list.filter(Files::isRegularFile)
          .filter(p -> !p.getFileName().toString().startsWith("."))
          .filter(p -> EXTENSIONS.contains(extension(p)))
          .sorted(Comparator.comparingLong((Path p) -> frameNumber(p).orElse(Long.MAX_VALUE))
              .thenComparing(p -> p.getFileName().toString()))
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list " + directory + ": " + e.getMessage(), e);
    }
  }

  /** The last run of digits in the file name without its extension ({@code frame_0012.png} → 12), if any. */
  public static OptionalLong frameNumber(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    String stem = dot > 0 ? name.substring(0, dot) : name;
    Matcher m = LAST_NUMBER.matcher(stem);
    if (!m.find() || m.group(1).length() > 18) {
      return OptionalLong.empty();
    }
    return OptionalLong.of(Long.parseLong(m.group(1)));
  }

  private static String extension(Path p) {
    String name = p.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
  }

  private static RgbImage read(Path file) {
    try {
      return ImageCodec.decode(Files.readAllBytes(file));
    } catch (IOException e) {
      throw new IngestException("cannot read the frame " + file + ": " + e.getMessage(), e);
    } catch (ImageDecodeException e) {
      throw new IngestException("the frame " + file + " is not a readable image (" + e.getMessage() + "): replace or remove it", e);
    }
  }

  /** Decodes one file per frame; presentation time = index / frame rate. */
  private static final class SequenceReader implements FrameReader {
    private final List<Path> files;
    private final double frameRate;
    private final int width;
    private final int height;
    private RgbImage pending;
    private int index;

    SequenceReader(List<Path> files, RgbImage first, double frameRate) {
      this.files = files;
      this.pending = first;
      this.frameRate = frameRate;
      this.width = first.width();
      this.height = first.height();
    }

    @Override
    public CapturedFrame next() {
      if (index >= files.size()) {
        return null;
      }
      RgbImage image = pending != null ? pending : read(files.get(index));
      pending = null;
      long ptsUs = Math.round(index * 1_000_000.0 / frameRate);
      index++;
      return new CapturedFrame(image, ptsUs);
    }

    @Override
    public double frameRate() {
      return frameRate;
    }

    @Override
    public int width() {
      return width;
    }

    @Override
    public int height() {
      return height;
    }

    @Override
    public void close() {
      pending = null;
    }
  }
}
