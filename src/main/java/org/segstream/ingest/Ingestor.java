package org.segstream.ingest;

import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serializer;
import org.segstream.avro.VideoFrame;
import org.segstream.config.Secrets;
import org.segstream.image.EncodedImage;
import org.segstream.image.ImageCodec;
import org.segstream.image.ImageEncoding;
import org.segstream.image.RgbImage;
import org.segstream.kafka.ClientMetrics;
import org.segstream.kafka.FrameRecords;
import org.segstream.kafka.KafkaSettings;
import org.segstream.kafka.Topic;
import org.segstream.kafka.Topics;
import org.segstream.kafka.ValueCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes one source's frames as {@link VideoFrame} records keyed by stream id: sequence 0, 1, 2...
 * without gaps, then one end-of-stream record carrying the next sequence and no data. The producer is
 * idempotent with {@code acks=all} (unless the client settings rule that out, see
 * {@link KafkaSettings#idempotence()}), not transactional, and {@link #ingest} returns only when every
 * send is acknowledged; the first failed send fails the ingest. The sequence lives in this run only:
 * the next {@link #ingest} of the stream starts at 0 again.
 *
 * <p>{@code captureWallTimeMs} is the moment the pacer releases the frame: with {@code --rate max} that
 * is when it was grabbed; with native or fixed pacing it is when a camera would have delivered it, so
 * latencies measured from it do not include the wait for the frame's turn.
 *
 * <p>The frames topic is created (partitions, size limit) when the cluster lacks it, with replication
 * min(3, brokers). One ingest at a time per instance; {@link #stop()} may be called from any thread.
 */
public final class Ingestor {
  private static final Logger log = LoggerFactory.getLogger(Ingestor.class);
  /** Kafka's per-record and per-batch framing on top of key and value (an upper bound). */
  private static final int KAFKA_RECORD_OVERHEAD = 256;

  private final KafkaSettings settings;
  private final Topic<String, VideoFrame> topic;
  /** The value format of the settings: the topic's serde frames single-object only. */
  private final ValueCodec<VideoFrame> frames;
  private final ClientMetrics clientMetrics;
  private volatile boolean stopRequested;

  /** Publishes to {@link Topics#FRAMES}. */
  public Ingestor(KafkaSettings settings) {
    this(settings, Topics.FRAMES);
  }

  public Ingestor(KafkaSettings settings, Topic<String, VideoFrame> topic) {
    this(settings, topic, ClientMetrics.NONE);
  }

  /** @param clientMetrics where each ingest's producer publishes its own metrics while it runs */
  public Ingestor(KafkaSettings settings, Topic<String, VideoFrame> topic, ClientMetrics clientMetrics) {
    this.settings = settings;
    this.topic = topic;
    this.frames = settings.recordValues().frames();
    this.clientMetrics = clientMetrics;
  }

  /** Asks a running ingest to end after the current frame; it still publishes the end-of-stream record. */
  public void stop() {
    stopRequested = true;
  }

  public IngestSummary ingest(FrameSource source, IngestSettings options) {
    return ingest(source, options, frame -> {});
  }

  /**
   * Reads the source to its end (or {@code maxFrames}, or {@link #stop()}) and publishes every frame.
   *
   * @param listener called on this thread after each frame is handed to the producer
   * @throws IngestException when the source cannot be read or a record cannot be published
   */
  public IngestSummary ingest(FrameSource source, IngestSettings options, FrameListener listener) {
    stopRequested = false;
    Pacing pacing = options.pacing() != null ? options.pacing() : source.defaultPacing();
    Properties props = settings.producerProperties();
    props.put(ProducerConfig.CLIENT_ID_CONFIG, "segstream-ingest-" + options.streamId());
    int recordLimit = recordLimit(props);
    // a file fails fast, before Kafka is contacted; a live source starts grabbing only once the publisher is ready
    FrameReader early = source.live() ? null : source.open();
    KafkaProducer<byte[], byte[]> producer;
    try {
      ensureTopic();
      // the Confluent format registers (or finds) the frame schema under the topic's subject before the first frame
      frames.prepareWriter(topic.name());
      log.info("ingesting {} as stream {} to {} ({}, record limit {} bytes)", source.uri(), options.streamId(),
          topic.name(), pacing, recordLimit);
      producer = new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
      if (source.live()) {
        // metadata and the JPEG encoder's natives now, so a live source's first frames do not queue behind them
        producer.partitionsFor(topic.name());
        ImageCodec.encodeJpeg(new RgbImage(16, 16, new byte[16 * 16 * 3]), options.jpegQuality());
      }
    } catch (RuntimeException e) {
      if (early != null) {
        early.close();
      }
      throw e;
    }
    ClientMetrics.Binding producerMetrics = clientMetrics.bind(producer);
    try (FrameReader reader = early != null ? early : source.open()) {
      return new Run(source, options, pacing, listener, producer, props, recordLimit).publishAll(reader);
    } finally {
      producerMetrics.close();
      boolean interrupted = Thread.interrupted(); // a stop by interrupt must not cut the producer's close short
      try {
        producer.close(Duration.ofSeconds(10)); // sends are all acknowledged or failed by now
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  /** Creates the frames topic (its partitions and limits) when the cluster lacks it; a no-op when it exists. */
  private void ensureTopic() {
    try (Admin admin = Admin.create(settings.adminProperties())) {
      int brokers = admin.describeCluster().nodes().get(30, TimeUnit.SECONDS).size();
      Topics.ensureCreated(admin, Math.max(1, Math.min(3, brokers)), List.of(topic));
    } catch (ExecutionException | TimeoutException e) {
      throw new IngestException("cannot reach Kafka at " + Secrets.maskServers(settings.bootstrapServers())
          + " within 30 s: are the bootstrap servers right and the broker up?", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IngestException("interrupted while connecting to Kafka", e);
    }
  }

  /** The largest record the producer may send: its {@code max.request.size} and the topic's limit. */
  private int recordLimit(Properties props) {
    int limit = Integer.parseInt(String.valueOf(props.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 1048576)));
    String topicLimit = topic.configs().get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG);
    if (topicLimit != null) {
      limit = Math.min(limit, Integer.parseInt(topicLimit));
    }
    return limit;
  }

  /** The state of one ingest. */
  private final class Run {
    private final FrameSource source;
    private final IngestSettings options;
    private final FrameListener listener;
    private final KafkaProducer<byte[], byte[]> producer;
    private final int recordLimit;
    private final Pacer pacer;
    private final byte[] key;
    private final Serializer<VideoFrame> serializer;
    private final AtomicReference<Exception> firstFailure = new AtomicReference<>();
    private final AtomicLong acknowledged = new AtomicLong();
    private final Object completions = new Object();
    private long completed; // guarded by completions
    private final long deliveryTimeoutMs;
    private long sent;
    private long sequence;
    private long bytes;
    private long reencoded;
    private long lastPtsUs;
    private int width;
    private int height;
    private long decodeNanos;
    private int quality;
    private int shrunkSide; // 0 until a frame had to shrink to fit the record limit
    private long encodeNanos;
    private long publishNanos;

    Run(FrameSource source, IngestSettings options, Pacing pacing, FrameListener listener,
        KafkaProducer<byte[], byte[]> producer, Properties props, int recordLimit) {
      this.source = source;
      this.options = options;
      this.listener = listener;
      this.producer = producer;
      this.recordLimit = recordLimit;
      this.pacer = new Pacer(pacing);
      this.key = topic.keySerde().serializer().serialize(topic.name(), options.streamId());
      this.serializer = frames.serde().serializer();
      this.quality = options.jpegQuality();
      this.deliveryTimeoutMs = Long.parseLong(String.valueOf(props.getOrDefault(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 120_000)));
    }

    IngestSummary publishAll(FrameReader reader) {
      long start = System.nanoTime();
      boolean stopped = false;
      int jpegBudget = jpegBudget();
      while (options.maxFrames() <= 0 || sequence < options.maxFrames()) {
        if (stopRequested || Thread.currentThread().isInterrupted()) {
          stopped = true;
          break;
        }
        long t0 = System.nanoTime();
        CapturedFrame captured = reader.next();
        decodeNanos += System.nanoTime() - t0;
        if (captured == null) {
          stopped = stopRequested || Thread.currentThread().isInterrupted(); // a live reader ends when interrupted
          break;
        }
        try {
          pacer.awaitDue(captured.captureTimeUs());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          stopped = true;
          break;
        }
        publishFrame(captured, jpegBudget);
      }
      return endStream(start, stopped);
    }

    /** Encodes a due frame to fit the record limit and sends it as the stream's next frame. */
    private void publishFrame(CapturedFrame captured, int jpegBudget) {
      long wallMs = System.currentTimeMillis();
      long t2 = System.nanoTime();
      FrameEncoder.Encoded encoded = encodeToFit(captured.image(), jpegBudget);
      long t3 = System.nanoTime();
      encodeNanos += t3 - t2;
      send(FrameRecords.frame(options.streamId(), sequence, captured.captureTimeUs(), wallMs,
          new EncodedImage(ImageEncoding.JPEG, encoded.image().width(), encoded.image().height(), encoded.jpeg()),
          source.uri(), captured.discontinuity()));
      publishNanos += System.nanoTime() - t3;
      width = encoded.image().width();
      height = encoded.image().height();
      lastPtsUs = captured.captureTimeUs();
      listener.published(new PublishedFrame(options.streamId(), sequence, captured.captureTimeUs(), wallMs,
          encoded.image(), encoded.jpeg().length, encoded.quality()));
      sequence++;
    }

    /**
     * The frame shrunk to the stream's size and JPEG-encoded within {@code jpegBudget} bytes; when it had
     * to be re-encoded smaller, the stream's quality and size follow it for the frames after.
     */
    private FrameEncoder.Encoded encodeToFit(RgbImage captured, int jpegBudget) {
      RgbImage image = captured;
      int[] size = FrameEncoder.fitWithin(image.width(), image.height(), maxSide());
      if (size[0] != image.width() || size[1] != image.height()) {
        image = ImageCodec.downscale(image, size[0], size[1]);
      }
      FrameEncoder.Encoded encoded = FrameEncoder.encodeWithin(image, quality, jpegBudget);
      if (encoded == null) {
        throw new IngestException(String.format(
            "frame %d of %s does not fit in a Kafka record of %d bytes even as a %d-pixel JPEG at quality %d: raise "
                + "the producer's max.request.size in the Kafka client settings (and the topic's max.message.bytes), or cap "
                + "the frame size",
            sequence, source.uri(), recordLimit, 16, FrameEncoder.MIN_QUALITY));
      }
      if (encoded.reencoded()) {
        // the next frames start where this one fitted, so the stream keeps one size and skips failed encodes
        quality = encoded.quality();
        if (encoded.image().width() < image.width()) {
          shrunkSide = Math.max(encoded.image().width(), encoded.image().height());
        }
        log.warn("frame {} of stream {} exceeded the record limit of {} bytes: published at JPEG quality {}, {}x{}, "
                + "and so are the frames after it (counted in the summary)",
            sequence, options.streamId(), recordLimit, encoded.quality(), encoded.image().width(),
            encoded.image().height());
      }
      if (quality < options.jpegQuality() || shrunkSide > 0) {
        reencoded++;
      }
      return encoded;
    }

    /** Sends the end-of-stream record, waits for every acknowledgement and sums the run up. */
    private IngestSummary endStream(long start, boolean stopped) {
      if (sequence == 0 && !stopped) {
        throw new IngestException(source.uri() + " holds no decodable video frames: give a video file with frames");
      }
      long framesPublished = sequence;
      long t4 = System.nanoTime();
      boolean interrupted = Thread.interrupted(); // the end of stream goes out even when we were asked to stop
      try {
        send(endOfStream());
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      awaitAcknowledgements();
      publishNanos += System.nanoTime() - t4;
      IngestSummary summary = new IngestSummary(options.streamId(), source.uri(), topic.name(), framesPublished,
          framesPublished - 1, framesPublished, width, height, bytes, reencoded, stopped, System.nanoTime() - start,
          decodeNanos, encodeNanos, publishNanos);
      log.info(summary.line());
      return summary;
    }

    /** The long side frames are shrunk to: {@code --max-size}, or smaller after a frame did not fit. */
    private int maxSide() {
      if (shrunkSide == 0) {
        return options.maxSize();
      }
      return options.maxSize() == 0 ? shrunkSide : Math.min(shrunkSide, options.maxSize());
    }

    /** The JPEG bytes that fit: the limit minus key, Kafka framing and the record's other fields. */
    private int jpegBudget() {
      // the largest varints every field can take, and no data
      VideoFrame empty = FrameRecords.frame(options.streamId(), Long.MAX_VALUE, Long.MAX_VALUE, Long.MAX_VALUE,
          new EncodedImage(ImageEncoding.JPEG, Integer.MAX_VALUE, Integer.MAX_VALUE, new byte[0]), source.uri(), false);
      int fixed = serializer.serialize(topic.name(), empty).length + key.length + KAFKA_RECORD_OVERHEAD + 5;
      int budget = recordLimit - fixed;
      if (budget < 1024) {
        throw new IngestException("the record limit of " + recordLimit + " bytes leaves no room for a frame: raise "
            + "the producer's max.request.size in the Kafka client settings");
      }
      return budget;
    }

    private VideoFrame endOfStream() {
      return FrameRecords.endOfStream(
          options.streamId(), sequence, lastPtsUs, System.currentTimeMillis(), width, height, source.uri());
    }

    private void send(VideoFrame frame) {
      checkFailures();
      byte[] value = serializer.serialize(topic.name(), frame);
      long seq = frame.getSequence();
      try {
        producer.send(new ProducerRecord<>(topic.name(), key, value), (metadata, error) -> {
          if (error != null) {
            firstFailure.compareAndSet(null, new IngestException(
                "publishing frame " + seq + " of stream " + options.streamId() + " to " + topic.name() + " failed: "
                    + error.getMessage(), error));
          } else {
            acknowledged.incrementAndGet();
          }
          synchronized (completions) {
            completed++;
            completions.notifyAll();
          }
        });
      } catch (KafkaException e) {
        throw new IngestException("cannot publish frame " + seq + " of stream " + options.streamId() + " to "
            + topic.name() + " at " + Secrets.maskServers(settings.bootstrapServers()) + ": " + e.getMessage()
            + " (are the bootstrap servers right and the broker up?)", e);
      }
      sent++;
      bytes += value.length;
    }

    /**
     * Waits until every send has completed, with a deadline: {@code flush()} could wait forever when the
     * producer's I/O thread dies (seen here: a record the broker rejects as too large made the 4.1 client
     * split and retry until a StackOverflowError killed that thread).
     */
    private void awaitAcknowledgements() {
      long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(deliveryTimeoutMs + 15_000);
      boolean interrupted = Thread.interrupted(); // the end of stream must be confirmed even when asked to stop
      try {
        synchronized (completions) {
          while (completed < sent && firstFailure.get() == null) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              throw new IngestException("Kafka acknowledged only " + acknowledged.get() + " of " + sent + " records of "
                  + "stream " + options.streamId() + " on " + topic.name() + " within " + (deliveryTimeoutMs + 15_000) / 1000
                  + " s (delivery.timeout.ms + 15 s): the producer stalled; see the log");
            }
            try {
              TimeUnit.NANOSECONDS.timedWait(completions, left);
            } catch (InterruptedException e) {
              interrupted = true;
            }
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      checkFailures();
      if (acknowledged.get() != sent) {
        throw new IngestException("only " + acknowledged.get() + " of " + sent + " records of stream "
            + options.streamId() + " were acknowledged by Kafka");
      }
    }

    private void checkFailures() {
      Exception failure = firstFailure.get();
      if (failure != null) {
        throw failure instanceof IngestException ie ? ie : new IngestException(failure.getMessage(), failure);
      }
    }
  }
}
