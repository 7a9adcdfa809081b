package org.segstream.kafka;

import org.apache.kafka.common.serialization.Serde;
import org.segstream.avro.DeadLetter;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.VideoFrame;

/** The serdes (and codecs) of Segstream's three records; each reads every version under {@code schemas/}. */
public final class AvroSerdes {
  // immutable, thread-safe codecs, built once on first use (the holder idiom keeps startup lazy)
  private static final class Codecs {
    static final AvroCodec<VideoFrame> FRAMES = AvroCodec.of(VideoFrame.class);
    static final AvroCodec<SegmentationResult> RESULTS = AvroCodec.of(SegmentationResult.class);
    static final AvroCodec<DeadLetter> DEAD_LETTERS = AvroCodec.of(DeadLetter.class);
  }

  private AvroSerdes() {}

  public static AvroCodec<VideoFrame> frameCodec() {
    return Codecs.FRAMES;
  }

  public static AvroCodec<SegmentationResult> resultCodec() {
    return Codecs.RESULTS;
  }

  public static AvroCodec<DeadLetter> deadLetterCodec() {
    return Codecs.DEAD_LETTERS;
  }

  public static Serde<VideoFrame> videoFrames() {
    return Codecs.FRAMES.serde();
  }

  public static Serde<SegmentationResult> results() {
    return Codecs.RESULTS.serde();
  }

  public static Serde<DeadLetter> deadLetters() {
    return Codecs.DEAD_LETTERS.serde();
  }
}
