package org.segstream.results;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.segstream.avro.Box;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.Instance;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.AvroSerdes;

/**
 * Results and dead letters as one line of text each, as {@code segstream tail} prints them. Everything comes from
 * record data, so every part is cut short and stripped of control characters.
 */
public final class ResultLines {
  /** Stream ids and topic names print at most this many characters (hex: this many digits). */
  public static final int MAX_SHOWN_CHARS = 64;
  /** A dead letter's reason prints at most this many characters. */
  public static final int MAX_REASON_CHARS = 300;
  /** A result's line names at most this many instances, then how many more there are. */
  public static final int MAX_SHOWN_INSTANCES = 20;

  private ResultLines() {}

  /**
   * One line per result: {@code <stream> seq=<n> latency=<ms>ms <w>x<h> <class>=<percent>% ... contours=<n>}, then
   * each tracked instance as {@code <class>#<id> area=<px> box=<x>,<y>,<w>x<h>} (at most {@value #MAX_SHOWN_INSTANCES},
   * then {@code +<n> more}), then {@code left-out=<part> (<reason>)} when the latency budget left a part out,
   * or {@code <stream> seq=<n> end-of-stream}.
   */
  public static String describe(SegmentationResult result) {
    StringBuilder line = new StringBuilder();
    line.append(printable(result.getStreamId(), MAX_SHOWN_CHARS)).append(" seq=").append(result.getSequence());
    if (result.getEndOfStream()) {
      return line.append(" end-of-stream").toString();
    }
    line.append(" latency=").append(result.getResultWallTimeMs() - result.getCaptureWallTimeMs()).append("ms");
    line.append(' ').append(result.getWidth()).append('x').append(result.getHeight());
    List<String> names = result.getClassNames();
    List<Float> fractions = result.getClassFractions();
    for (int k = 0; k < fractions.size(); k++) {
      String name = k < names.size() ? names.get(k).replaceAll("\\s+", "_") : "class" + k;
      line.append(' ').append(name).append('=').append(String.format(Locale.ROOT, "%.1f%%", 100 * fractions.get(k)));
    }
    line.append(" contours=").append(result.getContours().size());
    List<Instance> instances = result.getInstances();
    for (int i = 0; i < instances.size() && i < MAX_SHOWN_INSTANCES; i++) {
      Instance o = instances.get(i);
      int k = o.getClassIndex();
      String name = k >= 0 && k < names.size() ? printable(names.get(k), MAX_SHOWN_CHARS).replaceAll("\\s+", "_") : "class" + k;
      Box b = o.getBox();
      line.append(' ').append(name).append('#').append(o.getId()).append(" area=").append(o.getArea())
          .append(" box=").append(b.getX()).append(',').append(b.getY()).append(',').append(b.getWidth()).append('x').append(b.getHeight());
    }
    if (instances.size() > MAX_SHOWN_INSTANCES) {
      line.append(" +").append(instances.size() - MAX_SHOWN_INSTANCES).append(" more");
    }
    if (result.getLeftOut() != null) {
      line.append(" left-out=").append(result.getLeftOut().getPart())
          .append(" (").append(printable(result.getLeftOut().getReason(), MAX_REASON_CHARS)).append(')');
    }
    return line.toString();
  }

  /**
   * One line per dead letter: {@code <stage> <stream> seq=<n|-> <topic>-<partition>@<offset> reason=<message>}.
   * The stream is the failed record's key (the letter's, else the dead-letter record's own): as text
   * when it is printable UTF-8, else {@code 0x} and hex; {@code -} when there is none. The sequence
   * is the failed record's when its value decodes as a VideoFrame.
   */
  public static String describe(DeadLetter letter, byte[] recordKey, byte[] payload) {
    byte[] key = letter.getKey() != null ? bytes(letter.getKey()) : recordKey;
    return letter.getStage() + " " + streamOf(key) + " seq=" + sequenceOf(payload) + " "
        + printable(letter.getTopic(), MAX_SHOWN_CHARS) + "-" + letter.getPartition() + "@" + letter.getOffset()
        + " reason=" + printable(letter.getErrorMessage(), MAX_REASON_CHARS);
  }

  /** A key as a stream id: printable UTF-8 as it is, anything else as hex; at most {@link #MAX_SHOWN_CHARS}. */
  public static String streamOf(byte[] key) {
    if (key == null) {
      return "-";
    }
    String text = printableUtf8(key);
    if (text != null) {
      return text.length() <= MAX_SHOWN_CHARS ? text : text.substring(0, MAX_SHOWN_CHARS) + "...";
    }
    int shownBytes = Math.min(key.length, MAX_SHOWN_CHARS / 2);
    String hex = "0x" + HexFormat.of().formatHex(key, 0, shownBytes);
    return shownBytes < key.length ? hex + "...(" + key.length + " bytes)" : hex;
  }

  /** The key as text when it is well-formed UTF-8 of visible characters only (no spaces, controls or format marks). */
  private static String printableUtf8(byte[] key) {
    if (key.length == 0) {
      return null;
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(key))
          .toString();
    } catch (CharacterCodingException e) {
      return null;
    }
    boolean visible = text.codePoints().allMatch(c -> !Character.isISOControl(c) && !Character.isWhitespace(c)
        && Character.isDefined(c) && Character.getType(c) != Character.FORMAT && Character.getType(c) != Character.PRIVATE_USE
        && Character.getType(c) != Character.SURROGATE);
    return visible ? text : null;
  }

  /** The frame's sequence when the failed record's value decodes as a VideoFrame, else {@code -}. */
  public static String sequenceOf(byte[] payload) {
    try {
      return Long.toString(AvroSerdes.frameCodec().decode(payload).getSequence());
    } catch (RuntimeException e) {
      return "-";
    }
  }

  /** Free text from record data on one line: control characters as spaces, at most {@code max} characters. */
  public static String printable(String text, int max) {
    if (text == null) {
      return "";
    }
    StringBuilder out = new StringBuilder(Math.min(text.length(), max));
    for (int i = 0; i < text.length() && out.length() < max; i++) {
      char c = text.charAt(i);
      out.append(Character.isISOControl(c) || Character.getType(c) == Character.FORMAT ? ' ' : c);
    }
    return out.length() < text.length() ? out + "..." : out.toString();
  }

  /** The bytes of a record field, leaving the buffer's position as it was. */
  static byte[] bytes(ByteBuffer buffer) {
    ByteBuffer b = buffer.duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return bytes;
  }
}
