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
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.RecordValues;
import org.segstream.kafka.SchemaRegistrySettings;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueFormat;
import org.segstream.results.StreamCollector;
import org.segstream.testing.RegistryProcess;
import org.segstream.testing.SharedData;
import org.segstream.testing.TestModels;

/**
 * {@code examples/python/segstream_consumer.py} (Debian's python3-confluent-kafka, python3-avro, python3-pil)
 * against a real broker, on results the real processor made of two short clips through {@code run}: the script
 * stops by itself at both streams' end, and its PNGs hold exactly the published label maps; in either wire format,
 * the Confluent one with a real Apicurio registry ({@link RegistryProcess}), and on a topic holding both.
 */
class PythonConsumerIT {
  static final String PYTHON = "/usr/bin/python3";
  static final String PACKAGES = "python3-confluent-kafka python3-avro python3-pil";
  static final Path SCRIPT = Path.of("examples/python/segstream_consumer.py");
  /** {@code <stream> seq=<n> <w>x<h> latency=<ms>ms <class>=<percent>% ... contours=<n> ... png=<file>}. */
  private static final Pattern RESULT_LINE =
      Pattern.compile("(\\S+) seq=(\\d+) (\\d+)x(\\d+) latency=(-?\\d+)ms (.*) contours=(\\d+)(?: instances=\\S+)?(?: left-out=\\S+)? png=(.+)");
  private static final Pattern SHARE = Pattern.compile("(\\S+)=([0-9.]+)%");

  @TempDir Path dir;

  @Test
  void thePythonExampleDecodesSingleObjectResultsIntoPngsAndStopsAtEndOfStream() throws Exception {
    requirePython();
    Clips clips = clips();
    try (EmbeddedBroker broker = EmbeddedBroker.start()) {
      createTopics(broker);
      List<SegmentationResult> frames = run(broker.settings(), Map.of("cat", clips.cat(), "bars", clips.bars()));
      assertEquals(20, frames.size(), "12 + 8 frames segmented");

      String output = runPython(broker, dir.resolve("pngs"), "cat,bars");
      assertTrue(output.contains("cat seq=12 end-of-stream") && output.contains("bars seq=8 end-of-stream"), output);
      assertTrue(output.contains(summary(20, 2, 22, 0)), output);
      assertPngsArePublished(output, frames, dir.resolve("pngs"));
    }
  }

  /**
   * {@code run --value-format confluent} against a real Apicurio registry: the example fetches the writer schema by
   * id from Apicurio's Confluent-compatible API and decodes every result; then single-object results are appended to
   * the same topic (a migration half done) and it reads the mixed topic, both formats, in one pass.
   */
  @Test
  void thePythonExampleDecodesConfluentResultsFromARealRegistryAndAMixedTopic() throws Exception {
    requirePython();
    Clips clips = clips();
    Path registryLog = dir.resolve("apicurio.log");
    try (RegistryProcess registry = RegistryProcess.start(registryLog); EmbeddedBroker broker = EmbeddedBroker.start()) {
      createTopics(broker);
      String url = registry.ccompatUrl();
      KafkaSettings confluent = broker.settings().withValueFormat(ValueFormat.CONFLUENT, url, true);
      List<SegmentationResult> confluentFrames = run(confluent, Map.of("cat", clips.cat(), "bars", clips.bars()));
      assertEquals(20, confluentFrames.size(), "12 + 8 frames segmented");

      Path pngs = dir.resolve("confluent-pngs");
      String output = runPython(broker, pngs, "cat,bars", "--schema-registry-url", url);
      assertTrue(output.contains(" and the registry at " + url + ";"), output);
      assertTrue(output.contains(summary(20, 2, 0, 22)), output);
      assertPngsArePublished(output, confluentFrames, pngs);

      // results of one more stream single-object encoded, appended to the Confluent ones: one mixed topic
      List<SegmentationResult> singleObjectFrames = run(broker.settings(), Map.of("bars-single-object", clips.bars()));
      assertEquals(8, singleObjectFrames.size(), "8 frames segmented");
      Path mixedPngs = dir.resolve("mixed-pngs");
      String mixed = runPython(broker, mixedPngs, "cat,bars,bars-single-object", "--schema-registry-url", url);
      assertTrue(mixed.contains(summary(28, 3, 9, 22)), mixed);
      List<SegmentationResult> all = new ArrayList<>(confluentFrames);
      all.addAll(singleObjectFrames);
      assertPngsArePublished(mixed, all, mixedPngs);
    } catch (AssertionError e) {
      String log = read(registryLog);
      throw new AssertionError(e.getMessage() + "\nApicurio's log (end):\n" + log.substring(Math.max(0, log.length() - 4000)), e);
    }
  }

  private record Clips(Path cat, Path bars) {}

  /** The example's last line: every result decoded and segmented, records counted per wire format. */
  private static String summary(int results, int streams, int singleObject, int confluent) {
    return results + " results, " + streams + " stream(s) ended, 0 record(s) skipped; 0 not segmented (latency budget); "
        + "records decoded: " + singleObject + " single-object, " + confluent + " Confluent";
  }

  /** The first 12 frames of the shared cat clip and 8 of ffmpeg's test pattern, H.264. */
  private Clips clips() throws IOException, InterruptedException {
    Path cat = dir.resolve("cat.mp4");
    Path bars = dir.resolve("bars.mp4");
    String ffmpeg = SharedData.tool("ffmpeg").toString();
    SharedData.run(ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-i", SharedData.path("video/cat.mp4").toString(),
        "-frames:v", "12", "-c:v", "libx264", "-pix_fmt", "yuv420p", cat.toString());
    SharedData.run(ffmpeg, "-nostdin", "-loglevel", "error", "-y", "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10",
        "-frames:v", "8", "-c:v", "libx264", "-pix_fmt", "yuv420p", bars.toString());
    return new Clips(cat, bars);
  }

  private static void createTopics(EmbeddedBroker broker) {
    try (Admin admin = Admin.create(broker.settings().adminProperties())) {
      Topics.ensureCreated(admin);
    }
  }

  /**
   * {@code segstream run} of each clip under its stream id, in the value format of {@code settings}; returns the
   * published results, end of stream left out.
   */
  private static List<SegmentationResult> run(KafkaSettings settings, Map<String, Path> clipsByStream) throws Exception {
    List<String> args = new ArrayList<>(List.of("run"));
    clipsByStream.forEach((stream, clip) -> args.addAll(List.of("--input", clip.toString(), "--stream-id", stream)));
    // --rate max floods a busy machine: without a latency budget every frame is segmented, so every PNG is compared
    args.addAll(List.of("--rate", "max", "--latency-budget-ms", "0", "--model", TestModels.tiny().toString(),
        "--stats-interval", "0", "--bootstrap-servers", settings.bootstrapServers()));
    RecordValues values = settings.recordValues();
    if (values.format() == ValueFormat.CONFLUENT) {
      args.addAll(List.of("--value-format", "confluent", "--schema-registry-url",
          settings.clientProperties().get(SchemaRegistrySettings.URL)));
    }
    try (StreamCollector collector = StreamCollector.open(settings, clipsByStream.keySet())) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      int code = SegstreamCli.execute(args.toArray(String[]::new), Map.of(), new PrintWriter(out, true),
          new PrintWriter(err, true));
      assertEquals(0, code, err + "\n" + out);
      List<SegmentationResult> published = collector.collectUntilEndOfStream(Duration.ofMinutes(2), r -> {});
      assertEquals(0, collector.skipped(), "every result decodes in the format run wrote");
      return published.stream().filter(r -> !r.getEndOfStream()).toList();
    }
  }

  /**
   * Runs the example from the oldest record until each of {@code streams} (comma-separated) has ended; returns its
   * output, asserting it stopped by itself, with status 0, and wrote nothing to stderr (no record skipped, no warning).
   */
  private String runPython(EmbeddedBroker broker, Path pngs, String streams, String... extra)
      throws IOException, InterruptedException {
    String name = pngs.getFileName().toString();
    Path log = dir.resolve(name + ".log");
    Path errLog = dir.resolve(name + ".err");
    List<String> command = new ArrayList<>(List.of(PYTHON, SCRIPT.toAbsolutePath().toString(), "--bootstrap-servers",
        broker.bootstrapServers(), "--from-beginning", "--out", pngs.toString(), "--idle-timeout-s", "60",
        "--schemas", Path.of("schemas").toAbsolutePath().toString(), "--streams", streams));
    command.addAll(List.of(extra));
    Process python = new ProcessBuilder(command).redirectOutput(log.toFile()).redirectError(errLog.toFile()).start();
    try {
      assertTrue(python.waitFor(120, TimeUnit.SECONDS), "the example did not stop within 120 s:\n" + read(log) + read(errLog));
    } finally {
      python.destroyForcibly();
    }
    String output = read(log);
    String errors = read(errLog);
    assertEquals(0, python.exitValue(), output + "\n" + errors);
    assertEquals("", errors, "nothing skipped, no warnings");
    assertFalse(output.contains("no record for"), "it stopped at the end of every stream, not on the idle timeout:\n" + output);
    return output;
  }

  /** One output line per published result, and PNGs in {@code pngs} that hold exactly its label map and contours. */
  private static void assertPngsArePublished(String output, List<SegmentationResult> frames, Path pngs) throws IOException {
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
    assertTrue(output.contains("Ran 7 tests") && output.strip().endsWith("OK"), output);
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
