package org.segstream.deploy;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacv.FFmpegFrameGrabber;
import org.bytedeco.javacv.FFmpegFrameRecorder;
import org.bytedeco.javacv.FrameGrabber;
import org.bytedeco.javacv.FrameRecorder;
import org.bytedeco.opencv.global.opencv_imgcodecs;
import org.bytedeco.opencv.global.opencv_imgproc;
import org.tensorflow.TensorFlow;

/**
 * Unpacks every native library Segstream's commands use (FFmpeg for sources and the overlay video,
 * OpenCV and the OpenBLAS it links, TensorFlow) by loading them, so JavaCPP extracts them all into
 * its cache directory ({@code -Dorg.bytedeco.javacpp.cachedir=DIR}) now. The container image runs
 * this at build time, so a fresh container starts without unpacking ~800 MB; loading them also
 * proves, at build time, that the base image has what they link (glibc, libxcb...).
 *
 * <p>JavaCPP uses a cache directory only when it may write to it, which a read-only root file
 * system forbids; so this also writes a Java argument file that puts the unpacked directories on
 * {@code java.library.path} and tells JavaCPP to look there first ({@code pathsfirst}). Started
 * with {@code java @FILE ...}, Segstream loads the natives in place and writes nothing.
 *
 * <p>{@code java -Dorg.bytedeco.javacpp.cachedir=DIR -cp segstream.jar org.segstream.deploy.NativeCache [ARGFILE]}
 */
public final class NativeCache {
  private NativeCache() {}

  public static void main(String[] args) throws IOException {
    if (args.length > 1) {
      throw new IllegalArgumentException("usage: NativeCache [JAVA_ARGUMENT_FILE_TO_WRITE]");
    }
    long begin = System.nanoTime();
    try {
      FFmpegFrameGrabber.tryLoad();
      FFmpegFrameRecorder.tryLoad();
    } catch (FrameGrabber.Exception | FrameRecorder.Exception e) {
      throw new IllegalStateException("FFmpeg's natives do not load on this system: " + e.getMessage(), e);
    }
    Loader.load(opencv_imgproc.class);
    Loader.load(opencv_imgcodecs.class);
    String tensorflow = TensorFlow.version();
    Path cache = Loader.getCacheDir().toPath();
    List<Path> directories = libraryDirectories(cache);
    System.out.printf("natives of FFmpeg, OpenCV, OpenBLAS and TensorFlow %s unpacked in %s (%d MB, %d directories) in %d ms%n",
        tensorflow, cache, sizeOf(cache) >> 20, directories.size(), (System.nanoTime() - begin) / 1_000_000);
    if (args.length == 1) {
      Path argFile = Path.of(args[0]);
      Files.writeString(argFile, javaArguments(directories));
      System.out.println("java arguments to load them in place: " + argFile);
    }
  }

  /** The directories JavaCPP loaded the libraries from, all inside the cache. */
  private static List<Path> libraryDirectories(Path cache) {
    List<Path> directories = Loader.getLoadedLibraries().values().stream()
        .map(file -> Path.of(file).toAbsolutePath().getParent())
        .distinct()
        .sorted()
        .toList();
    for (Path dir : directories) {
      if (!dir.startsWith(cache.toAbsolutePath())) {
        throw new IllegalStateException("a native library was loaded from " + dir + ", outside JavaCPP's cache " + cache
            + ": remove it from java.library.path so the image carries its own copy");
      }
    }
    return directories;
  }

  /**
   * A {@code java @file} argument file (one option a line; quoted, as paths may hold spaces): the
   * unpacked directories first, then this JVM's own library path.
   */
  static String javaArguments(List<Path> libraryDirectories) {
    String path = Stream.concat(
            libraryDirectories.stream().map(Path::toString),
            Stream.of(System.getProperty("java.library.path", "")).filter(p -> !p.isEmpty()))
        .collect(Collectors.joining(File.pathSeparator));
    return "-Dorg.bytedeco.javacpp.pathsfirst=true\n\"-Djava.library.path=" + path.replace("\\", "\\\\") + "\"\n";
  }

  private static long sizeOf(Path dir) {
    try (Stream<Path> files = Files.walk(dir)) {
      // the libraries' version symlinks would count twice
      return files.filter(f -> Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)).mapToLong(NativeCache::fileSize).sum();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + dir, e);
    }
  }

  private static long fileSize(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot measure " + file, e);
    }
  }
}
