package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.avro.SegmentationResult;
import org.segstream.image.ImageCodec;
import org.segstream.kafka.EmbeddedBroker;
import org.segstream.kafka.Topics;
import org.segstream.results.StreamCollector;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * {@code examples/python/segstream_consumer.py} (Debian's python3-confluent-kafka, python3-avro, python3-pil)
 * against a real broker, on results the real processor made of two short clips through {@code run}: the script
 * stops by itself at both streams' end, and its PNGs hold exactly the published label maps.
 */
class PythonConsumerIT {
  static final String PYTHON = "/usr/bin/python3";
  static final String PACKAGES = "python3-confluent-kafka python3-avro python3-pil";
  static final Path SCRIPT = Path.of("examples/python/segstream_consumer.py");
  /** {@code <stream> seq=<n> <w>x<h> latency=<ms>ms <class>=<percent>% ... contours=<n> ... png=<file>}. */
  private static final Pattern RESULT_LINE =
      Pattern.compile("(\\S+) seq=(\\d+) (\\d+)x(\\d+) latency=(-?\\d+)ms (.*) contours=(\\d+)(?: instances=\\S+)? png=(.+)");
  private static final Pattern SHARE = Pattern.compile("(\\S+)=([0-9.]+)%");

  @TempDir Path dir;

  @Test
  void thePythonExampleDecodesSingleObjectResultsIntoPngsAndStopsAtEndOfStream() throws Exception {
    requirePython();
    Path cat = dir.resolve("cat.mp4");
    Path bars = dir.resolve("bars.mp4");
    String ffmpeg = SharedData.tool("ffmpeg").toString();
    SharedData.run(ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", SharedData.path("video/cat.mp4").toString(),
        "-frames:v", "12", "-c:v", "libx264", "-pix_fmt", "yuv420p", cat.toString());
    SharedData.run(ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10",
        "-frames:v", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", bars.toString());

    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      try (Admin admin = Admin.create(broker.settings().adminProperties())) {
        Topics.ensureCreated(admin);
      }
      List<SegmentationResult> published;
      try (StreamCollector collector = StreamCollector.open(broker.settings(), Set.of("cat", "bars"))) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SegstreamCli.execute(new String[] {"run", "--input", cat.toString(), "--stream-id", "cat", "--input",
            bars.toString(), "--stream-id", "bars", "--rate", "max", "--model", TestModels.tiny().toString(),
            "--stats-interval", "0", "--bootstrap-servers", broker.bootstrapServers()}, Map.of(),
            new PrintWriter(out, true), new PrintWriter(err, true));
        assertEquals(0, code, err + "\n" + out);
        published = collector.collectUntilEndOfStream(Duration.ofMinutes(2), r -> {});
      }
      List<SegmentationResult> frames = published.stream().filter(r -> !r.getEndOfStream()).toList();
      assertEquals(20, frames.size(), "12 + 8 frames segmented");

      Path pngs = dir.resolve("pngs");
      Path log = dir.resolve("python.log");
      Path errLog = dir.resolve("python.err");
      Process python = new ProcessBuilder(PYTHON, SCRIPT.toAbsolutePath().toString(), "--bootstrap-servers",
          broker.bootstrapServers(), "--from-beginning", "--out", pngs.toString(), "--idle-timeout-s", "60",
          "--schemas", Path.of("schemas").toAbsolutePath().toString())
          .redirectOutput(log.toFile()).redirectError(errLog.toFile()).start();
      try {
        assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the example did not stop within 120 s:\n" + read(log) + read(errLog));
      } finally {
        python.destroyForcibly();
      }
      String output = read(log);
      String errors = read(errLog);
      assertEquals(0, python.exitValue(), output + "\n" + errors);
      assertEquals("", errors, "nothing skipped, no warnings");
      assertFalse(output.contains("no record for"), "it stopped at the end of both streams, not on the idle timeout:\n" + output);
      assertTrue(output.contains("cat seq=12 end-of-stream") && output.contains("bars seq=8 end-of-stream"), output);
      assertTrue(output.contains("20 results, 2 stream(s) ended, 0 record(s) skipped"), output);

      Map<String, Matcher> lines = new HashMap<>();
      for (String line : output.lines().toList()) {
        Matcher m = RESULT_LINE.matcher(line);
        if (m.matches()) {
          assertFalse(lines.containsKey(m.group(1) + "/" + m.group(2)), "one line per result: " + line);
          lines.put(m.group(1) + "/" + m.group(2), m);
        }
      }
      assertEquals(frames.size(), lines.size(), output);
      for (SegmentationResult r : frames) {
        String name = r.getStreamId() + "/" + r.getSequence();
        Matcher line = lines.get(name);
        assertNotNull(line, "a line for " + name + ":\n" + output);
        assertEquals(r.getWidth(), Integer.parseInt(line.group(3)), name);
        assertEquals(r.getHeight(), Integer.parseInt(line.group(4)), name);
        assertEquals(r.getResultWallTimeMs() - r.getCaptureWallTimeMs(), Long.parseLong(line.group(5)), name);
        assertEquals(r.getContours().size(), Integer.parseInt(line.group(7)), name);
        List<Double> printedShares = new ArrayList<>();
        Matcher share = SHARE.matcher(line.group(6));
        while (share.find()) {
          assertEquals(r.getClassNames().get(printedShares.size()), share.group(1), name);
          printedShares.add(Double.parseDouble(share.group(2)) / 100);
        }
        assertEquals(r.getClassNames().size(), printedShares.size(), name);

        Path png = Path.of(line.group(8));
        assertEquals(pngs.resolve(String.format("%s-%06d.png", r.getStreamId(), r.getSequence())), png, name);
        BufferedImage image = ImageIO.read(png.toFile());
        assertNotNull(image, "a PNG: " + png);
        assertEquals(BufferedImage.TYPE_BYTE_INDEXED, image.getType(), "a palette PNG: " + png);
        assertEquals(r.getWidth(), image.getWidth(), name);
        assertEquals(r.getHeight(), image.getHeight(), name);
        byte[] expected = ImageCodec.decodePngGray(bytes(r.getLabelMapPng())).labels();
        Raster raster = image.getRaster();
        byte[] written = new byte[expected.length];
        long[] counts = new long[r.getClassNames().size()];
        for (int y = 0; y < image.getHeight(); y++) {
          for (int x = 0; x < image.getWidth(); x++) {
            int k = raster.getSample(x, y, 0);
            written[y * image.getWidth() + x] = (byte) k;
            counts[k]++;
          }
        }
        assertArrayEquals(expected, written, "the palette indices are the published class indices: " + png);
        for (int k = 0; k < counts.length; k++) {
          double fromPixels = (double) counts[k] / expected.length;
          assertEquals(r.getClassFractions().get(k), fromPixels, 1e-4, name + " class " + k + ": PNG pixels vs classFractions");
          assertEquals(r.getClassFractions().get(k), printedShares.get(k), 1e-4, name + " class " + k + ": printed share");
        }
        BufferedImage contours = ImageIO.read(pngs.resolve(String.format("%s-%06d-contours.png", r.getStreamId(),
            r.getSequence())).toFile());
        assertNotNull(contours, name + ": the contour drawing");
        assertEquals(r.getWidth(), contours.getWidth(), name);
        assertEquals(r.getHeight(), contours.getHeight(), name);
      }
      assertTrue(frames.stream().anyMatch(r -> r.getClassFractions().stream().filter(f -> f > 0).count() > 1),
          "some frame has more than one class, so the shares are really compared");
    }
  }

  /**
   * The example's own unit tests (no Kafka): single-object records of every schema version, Confluent-framed
   * records with the schema fetched once per id from a registry-shaped HTTP endpoint, and bad records.
   */
  @Test
  void thePythonExamplesUnitTestsPass() throws Exception {
    requirePython();
    Process tests = new ProcessBuilder(PYTHON, "-W", "error::ResourceWarning", "-m", "unittest", "-v",
        "test_segstream_consumer.py").directory(SCRIPT.toAbsolutePath().getParent().toFile()).redirectErrorStream(true)
        .start();
    String output = new String(tests.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(tests.waitFor(120, TimeUnit.SECONDS), output);
    assertEquals(0, tests.exitValue(), output);
    assertTrue(output.lines().anyMatch(l -> l.startsWith("test_confluent_records_decode_with_the_registrys_schema_fetched_once")
        && l.endsWith("... ok")), output);
    assertTrue(output.contains("Ran 5 tests") && output.strip().endsWith("OK"), output);
  }

  /** Skips (or fails in CI) when the example's Debian packages are not importable from {@value #PYTHON}. */
  static void requirePython() {
    SharedData.requireWorking(PACKAGES, PYTHON, "-c", "import confluent_kafka, avro.schema, PIL.Image");
  }

  static byte[] bytes(java.nio.ByteBuffer buffer) {
    java.nio.ByteBuffer b = buffer.duplicate();
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
