package org.segstream.view;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * The view's pages and its JSON, self-contained: inline style and a few lines of inline script (no CDN, no
 * external asset, so the page works offline). The pictures are plain {@code <img>} elements on the MJPEG streams,
 * at their natural size; the script only refreshes the figures and reloads the page when streams come or go.
 */
final class ViewPage {
  /**
   * Streams playing live on the overview at most: a browser opens about six connections per site over HTTP/1.1 and
   * each MJPEG holds one, so the rest are links (each plays on its own page).
   */
  static final int LIVE_TILES = 4;

  private static final String STYLE = """
      body{font:14px system-ui,sans-serif;margin:16px;background:#111;color:#eee}
      h1{font-size:18px;margin:0 0 12px}
      ul.streams{display:flex;flex-wrap:wrap;gap:16px;list-style:none;padding:0;margin:0}
      li.stream{background:#222;padding:8px}
      li.stream img{display:block;margin:6px 0}
      li.unplayed{width:24em}
      .figures,.uri{font-family:monospace;color:#bbb}
      /* text takes the picture's width and never widens the tile, so the figures' updates never move a picture */
      .name,.figures{width:0;min-width:100%;overflow-wrap:anywhere}
      a{color:#8cf}
      """;

  /** Refreshes every stream's figures once a second; reloads when the set of streams changed. */
  private static final String SCRIPT = """
      function shown(s){return 'fps '+s.fps.toFixed(1)+' \\u00b7 latency '+(s.latencyMs<0?'-':Math.round(s.latencyMs)+' ms')
        +' \\u00b7 dead letters '+s.deadLetters+' \\u00b7 frame '+s.sequence+(s.ended?' \\u00b7 ended':'');}
      function ids(list){return list.map(function(s){return s.id;}).sort().join('\\n');}
      var onPage=Array.prototype.map.call(document.querySelectorAll('[data-stream]'),function(e){return e.dataset.stream;});
      function refresh(){
        fetch('/streams.json',{cache:'no-store'}).then(function(r){return r.json();}).then(function(board){
          if(!SINGLE&&ids(board.streams)!==onPage.slice().sort().join('\\n')){location.reload();return;}
          board.streams.forEach(function(s){
            var e=document.querySelector('[data-stream="'+CSS.escape(s.id)+'"] .figures');
            if(e){e.textContent=shown(s);}
          });
        }).catch(function(){});
      }
      setInterval(refresh,1000);refresh();
      """;

  private ViewPage() {}

  /** The overview: every live stream, the first {@link #LIVE_TILES} playing. */
  static String index(List<LiveStream.Figures> streams) {
    StringBuilder body = new StringBuilder();
    body.append("<h1>Segstream live view: ").append(streams.size()).append(" stream").append(streams.size() == 1 ? "" : "s")
        .append("</h1>\n");
    if (streams.isEmpty()) {
      body.append("<p id=\"empty\">No stream yet: streams appear here with their first frame.</p>\n");
    }
    body.append("<ul id=\"streams\" class=\"streams\">\n");
    for (int i = 0; i < streams.size(); i++) {
      tile(body, streams.get(i), i < LIVE_TILES);
    }
    body.append("</ul>\n");
    if (streams.size() > LIVE_TILES) {
      body.append("<p>The first ").append(LIVE_TILES).append(" play here; open another stream to watch it.</p>\n");
    }
    return page("Segstream live view", body, false);
  }

  /** One stream, on a page of its own. */
  static String single(LiveStream.Figures stream) {
    StringBuilder body = new StringBuilder("<p><a href=\"/\">all streams</a></p>\n<ul id=\"streams\" class=\"streams\">\n");
    tile(body, stream, true);
    body.append("</ul>\n");
    return page("Segstream: " + stream.id(), body, true);
  }

  private static void tile(StringBuilder body, LiveStream.Figures s, boolean live) {
    String id = html(s.id());
    String path = "/stream/" + path(s.id());
    body.append("<li class=\"stream").append(live ? "" : " unplayed").append("\" data-stream=\"").append(id).append("\"><div class=\"name\">")
        .append("<a href=\"").append(path).append("\">").append(id).append("</a> <span class=\"uri\">")
        .append(html(s.sourceUri())).append("</span></div>");
    if (live) {
      body.append("<img id=\"live-").append(id).append("\" alt=\"").append(id).append(", live\" src=\"").append(path)
          .append("/mjpeg\">");
    }
    body.append("<div class=\"figures\">").append(html(figures(s))).append("</div>")
        .append("<a href=\"").append(path).append("/snapshot.png\">snapshot (PNG)</a></li>\n");
  }

  private static String page(String title, StringBuilder body, boolean single) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + html(title) + "</title>\n<style>"
        + STYLE + "</style></head>\n<body>\n" + body + "<script>var SINGLE=" + single + ";\n" + SCRIPT
        + "</script>\n</body></html>\n";
  }

  static String figures(LiveStream.Figures s) {
    return String.format(Locale.ROOT, "fps %.1f \u00b7 latency %s \u00b7 dead letters %d \u00b7 frame %d%s", s.framesPerSecond(),
        Double.isNaN(s.latencyMs()) ? "-" : Math.round(s.latencyMs()) + " ms", s.deadLetters(), s.shownSequence(),
        s.ended() ? " \u00b7 ended" : "");
  }

  static String json(StreamBoard board, long nowNanos) {
    StringBuilder out = new StringBuilder("{\"streams\":[");
    List<LiveStream.Figures> streams = board.figures(nowNanos);
    for (int i = 0; i < streams.size(); i++) {
      LiveStream.Figures s = streams.get(i);
      out.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"id\":%s,\"sourceUri\":%s,\"fps\":%.2f,\"latencyMs\":%.1f,\"deadLetters\":%d,\"results\":%d,\"givenUp\":%d,"
              + "\"sequence\":%d,\"ended\":%b}",
          quote(s.id()), quote(s.sourceUri()), s.framesPerSecond(), Double.isNaN(s.latencyMs()) ? -1.0 : s.latencyMs(),
          s.deadLetters(), s.results(), s.givenUp(), s.shownSequence(), s.ended()));
    }
    out.append(String.format(Locale.ROOT, "],\"maxStreams\":%d,\"framesOverCap\":%d,\"unattributedDeadLetters\":%d,"
        + "\"pendingBytes\":%d}", board.maxStreams(), board.overCap(), board.unattributedDeadLetters(), board.pendingBytes()));
    return out.toString();
  }

  static String html(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (char c : s.toCharArray()) {
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  static String quote(String s) {
    StringBuilder out = new StringBuilder("\"");
    for (char c : s.toCharArray()) {
      if (c == '"' || c == '\\') {
        out.append('\\').append(c);
      } else if (c < 0x20 || c == '<' || c == '>' || c == '&' || c == 0x2028 || c == 0x2029) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        out.append(c);
      }
    }
    return out.append('"').toString();
  }

  /** A stream id as a path segment. */
  static String path(String id) {
    return URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A stream id for a plain-text message: control characters out, at most 100 characters. */
  static String printable(String s) {
    String clean = s.replaceAll("\\p{Cntrl}", "?");
    return clean.length() <= 100 ? clean : clean.substring(0, 100) + "...";
  }
}
