package org.segstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.synth.SyntheticClip;

/**
 * Publishes the frames of every stream round robin at a steady rate (each stream's sequence from
 * 0), then an end-of-stream record per stream. An idempotent producer: the broker's restart
 * delays sends but neither loses nor repeats them.
 */
final class ChaosFeeder {
  static final int FRAME_WIDTH = 160;
  static final int FRAME_HEIGHT = 120;
  /** Distinct pictures per stream, published in turn: rendering is not what this measures. */
  static final int PICTURES_PER_STREAM = 30;

  private final KafkaSettings kafka;
  private final List<String> streamIds;
  private final int frames;
  private final double rate;
  private final List<List<byte[]>> pictures = new ArrayList<>();

  ChaosFeeder(KafkaSettings kafka, List<String> streamIds, int frames, double rate, long seed) {
    this.kafka = kafka;
    this.streamIds = streamIds.stream().sorted().toList();
    this.frames = frames;
    this.rate = rate;
    for (int s = 0; s < streamIds.size(); s++) {
      SyntheticClip clip = new SyntheticClip(seed * 31 + s, FRAME_WIDTH, FRAME_HEIGHT, 2);
      List<byte[]> jpegs = new ArrayList<>();
      for (int i = 0; i < PICTURES_PER_STREAM; i++) {
        jpegs.add(ImageCodec.encodeJpeg(clip.frame(i).image(), 85));
      }
      pictures.add(jpegs);
    }
  }

  /** Stream s of n gets frames s, s + n, s + 2n, ... of the round robin. */
  static long framesOfStream(int frames, int streams, int s) {
    return frames / streams + (s < frames % streams ? 1 : 0);
  }

  /** Returns the number of frames the broker acknowledged (end-of-stream records not counted). */
  long feed() {
    long[] sequences = new long[streamIds.size()];
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long begin = System.nanoTime();
    try (KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(
        kafka.producerProperties(), Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
      for (int i = 0; i < frames; i++) {
        long due = begin + (long) (i * 1e9 / rate);
        long wait = due - System.nanoTime();
        if (wait > 0) {
          LockSupport.parkNanos(wait);
        }
        if (Thread.currentThread().isInterrupted()) {
          throw new IllegalStateException("interrupted after " + i + " frames");
        }
        int s = i % streamIds.size();
        long seq = sequences[s]++;
        byte[] jpeg = pictures.get(s).get((int) (seq % PICTURES_PER_STREAM));
        producer.send(
            new ProducerRecord<>(Topics.FRAMES.name(), streamIds.get(s), frame(streamIds.get(s), seq, jpeg, false)),
            (metadata, e) -> {
              if (e == null) {
                acknowledged.incrementAndGet();
              } else {
                failure.compareAndSet(null, e);
              }
            });
      }
      for (int s = 0; s < streamIds.size(); s++) {
        producer.send(
            new ProducerRecord<>(Topics.FRAMES.name(), streamIds.get(s), frame(streamIds.get(s), sequences[s], new byte[0], true)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the feeder could not publish every frame to " + Topics.FRAMES.name() + ": "
          + failure.get(), failure.get());
    }
    return acknowledged.get();
  }

  private static VideoFrame frame(String streamId, long sequence, byte[] jpeg, boolean endOfStream) {
    long captureTimeUs = sequence * 100_000;
    String uri = "synthetic:" + streamId;
    return endOfStream
        ? FrameRecords.endOfStream(streamId, sequence, captureTimeUs, System.currentTimeMillis(), FRAME_WIDTH,
            FRAME_HEIGHT, uri)
        : FrameRecords.frame(streamId, sequence, captureTimeUs, System.currentTimeMillis(),
            new EncodedImage(ImageEncoding.JPEG, FRAME_WIDTH, FRAME_HEIGHT, jpeg), uri, false);
  }
}
