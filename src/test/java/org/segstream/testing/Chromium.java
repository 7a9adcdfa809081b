package org.segstream.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * Debian's headless Chromium driven through the DevTools protocol over the JDK's WebSocket client: on a page that
 * streams (MJPEG) {@code --screenshot} never returns, so the test navigates, evaluates script and captures
 * screenshots itself. One browser, one page; {@link #close()} ends the browser and removes its profile.
 */
public final class Chromium implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

  private final Process process;
  private final Path profile;
  private final WebSocket page;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();

  private Chromium(Process process, Path profile, WebSocket page) {
    this.process = process;
    this.profile = profile;
    this.page = page;
  }

  /** Starts {@code chromium} (skips the test when it is absent, unless SEGSTREAM_REQUIRE_ALL=1) with a page of width × height CSS px. */
  public static Chromium start(Path workDir, int width, int height) throws Exception {
    Path binary = SharedData.tool("chromium");
    Path profile = Files.createTempDirectory(workDir, "chromium-profile-");
    Path log = workDir.resolve("chromium.log");
    Process process = new ProcessBuilder(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--remote-debugging-port=0", "--user-data-dir=" + profile, "--window-size=" + width + "," + height,
        "--hide-scrollbars", "--no-first-run", "--no-default-browser-check", "--disable-extensions", "--mute-audio",
        "--force-device-scale-factor=1", "about:blank")
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      int port = devToolsPort(profile, process, log);
      Chromium[] self = new Chromium[1];
      // the first page target Chromium opened
      String targets = HttpClient.newHttpClient().send(
          java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/json/list")).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      String wsUrl = null;
      for (JsonNode t : JSON.readTree(targets)) {
        if (t.path("type").asText().equals("page")) {
          wsUrl = t.path("webSocketDebuggerUrl").asText();
          break;
        }
      }
      if (wsUrl == null) {
        throw new IllegalStateException("Chromium has no page target: " + targets);
      }
      Listener listener = new Listener(message -> self[0].received(message));
      WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder().buildAsync(URI.create(wsUrl), listener)
          .get(30, TimeUnit.SECONDS);
      self[0] = new Chromium(process, profile, socket);
      return self[0];
    } catch (Exception e) {
      process.destroyForcibly();
      throw e;
    }
  }

  /** Chromium writes its DevTools port into the profile once it listens. */
  private static int devToolsPort(Path profile, Process process, Path log) throws IOException {
    Path file = profile.resolve("DevToolsActivePort");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      if (Files.isRegularFile(file)) {
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (!lines.isEmpty() && !lines.get(0).isBlank()) {
          return Integer.parseInt(lines.get(0).trim());
        }
      }
      if (!process.isAlive()) {
        throw new IllegalStateException("Chromium exited " + process.exitValue() + ":\n" + Files.readString(log));
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("Chromium wrote no DevToolsActivePort within 60 s:\n" + Files.readString(log));
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** Calls a DevTools method and returns its result; a protocol error throws. */
  public JsonNode call(String method, Map<String, Object> params) throws Exception {
    int id = ids.incrementAndGet();
    ObjectNode message = JSON.createObjectNode();
    message.put("id", id);
    message.put("method", method);
    message.set("params", JSON.valueToTree(params));
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    calls.put(id, answer);
    page.sendText(JSON.writeValueAsString(message), true).get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    JsonNode response;
    try {
      response = answer.get(CALL_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new IllegalStateException("Chromium did not answer " + method + " within " + CALL_TIMEOUT, e);
    } finally {
      calls.remove(id);
    }
    if (response.has("error")) {
      throw new IllegalStateException(method + " failed: " + response.get("error"));
    }
    return response.path("result");
  }

  public void navigate(String url) throws Exception {
    call("Page.enable", Map.of());
    JsonNode result = call("Page.navigate", Map.of("url", url));
    if (result.hasNonNull("errorText")) {
      throw new IllegalStateException("navigating to " + url + " failed: " + result.get("errorText").asText());
    }
  }

  /** The value of a JavaScript expression (JSON-serialisable), awaiting a promise. */
  public JsonNode evaluate(String expression) throws Exception {
    JsonNode result = call("Runtime.evaluate", Map.of("expression", expression, "returnByValue", true, "awaitPromise", true));
    if (result.has("exceptionDetails")) {
      throw new IllegalStateException("script failed: " + expression + ": " + result.get("exceptionDetails"));
    }
    return result.path("result").path("value");
  }

  /** Waits until the expression is true, or fails naming it. */
  public void await(String expression, Duration timeout) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!evaluate(expression).asBoolean(false)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not true within " + timeout + ": " + expression);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
  }

  /** A PNG of the page's viewport. */
  public byte[] screenshot() throws Exception {
    JsonNode result = call("Page.captureScreenshot", Map.of("format", "png"));
    return Base64.getDecoder().decode(result.path("data").asText());
  }

  private void received(String message) {
    try {
      JsonNode node = JSON.readTree(message);
      if (node.has("id")) {
        CompletableFuture<JsonNode> call = calls.get(node.get("id").asInt());
        if (call != null) {
          call.complete(node);
        }
      }
    } catch (IOException e) {
      calls.values().forEach(c -> c.completeExceptionally(e));
    }
  }

  @Override
  public void close() throws InterruptedException, IOException {
    page.abort();
    // Chromium's helpers (zygote, renderer, network service) outlive the browser process for a moment and
    // keep writing the profile: stop them all
    List<ProcessHandle> helpers = process.descendants().toList();
    process.destroy();
    helpers.forEach(ProcessHandle::destroy);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(10, TimeUnit.SECONDS);
    }
    for (ProcessHandle helper : helpers) {
      try {
        helper.onExit().get(10, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
        helper.destroyForcibly();
      }
    }
    try (var files = Files.walk(profile)) {
      List<Path> all = new ArrayList<>(files.toList());
      java.util.Collections.reverse(all);
      for (Path p : all) {
        Files.deleteIfExists(p);
      }
    } catch (IOException | java.io.UncheckedIOException e) {
      // a profile file that came or went while walking: the temp dir is the test's and goes with it
    }
  }

  /** Gathers fragmented text messages and hands each whole one on. */
  private static final class Listener implements WebSocket.Listener {
    private final java.util.function.Consumer<String> onMessage;
    private final StringBuilder partial = new StringBuilder();

    Listener(java.util.function.Consumer<String> onMessage) {
      this.onMessage = onMessage;
    }

    @Override
    public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
      partial.append(data);
      if (last) {
        String message = partial.toString();
        partial.setLength(0);
        onMessage.accept(message);
      }
      webSocket.request(1);
      return null;
    }
  }
}
