package org.segstream.view;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URLDecoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.segstream.config.InvalidSettingException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A small HTTP/1.1 server on a plain socket, one request per connection ({@code Connection: close}), GET and HEAD
 * only. Not the JDK's {@code HttpServer}: a live stream needs its socket closed when the browser stops reading, and
 * that server gives no way to close a response whose write is blocked. Here a watchdog closes every connection whose
 * write has been stuck for {@link #STALL_MILLIS}, so a slow or vanished browser costs one blocked thread for a few
 * seconds, never a queue. Connections over {@link #MAX_CONNECTIONS} are answered 503 at once.
 */
final class HttpLoop implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpLoop.class);
  static final int MAX_CONNECTIONS = 64;
  static final long STALL_MILLIS = 5_000;
  private static final int READ_TIMEOUT_MILLIS = 10_000;
  private static final int MAX_HEAD_BYTES = 16 * 1024;

  /** A parsed request: the path decoded, the query parameters, the header names in lower case. */
  record Request(String method, String path, Map<String, String> query, Map<String, String> headers) {}

  /** Serves one request on its connection. */
  interface Handler {
    void handle(Request request, Connection connection) throws IOException, InterruptedException;
  }

  /** One client's connection: its output, watched for stalls. */
  static final class Connection {
    private final Socket socket;
    private final OutputStream out;
    private volatile long writeStartedNanos;

    Connection(Socket socket) throws IOException {
      this.socket = socket;
      this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
    }

    /** Writes and flushes, watched: a write stuck past the stall time closes the socket under it. */
    void send(byte[]... parts) throws IOException {
      writeStartedNanos = System.nanoTime();
      try {
        for (byte[] p : parts) {
          out.write(p);
        }
        out.flush();
      } finally {
        writeStartedNanos = 0;
      }
    }

    /** A whole response with a body (or only the head for HEAD). */
    void respond(Request request, int status, String contentType, byte[] body, String... extraHeaders) throws IOException {
      StringBuilder head = new StringBuilder();
      head.append("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n")
          .append("Content-Type: ").append(contentType).append("\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n")
          .append("Cache-Control: no-store\r\n")
          .append("X-Content-Type-Options: nosniff\r\n")
          .append("Connection: close\r\n");
      for (String h : extraHeaders) {
        head.append(h).append("\r\n");
      }
      head.append("\r\n");
      byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
      if (request != null && request.method().equals("HEAD")) {
        send(headBytes);
      } else {
        send(headBytes, body);
      }
    }

    void respondText(Request request, int status, String text) throws IOException {
      respond(request, status, "text/plain; charset=utf-8", (text + "\n").getBytes(StandardCharsets.UTF_8));
    }

    boolean stalled(long nowNanos) {
      long started = writeStartedNanos;
      return started != 0 && nowNanos - started > STALL_MILLIS * 1_000_000L;
    }

    void close() {
      try {
        socket.close();
      } catch (IOException e) {
        log.debug("closing a view connection: {}", e.toString());
      }
    }
  }

  private final ServerSocket server;
  private final Handler handler;
  private final ExecutorService workers = Executors.newCachedThreadPool(daemon("segstream-view-http"));
  private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(daemon("segstream-view-watchdog"));
  private final Thread acceptor;
  private final Set<Connection> open = ConcurrentHashMap.newKeySet();
  private final AtomicInteger active = new AtomicInteger();
  private final AtomicLong refused = new AtomicLong();
  private final AtomicLong stalledClosed = new AtomicLong();
  private volatile boolean closing;

  private HttpLoop(ServerSocket server, Handler handler) {
    this.server = server;
    this.handler = handler;
    this.acceptor = new Thread(this::acceptLoop, "segstream-view-accept");
    acceptor.setDaemon(true);
  }

  /**
   * Listens on {@code host:port} (0: a free port).
   *
   * @throws InvalidSettingException when the host is unknown or the port taken
   */
  static HttpLoop start(String host, int port, Handler handler) {
    InetAddress address;
    try {
      address = InetAddress.getByName(host);
    } catch (UnknownHostException e) {
      throw new InvalidSettingException("view-host", "view host " + host + " is not a known host name or address: give an "
          + "address of this machine, e.g. 127.0.0.1");
    }
    ServerSocket socket = null;
    try {
      socket = new ServerSocket();
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(address, port), 50);
    } catch (BindException e) {
      closeQuietly(socket);
      throw new InvalidSettingException("view-port", "view port " + port + " at " + host + " is taken or not an address of this "
          + "machine (" + e.getMessage() + "): give a free port (0 picks one)");
    } catch (IOException e) {
      closeQuietly(socket);
      throw new IllegalStateException("cannot serve the view at " + host + ":" + port + ": " + e.getMessage(), e);
    }
    HttpLoop loop = new HttpLoop(socket, handler);
    loop.acceptor.start();
    loop.watchdog.scheduleWithFixedDelay(loop::closeStalled, 1, 1, TimeUnit.SECONDS);
    return loop;
  }

  int port() {
    return server.getLocalPort();
  }

  InetAddress address() {
    return server.getInetAddress();
  }

  /** Connections answered 503 because {@link #MAX_CONNECTIONS} were open. */
  long refused() {
    return refused.get();
  }

  /** Connections closed because their client stopped reading. */
  long stalledClosed() {
    return stalledClosed.get();
  }

  private void acceptLoop() {
    while (!closing) {
      Socket socket;
      try {
        socket = server.accept();
      } catch (IOException e) {
        if (!closing) {
          log.warn("the view stopped accepting connections: {}", e.toString());
        }
        return;
      }
      if (active.incrementAndGet() > MAX_CONNECTIONS) {
        active.decrementAndGet();
        refused.incrementAndGet();
        workers.execute(() -> refuse(socket));
        continue;
      }
      workers.execute(() -> serve(socket));
    }
  }

  private void refuse(Socket socket) {
    try (socket) {
      socket.setSoTimeout(1000);
      Connection c = new Connection(socket);
      c.respondText(null, 503, "too many viewers: " + MAX_CONNECTIONS + " connections are open, try again later");
    } catch (IOException e) {
      log.debug("refusing a view connection: {}", e.toString());
    }
  }

  private void serve(Socket socket) {
    Connection connection = null;
    try {
      socket.setSoTimeout(READ_TIMEOUT_MILLIS);
      socket.setTcpNoDelay(true);
      connection = new Connection(socket);
      open.add(connection);
      Request request = read(socket.getInputStream());
      if (request == null) {
        connection.respondText(null, 400, "bad request");
      } else if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
        connection.respond(request, 405, "text/plain; charset=utf-8", "GET or HEAD only\n".getBytes(StandardCharsets.UTF_8),
            "Allow: GET, HEAD");
      } else {
        handler.handle(request, connection);
      }
    } catch (SocketException e) {
      log.debug("a view client went away: {}", e.toString());
    } catch (IOException e) {
      log.debug("a view connection failed: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      log.warn("a view request failed: {}", e.toString(), e);
    } finally {
      if (connection != null) {
        open.remove(connection);
        connection.close();
      } else {
        closeQuietly(socket);
      }
      active.decrementAndGet();
    }
  }

  /** The request line and headers; null when malformed or over {@link #MAX_HEAD_BYTES}. */
  static Request read(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0; // the last four bytes read, to find the blank line that ends the head
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0 || head.size() >= MAX_HEAD_BYTES) {
        return null;
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
    String[] requestLine = lines[0].split(" ");
    if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.")) {
      return null;
    }
    String target = requestLine[1];
    int q = target.indexOf('?');
    String rawPath = q < 0 ? target : target.substring(0, q);
    Map<String, String> query = new HashMap<>();
    if (q >= 0) {
      for (String pair : target.substring(q + 1).split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          query.putIfAbsent(decode(pair.substring(0, eq)), decode(pair.substring(eq + 1)));
        }
      }
    }
    Map<String, String> headers = new HashMap<>();
    for (int i = 1; i < lines.length; i++) {
      int colon = lines[i].indexOf(':');
      if (colon > 0) {
        headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
      }
    }
    return new Request(requestLine[0], rawPath, query, headers);
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return s;
    }
  }

  private void closeStalled() {
    long now = System.nanoTime();
    for (Connection c : open) {
      if (c.stalled(now)) {
        stalledClosed.incrementAndGet();
        log.debug("closing a view connection whose client stopped reading");
        c.close();
      }
    }
  }

  static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 503 -> "Service Unavailable";
      default -> "Status";
    };
  }

  private static java.util.concurrent.ThreadFactory daemon(String name) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  private static void closeQuietly(java.io.Closeable c) {
    if (c != null) {
      try {
        c.close();
      } catch (IOException e) {
        log.debug("closing: {}", e.toString());
      }
    }
  }

  @Override
  public void close() {
    closing = true;
    closeQuietly(server);
    open.forEach(Connection::close);
    watchdog.shutdownNow();
    workers.shutdownNow();
    try {
      acceptor.join(5000);
      if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
        log.warn("view connections still open after 5 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
