package org.segstream.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.segstream.avro.VideoFrame;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.LabelMap;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topics;
import org.segstream.synth.SyntheticClip;

/**
 * Cameras for {@link LoadBenchmark}: stream s shows the synthetic clip of seed {@code seed * 31 + s}, its first
 * {@link #PICTURES} frames JPEG-encoded once and played in a loop (rendering is not what this measures), so the
 * truth of frame {@code sequence} is the clip's frame {@code sequence % PICTURES}. Every stream of a load is fed at
 * the same rate, the streams' frames interleaved evenly; a frame's capture time is when it was due, so a feeder that
 * falls behind shows as latency rather than hiding it.
 */
final class LoadFeeder {
  static final int WIDTH = 640;
  static final int HEIGHT = 360;
  /** Two seconds of a 30 fps clip per stream: objects move and turn, memory stays bounded. */
  static final int PICTURES = 60;
  private static final int JPEG_QUALITY = 85;

  private final KafkaSettings kafka;
  private final List<SyntheticClip> clips = new ArrayList<>();
  private final List<List<byte[]>> jpegs = new ArrayList<>();

  /** What one feed did: how late the feeder sent its latest frame. */
  record Fed(long frames, long maxLateMs) {}

  /** Renders and encodes the pictures of {@code streams} streams. */
  LoadFeeder(KafkaSettings kafka, long seed, int streams, int objects) {
    this.kafka = kafka;
    for (int s = 0; s < streams; s++) {
      SyntheticClip clip = new SyntheticClip(seed * 31 + s, WIDTH, HEIGHT, objects);
      List<byte[]> pictures = new ArrayList<>(PICTURES);
      for (int i = 0; i < PICTURES; i++) {
        pictures.add(ImageCodec.encodeJpeg(clip.frame(i).image(), JPEG_QUALITY));
      }
      clips.add(clip);
      jpegs.add(pictures);
    }
  }

  /** The exact truth of the frame {@code sequence} of stream {@code s}. */
  LabelMap truth(int s, long sequence) {
    return clips.get(s).frame((int) (sequence % PICTURES)).truth();
  }

  /**
   * Feeds {@code framesPerStream} frames to each of the streams (stream i plays clip i) at {@code fps} each, then
   * an end-of-stream record per stream; returns when the broker acknowledged them all.
   */
  Fed feed(List<String> streamIds, int framesPerStream, double fps) {
    int n = streamIds.size();
    if (n > jpegs.size()) {
      throw new IllegalArgumentException(n + " streams, but pictures were rendered for " + jpegs.size());
    }
    AtomicLong acknowledged = new AtomicLong();
    AtomicReference<Exception> failure = new AtomicReference<>();
    long maxLateNanos = 0;
    try (KafkaProducer<String, VideoFrame> producer = new KafkaProducer<>(
        kafka.producerProperties(), Topics.FRAMES.keySerde().serializer(), Topics.FRAMES.valueSerde().serializer())) {
      producer.partitionsFor(Topics.FRAMES.name()); // the topic's metadata before the clock starts, not on the first frame
      long beginNanos = System.nanoTime();
      long beginWallMs = System.currentTimeMillis();
      for (int seq = 0; seq < framesPerStream; seq++) {
        for (int s = 0; s < n; s++) {
          long offsetNanos = (long) ((seq + (double) s / n) * 1e9 / fps);
          long wait = beginNanos + offsetNanos - System.nanoTime();
          if (wait > 0) {
            LockSupport.parkNanos(wait);
          } else {
            maxLateNanos = Math.max(maxLateNanos, -wait);
          }
          if (Thread.currentThread().isInterrupted()) {
            throw new IllegalStateException("the load feeder was interrupted after " + seq + " frames per stream");
          }
          long captureWallMs = beginWallMs + offsetNanos / 1_000_000;
          VideoFrame frame = FrameRecords.frame(streamIds.get(s), seq, (long) (seq * 1e6 / fps), captureWallMs,
              new EncodedImage(ImageEncoding.JPEG, WIDTH, HEIGHT, jpegs.get(s).get(seq % PICTURES)), "synthetic:" + streamIds.get(s),
              false);
          producer.send(new ProducerRecord<>(Topics.FRAMES.name(), streamIds.get(s), frame), (metadata, e) -> {
            if (e == null) {
              acknowledged.incrementAndGet();
            } else {
              failure.compareAndSet(null, e);
            }
          });
        }
      }
      long lastUs = (long) ((framesPerStream - 1) * 1e6 / fps);
      for (String id : streamIds) {
        producer.send(new ProducerRecord<>(Topics.FRAMES.name(), id,
            FrameRecords.endOfStream(id, framesPerStream, lastUs, System.currentTimeMillis(), WIDTH, HEIGHT, "synthetic:" + id)),
            (metadata, e) -> {
              if (e != null) {
                failure.compareAndSet(null, e);
              }
            });
      }
      producer.flush();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("the load feeder could not publish every frame to " + Topics.FRAMES.name() + ": "
          + failure.get(), failure.get());
    }
    return new Fed(acknowledged.get(), maxLateNanos / 1_000_000);
  }
}
