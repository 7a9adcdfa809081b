package org.segstream.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.segstream.image.LabelMap;
import org.segstream.image.RgbImage;
import org.segstream.report.Overlay;
import org.segstream.synth.LabelledImage;
import org.segstream.synth.SyntheticClip;
import org.segstream.synth.SyntheticScenes;
import org.segstream.testing.Chromium;
import org.segstream.train.DemoModelRecipe;
import org.segstream.video.VideoWriter;

/**
 * The live view in a real browser: {@code segstream run --view-port} on two synthetic clips (exact ground truth),
 * the page opened in headless Chromium over the DevTools protocol. The stream list on the page is the streams fed;
 * in a screenshot, each stream's picture sits where the page says, the overlay tint covers the objects of the frame
 * shown and not the background; and the picture moves on.
 */
class ViewBrowserIT {
  private static final int WIDTH = 320;
  private static final int HEIGHT = 180;
  private static final int FRAMES = 360;
  private static final int RATE = 5;
  private static final Map<String, Long> SEEDS = new TreeMap<>(Map.of("left", 11L, "right", 23L));
  private static final Pattern VIEW_LINE = Pattern.compile("live view at (http://127\\.0\\.0\\.1:\\d+)/");
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  @TempDir Path dir;

  /** Where the frames shown can be, by the streams' figures right before and after the screenshot. */
  private record Shown(long before, long after) {}

  /** How a screenshot matched one frame's truth: tinted shares inside the objects and on the background. */
  private record Match(int frame, double objectTinted, double backgroundTinted, int objectPixels) {
    double score() {
      return objectTinted - backgroundTinted;
    }
  }

  @Test
  void thePageShowsEveryStreamWithItsMasksOverTheObjectsLive() throws Exception {
    Map<String, SyntheticClip> clips = new LinkedHashMap<>();
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Xmx1g", "-jar", Path.of(System.getProperty("segstream.jar", "target/segstream.jar")).toAbsolutePath().toString(),
        "run"));
    for (Map.Entry<String, Long> s : SEEDS.entrySet()) {
      SyntheticClip clip = new SyntheticClip(s.getValue(), WIDTH, HEIGHT, 2);
      clips.put(s.getKey(), clip);
      Path file = dir.resolve(s.getKey() + ".mkv");
      try (VideoWriter writer = VideoWriter.openLossless(file, WIDTH, HEIGHT, clip.fps())) {
        for (int i = 0; i < FRAMES; i++) {
          writer.write(clip.frame(i).image());
        }
      }
      command.addAll(List.of("--input", file.toString(), "--stream-id", s.getKey()));
    }
    Path model = DemoModelRecipe.cachedOrTrained(600, 0, new PrintWriter(System.out, true));
    command.addAll(List.of("--rate", Integer.toString(RATE), "--model", model.toString(), "--refine", "off",
        "--view-port", "0", "--view-join-timeout", "60s", "--stats-interval", "2s"));
    Path log = dir.resolve("run.log");
    Path shots = Path.of("target", "view-browser-it");
    Files.createDirectories(shots);
    Process run = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try (Chromium browser = Chromium.start(dir, 1200, 600)) {
      URI base = URI.create(awaitViewAddress(run, log));
      awaitJoinedFrames(base, run, log);

      browser.navigate(base + "/");
      browser.await("document.querySelectorAll('#streams [data-stream]').length === 2 && Array.from("
          + "document.querySelectorAll('img[id^=live-]')).every(function(i){return i.naturalWidth > 0;})",
          Duration.ofSeconds(30));
      JsonNode listed = browser.evaluate(
          "Array.from(document.querySelectorAll('#streams [data-stream]')).map(function(e){return e.dataset.stream;})");
      List<String> ids = new ArrayList<>();
      listed.forEach(n -> ids.add(n.asText()));
      assertEquals(List.copyOf(SEEDS.keySet()), ids, "the page lists exactly the streams fed");

      Map<String, Shown> shown1 = new LinkedHashMap<>();
      Map<String, int[]> boxes = pictureBoxes(browser, ids); // the figures' width moves the pictures: read them each time
      BufferedImage first = screenshot(browser, base, shown1, shots.resolve("view-1.png"));
      Map<String, Match> firstMatch = new LinkedHashMap<>();
      for (String id : ids) {
        Match m = bestMatch(first, boxes.get(id), clips.get(id), shown1.get(id));
        firstMatch.put(id, m);
        assertTrue(m.objectPixels() > 500, id + ": frame " + m.frame() + " has objects to look at");
        assertTrue(m.objectTinted() >= 0.6, id + ": the tint covers the objects of frame " + m.frame() + ": " + m);
        assertTrue(m.backgroundTinted() <= 0.1, id + ": the tint stays off the background of frame " + m.frame() + ": " + m);
      }

      // the picture moves on: the shown frames advance and the pixels change
      long target = shown1.values().stream().mapToLong(Shown::after).max().orElseThrow() + RATE;
      awaitSequences(base, target, run, log);
      Map<String, Shown> shown2 = new LinkedHashMap<>();
      Map<String, int[]> boxes2 = pictureBoxes(browser, ids);
      BufferedImage second = screenshot(browser, base, shown2, shots.resolve("view-2.png"));
      for (String id : ids) {
        Match m = bestMatch(second, boxes2.get(id), clips.get(id), shown2.get(id));
        assertTrue(m.frame() > firstMatch.get(id).frame(), id + ": a later frame is shown: " + firstMatch.get(id) + " then " + m);
        assertTrue(m.objectTinted() >= 0.6 && m.backgroundTinted() <= 0.1, id + ": the overlay follows the objects: " + m);
        double change = meanDifference(first, boxes.get(id), second, boxes2.get(id));
        assertTrue(change > 1.0, id + ": the picture changed (mean difference " + change + " levels)");
      }
      Files.copy(shots.resolve("view-2.png"), shots.resolve("view.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

      run.destroy(); // SIGTERM, as Ctrl-C
      assertTrue(run.waitFor(60, TimeUnit.SECONDS), "run did not stop within 60 s:\n" + read(log));
    } finally {
      run.destroyForcibly();
      run.waitFor(30, TimeUnit.SECONDS);
    }
  }

  /** Each stream's picture on the page: left, top, width, height in CSS px (= screenshot px at scale 1). */
  private static Map<String, int[]> pictureBoxes(Chromium browser, List<String> ids) throws Exception {
    Map<String, int[]> boxes = new LinkedHashMap<>();
    for (String id : ids) {
      JsonNode r = browser.evaluate("(function(){var b=document.getElementById('live-" + id
          + "').getBoundingClientRect();return [b.left,b.top,b.width,b.height];})()");
      int[] box = {(int) Math.round(r.get(0).asDouble()), (int) Math.round(r.get(1).asDouble()),
          (int) Math.round(r.get(2).asDouble()), (int) Math.round(r.get(3).asDouble())};
      assertEquals(WIDTH, box[2], id + " is shown at its natural width");
      assertEquals(HEIGHT, box[3], id + " is shown at its natural height");
      boxes.put(id, box);
    }
    return boxes;
  }

  private static String awaitViewAddress(Process run, Path log) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      Matcher m = VIEW_LINE.matcher(read(log));
      if (m.find()) {
        return m.group(1);
      }
      checkAlive(run, log, deadline, "the view's address");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  /** Until every stream has a frame joined with its result. */
  private static void awaitJoinedFrames(URI base, Process run, Path log) throws Exception {
    awaitSequences(base, 0, run, log);
  }

  private static void awaitSequences(URI base, long atLeast, Process run, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
    while (true) {
      checkAlive(run, log, deadline, "frames shown up to " + atLeast);
      Map<String, Long> seq = sequences(base);
      if (seq.keySet().equals(SEEDS.keySet()) && seq.values().stream().allMatch(s -> s >= atLeast)) {
        return;
      }
      checkAlive(run, log, deadline, "frames shown up to " + atLeast + " (now " + seq + ")");
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
    }
  }

  private static Map<String, Long> sequences(URI base) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(base.resolve("/streams.json")).build(),
        HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Long> out = new LinkedHashMap<>();
    for (JsonNode s : JSON.readTree(r.body()).get("streams")) {
      out.put(s.get("id").asText(), s.get("sequence").asLong());
    }
    return out;
  }

  private static BufferedImage screenshot(Chromium browser, URI base, Map<String, Shown> shown, Path file) throws Exception {
    // the page's figures say which frame is about to be shown; the browser may still show one a little older
    Map<String, Long> before = sequences(base);
    byte[] png = browser.screenshot();
    Map<String, Long> after = sequences(base);
    before.forEach((id, s) -> shown.put(id, new Shown(s, after.getOrDefault(id, s))));
    Files.write(file, png);
    BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
    assertTrue(image != null && image.getWidth() >= 2 * WIDTH, "a screenshot of the page");
    return image;
  }

  /**
   * The frame, among those the page could show, whose truth the screenshot matches best: per pixel, tinted when it is
   * nearer the frame blended with a class colour (as the overlay draws it) than the frame itself; objects and
   * background taken 3 px inside their edges (contours are drawn on the edges).
   */
  private static Match bestMatch(BufferedImage shot, int[] box, SyntheticClip clip, Shown shown) {
    Match best = null;
    // the browser may show a frame a little older than the figures said before (frames are kept at most at the view's rate)
    for (long f = Math.max(0, shown.before() - 2L * ViewServer.MAX_FPS); f <= shown.after(); f++) {
      Match m = match(shot, box, clip.frame((int) f), (int) f);
      if (best == null || m.score() > best.score()) {
        best = m;
      }
    }
    return best;
  }

  private static Match match(BufferedImage shot, int[] box, LabelledImage truth, int frame) {
    LabelMap labels = truth.truth();
    RgbImage raw = truth.image();
    int bg = SyntheticScenes.BACKGROUND_CLASS;
    int objectTinted = 0;
    int objects = 0;
    int backgroundTinted = 0;
    int backgrounds = 0;
    for (int y = 3; y < HEIGHT - 3; y++) {
      for (int x = 3; x < WIDTH - 3; x++) {
        int kind = interior(labels, x, y, 3, bg); // 1 object, 0 background, -1 near an edge
        if (kind < 0) {
          continue;
        }
        int rgb = shot.getRGB(box[0] + x, box[1] + y);
        boolean tinted = tinted(new int[] {(rgb >> 16) & 0xff, (rgb >> 8) & 0xff, rgb & 0xff}, raw, x, y, bg);
        if (kind == 1) {
          objects++;
          objectTinted += tinted ? 1 : 0;
        } else {
          backgrounds++;
          backgroundTinted += tinted ? 1 : 0;
        }
      }
    }
    return new Match(frame, objects == 0 ? 0 : objectTinted / (double) objects,
        backgrounds == 0 ? 1 : backgroundTinted / (double) backgrounds, objects);
  }

  private static int interior(LabelMap labels, int x, int y, int r, int bg) {
    boolean object = labels.get(x, y) != bg;
    for (int dy = -r; dy <= r; dy++) {
      for (int dx = -r; dx <= r; dx++) {
        if ((labels.get(x + dx, y + dy) != bg) != object) {
          return -1;
        }
      }
    }
    return object ? 1 : 0;
  }

  private static boolean tinted(int[] seen, RgbImage raw, int x, int y, int bg) {
    double plain = 0;
    for (int c = 0; c < 3; c++) {
      plain += sq(seen[c] - raw.get(x, y, c));
    }
    for (int cls = 0; cls < SyntheticScenes.CLASS_NAMES.size(); cls++) {
      if (cls == bg) {
        continue;
      }
      int[] colour = Overlay.colourOf(cls);
      double blended = 0;
      for (int c = 0; c < 3; c++) {
        blended += sq(seen[c] - (raw.get(x, y, c) * 0.55 + colour[c] * 0.45));
      }
      if (blended < plain) {
        return true;
      }
    }
    return false;
  }

  private static double sq(double v) {
    return v * v;
  }

  private static double meanDifference(BufferedImage a, int[] boxA, BufferedImage b, int[] boxB) {
    double sum = 0;
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        int p = a.getRGB(boxA[0] + x, boxA[1] + y);
        int q = b.getRGB(boxB[0] + x, boxB[1] + y);
        for (int shift = 0; shift <= 16; shift += 8) {
          sum += Math.abs(((p >> shift) & 0xff) - ((q >> shift) & 0xff));
        }
      }
    }
    return sum / (3.0 * WIDTH * HEIGHT);
  }

  private static void checkAlive(Process run, Path log, long deadline, String waitingFor) {
    if (!run.isAlive()) {
      fail("run exited " + run.exitValue() + " while waiting for " + waitingFor + ":\n" + read(log));
    }
    if (System.nanoTime() > deadline) {
      fail("no " + waitingFor + " within 180 s:\n" + read(log));
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
    } catch (IOException e) {
      return "(unreadable: " + e.getMessage() + ")";
    }
  }
}
