package org.segstream.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Inputs that cannot be ingested fail before Kafka is contacted, with a message naming the file. */
class IngestCommandTest {
  @TempDir Path dir;

  record Outcome(int exitCode, String out, String err) {}

  static Outcome run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    // an unreachable port: these failures must not need a broker
    String[] full = java.util.stream.Stream.concat(java.util.Arrays.stream(args),
        java.util.stream.Stream.of("--bootstrap-servers", "127.0.0.1:1")).toArray(String[]::new);
    int code = SegstreamCli.execute(full, Map.of(), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Outcome(code, out.toString(), err.toString());
  }

  @Test
  void missingFileFailsWithItsName() {
    Path missing = dir.resolve("nope.mp4");
    Outcome o = run("ingest", "--input", missing.toString(), "--stream-id", "s", "--rate", "max");
    assertEquals(1, o.exitCode(), o.err());
    assertTrue(o.err().startsWith("segstream: "), o.err());
    assertTrue(o.err().contains(missing.toString()) && o.err().contains("does not exist"), o.err());
  }

  @Test
  void randomBytesAreNotAVideo() throws Exception {
    Path junk = dir.resolve("junk.mp4");
    byte[] bytes = new byte[64 * 1024];
    new Random(5).nextBytes(bytes);
    Files.write(junk, bytes);
    Outcome o = run("ingest", "--input", junk.toString(), "--stream-id", "s");
    assertEquals(1, o.exitCode(), o.err());
    assertTrue(o.err().contains(junk.toString()) && o.err().contains("is not a video"), o.err());
  }

  @Test
  void emptyFileAndDirectoryFail() throws Exception {
    Path empty = Files.createFile(dir.resolve("empty.mp4"));
    Outcome o = run("ingest", "--input", empty.toString(), "--stream-id", "s");
    assertEquals(1, o.exitCode());
    assertTrue(o.err().contains(empty.toString()) && o.err().contains("empty"), o.err());
    Outcome d = run("ingest", "--input", dir.toString(), "--stream-id", "s");
    assertEquals(1, d.exitCode());
    assertTrue(d.err().contains("is a directory"), d.err());
  }

  @Test
  void badFlagsAreUsageErrors() throws Exception {
    Path file = Files.write(dir.resolve("x.mp4"), new byte[] {1});
    assertEquals(2, run("ingest", "--input", file.toString(), "--stream-id", "s", "--rate", "fast").exitCode());
    assertEquals(2, run("ingest", "--input", file.toString(), "--stream-id", "s", "--jpeg-quality", "0").exitCode());
    assertEquals(2, run("ingest", "--input", file.toString()).exitCode(), "--stream-id is required");
    assertEquals(2, run("ingest", "--input", file.toString(), "--stream-id", "s", "--drop-policy", "sideways").exitCode());
    assertEquals(2, run("ingest", "--input", file.toString(), "--stream-id", "s", "--rtsp-transport", "quic").exitCode());
    assertEquals(2, run("ingest", "--input", file.toString(), "--input", file.toString(), "--stream-id", "s").exitCode(),
        "one --stream-id per --input");
    assertEquals(2, run("ingest").exitCode(), "no source at all");
    Outcome live = run("ingest", "--input", "ftp://user:secret@cam/1", "--stream-id", "s");
    assertEquals(2, live.exitCode());
    assertTrue(live.err().contains("ftp://***@cam/1") && !live.err().contains("secret"), live.err());
    Outcome nativeLive = run("ingest", "--input", "rtsp://user:secret@cam/1", "--stream-id", "s", "--rate", "native");
    assertEquals(2, nativeLive.exitCode(), nativeLive.err());
    assertTrue(nativeLive.err().contains("--rate native is for files") && !nativeLive.err().contains("secret"), nativeLive.err());
  }

  @Test
  void aSourcesFileNamesStreamsAndIsChecked() throws Exception {
    Path list = Files.writeString(dir.resolve("sources.txt"), "# cameras\nfront\n");
    Outcome o = run("ingest", "--sources", list.toString());
    assertEquals(2, o.exitCode(), o.err());
    assertTrue(o.err().contains("line 2") && o.err().contains("stream-id uri"), o.err());
    Path dup = Files.writeString(dir.resolve("dup.txt"), "a " + dir.resolve("x.mp4") + "\na " + dir.resolve("y.mp4") + "\n");
    Outcome d = run("ingest", "--sources", dup.toString());
    assertEquals(2, d.exitCode(), d.err());
    assertTrue(d.err().contains("stream id a is given twice"), d.err());
  }
}
