package org.segstream.process;

import java.util.List;
import java.util.function.Function;
import org.segstream.avro.SegmentationResult;
import org.segstream.kafka.ResultRecords;
import org.segstream.refine.Contour;
import org.segstream.refine.Contours;

/**
 * Keeps a result under the record limit before it is sent, because under exactly-once a record the
 * producer refuses aborts the whole transaction: contours are simplified further (Douglas–Peucker at
 * 4, 16 and 64 times the configured tolerance), then dropped (with {@code contoursDropped} set);
 * only a result whose label map alone is too large does not fit.
 */
final class ResultFitter {
  /** A Kafka record batch header (61 bytes), the record's own header and headroom. */
  static final int RECORD_OVERHEAD_BYTES = 512;
  private static final int[] EPSILON_FACTORS = {4, 16, 64};

  /** What became of a result. */
  sealed interface Fitted permits Fits, TooLarge {}

  /**
   * @param encoded the result as it goes on the wire (measured once, sent as is)
   * @param shrunk how it was shrunk, or null when it fitted as it was
   */
  record Fits(SegmentationResult result, byte[] encoded, String shrunk) implements Fitted {
    int bytes() {
      return encoded.length;
    }
  }

  record TooLarge(String reason) implements Fitted {}

  private final int maxRecordBytes;
  /** Encodes a result as it goes on the wire (in the masks topic's value format). */
  private final Function<SegmentationResult, byte[]> codec;

  ResultFitter(int maxRecordBytes, Function<SegmentationResult, byte[]> codec) {
    this.maxRecordBytes = maxRecordBytes;
    this.codec = codec;
  }

  /**
   * @param keyBytes the record key's size
   * @param result the result with {@code contours} on it
   * @param contours the same contours as extracted, to simplify further
   * @param epsilon the tolerance they were extracted with, px
   */
  Fitted fit(int keyBytes, SegmentationResult result, List<Contour> contours, double epsilon) {
    int budget = maxRecordBytes - keyBytes - RECORD_OVERHEAD_BYTES;
    byte[] encoded = codec.apply(result);
    int original = encoded.length;
    if (original <= budget) {
      return new Fits(result, encoded, null);
    }
    double base = Math.max(epsilon, 1.0);
    for (int factor : EPSILON_FACTORS) {
      double e = base * factor;
      SegmentationResult simplified = ResultRecords.withContours(result, Contours.simplify(contours, e));
      encoded = codec.apply(simplified);
      if (encoded.length <= budget) {
        return new Fits(simplified, encoded,
            "contours simplified at epsilon " + e + " px (" + original + " -> " + encoded.length + " bytes)");
      }
    }
    SegmentationResult dropped = ResultRecords.withoutContours(result);
    encoded = codec.apply(dropped);
    if (encoded.length <= budget) {
      return new Fits(dropped, encoded, "contours dropped (" + original + " -> " + encoded.length + " bytes)");
    }
    return new TooLarge(
        "the result of " + result.getWidth() + "x" + result.getHeight() + " is " + encoded.length + " bytes even without its "
            + "contours (label map PNG " + result.getLabelMapPng().remaining() + " bytes), over the record limit of "
            + budget + " bytes (" + maxRecordBytes + " less the key and record overhead); raise the masks topic's "
            + "max.message.bytes and the producer's max.request.size, or send smaller frames");
  }
}
