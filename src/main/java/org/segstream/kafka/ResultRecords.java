package org.segstream.kafka;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.segstream.avro.Box;
import org.segstream.avro.Instance;
import org.segstream.avro.LeftOutPart;
import org.segstream.avro.ModelRef;
import org.segstream.avro.Polygon;
import org.segstream.avro.SegmentationResult;
import org.segstream.avro.Timings;
import org.segstream.avro.VideoFrame;
import org.segstream.image.ImageCodec;
import org.segstream.image.LabelMap;
import org.segstream.refine.Contour;
import org.segstream.refine.Polyline;
import org.segstream.segment.FrameOutcome.Segmented;
import org.segstream.segment.FrameOutcome.StageTimings;
import org.segstream.track.TrackedInstance;
import org.segstream.version.SegstreamVersion;

/**
 * {@link SegmentationResult} records to and from domain values: a segmented frame becomes a result, with the
 * model and classes of the processor that made it; a result read back gives its label map and its contours as
 * {@code refine} values. The only place that knows the generated {@code Contour} and {@code Polygon}.
 */
public final class ResultRecords {
  private final List<String> classNames;
  private final ModelRef model;
  private final String producerVersion;

  /** Results of one model (its class names in index order, its name and version), made by this Segstream. */
  public ResultRecords(List<String> classNames, String modelName, String modelVersion) {
    this(classNames, modelName, modelVersion, SegstreamVersion.current());
  }

  /** Results of one model, stamped with {@code producerVersion} as the Segstream version that made them. */
  public ResultRecords(List<String> classNames, String modelName, String modelVersion, String producerVersion) {
    this.classNames = List.copyOf(classNames);
    this.model = new ModelRef(modelName, modelVersion);
    this.producerVersion = producerVersion;
  }

  /**
   * The result of a segmented frame, stamped now.
   *
   * @param queueWaitMs how long the frame waited in the batch buffer
   */
  public SegmentationResult segmented(VideoFrame frame, Segmented s, long queueWaitMs) {
    return segmented(frame, s, queueWaitMs, List.of());
  }

  /**
   * The result of a segmented frame with its tracked objects, stamped now.
   *
   * @param queueWaitMs how long the frame waited in the batch buffer
   */
  public SegmentationResult segmented(VideoFrame frame, Segmented s, long queueWaitMs, List<TrackedInstance> instances) {
    List<Float> fractions = new ArrayList<>(s.classFractions().length);
    for (float v : s.classFractions()) {
      fractions.add(v);
    }
    StageTimings t = s.timings();
    return SegmentationResult.newBuilder()
        .setStreamId(frame.getStreamId())
        .setSequence(frame.getSequence())
        .setCaptureTimeUs(frame.getCaptureTimeUs())
        .setCaptureWallTimeMs(frame.getCaptureWallTimeMs())
        .setResultWallTimeMs(System.currentTimeMillis())
        .setWidth(s.labels().width())
        .setHeight(s.labels().height())
        .setClassNames(classNames)
        .setLabelMapPng(ByteBuffer.wrap(s.labelMapPng()))
        .setClassFractions(fractions)
        .setContours(wire(s.contours()))
        .setModel(model)
        .setRefined(s.refined())
        .setBatchSize(s.batchSize())
        .setTimings(new Timings((float) queueWaitMs, t.decodeMs(), t.inferenceMs(), t.refineMs(), t.encodeMs()))
        .setEndOfStream(false)
        .setInstances(instances(instances))
        .setLeftOut(wire(s.leftOut()))
        .setProducerVersion(producerVersion)
        .build();
  }

  /**
   * The result of a frame skipped to keep the latency budget, stamped now: no label map, no
   * contours, and what was left out and why.
   */
  public SegmentationResult skipped(VideoFrame frame, org.segstream.segment.LeftOut leftOut, long queueWaitMs) {
    return withoutLabels(frame, (float) queueWaitMs, false).setLeftOut(wire(leftOut)).build();
  }

  /** A result stamped now with the frame's size and no label map, contours or stage times but the queue wait. */
  private SegmentationResult.Builder withoutLabels(VideoFrame frame, float queueWaitMs, boolean endOfStream) {
    return SegmentationResult.newBuilder()
        .setStreamId(frame.getStreamId())
        .setSequence(frame.getSequence())
        .setCaptureTimeUs(frame.getCaptureTimeUs())
        .setCaptureWallTimeMs(frame.getCaptureWallTimeMs())
        .setResultWallTimeMs(System.currentTimeMillis())
        .setWidth(frame.getWidth())
        .setHeight(frame.getHeight())
        .setClassNames(classNames)
        .setLabelMapPng(ByteBuffer.allocate(0))
        .setClassFractions(new ArrayList<>())
        .setContours(new ArrayList<>())
        .setModel(model)
        .setRefined(false)
        .setBatchSize(0)
        .setTimings(new Timings(queueWaitMs, 0f, 0f, 0f, 0f))
        .setEndOfStream(endOfStream)
        .setProducerVersion(producerVersion);
  }

  private static org.segstream.avro.LeftOut wire(org.segstream.segment.LeftOut leftOut) {
    return leftOut == null ? null
        : new org.segstream.avro.LeftOut(LeftOutPart.valueOf(leftOut.part().name()), leftOut.reason());
  }

  /** The result that answers a stream's end-of-stream frame: no labels, the frame's size. */
  public SegmentationResult endOfStream(VideoFrame frame) {
    return withoutLabels(frame, 0f, true).build();
  }

  /** The same result with other contours (simplified further, say). */
  public static SegmentationResult withContours(SegmentationResult result, List<Contour> contours) {
    return SegmentationResult.newBuilder(result).setContours(wire(contours)).build();
  }

  /** The same result without its contours, marked as having dropped them; its instances point at no contour. */
  public static SegmentationResult withoutContours(SegmentationResult result) {
    List<Instance> instances = new ArrayList<>(result.getInstances().size());
    for (Instance i : result.getInstances()) {
      instances.add(Instance.newBuilder(i).setContourIndex(-1).build());
    }
    return SegmentationResult.newBuilder(result).setContours(new ArrayList<>()).setContoursDropped(true)
        .setInstances(instances).build();
  }

  /** The result's objects as domain values. */
  public static List<TrackedInstance> instances(SegmentationResult r) {
    List<TrackedInstance> out = new ArrayList<>(r.getInstances().size());
    for (Instance i : r.getInstances()) {
      Box b = i.getBox();
      out.add(new TrackedInstance(i.getId(), i.getClassIndex(), i.getArea(), b.getX(), b.getY(), b.getWidth(), b.getHeight(),
          i.getCentroidX(), i.getCentroidY(), i.getContourIndex()));
    }
    return out;
  }

  private static List<Instance> instances(List<TrackedInstance> instances) {
    List<Instance> out = new ArrayList<>(instances.size());
    for (TrackedInstance i : instances) {
      out.add(new Instance(i.id(), i.classIndex(), i.area(), new Box(i.x(), i.y(), i.width(), i.height()),
          i.centroidX(), i.centroidY(), i.contourIndex()));
    }
    return out;
  }

  /** The result's label map (decoded from its PNG), or null when it has none (end of stream, a skipped frame). */
  public static LabelMap labels(SegmentationResult r) {
    if (!r.getLabelMapPng().hasRemaining()) {
      return null; // end of stream, or a frame skipped to keep the latency budget
    }
    ByteBuffer dup = r.getLabelMapPng().duplicate();
    byte[] png = new byte[dup.remaining()];
    dup.get(png);
    return ImageCodec.decodePngGray(png);
  }

  /** The result's contours as domain values, for drawing. */
  public static List<Contour> contours(SegmentationResult r) {
    List<Contour> out = new ArrayList<>();
    for (var c : r.getContours()) {
      List<Polyline> holes = new ArrayList<>();
      for (Polygon h : c.getHoles()) {
        holes.add(polyline(h));
      }
      out.add(new Contour(c.getClassIndex(), c.getArea(), polyline(c.getOuter()), holes));
    }
    return out;
  }

  /** The generated {@code Contour} is named here only, spelled out beside the domain's. */
  private static List<org.segstream.avro.Contour> wire(List<Contour> contours) {
    List<org.segstream.avro.Contour> out = new ArrayList<>(contours.size());
    for (Contour c : contours) {
      List<Polygon> holes = new ArrayList<>(c.holes().size());
      for (Polyline h : c.holes()) {
        holes.add(polygon(h));
      }
      out.add(new org.segstream.avro.Contour(c.classIndex(), c.area(), polygon(c.outer()), holes));
    }
    return out;
  }

  private static Polygon polygon(Polyline p) {
    List<Integer> xs = new ArrayList<>(p.xs().length);
    List<Integer> ys = new ArrayList<>(p.ys().length);
    for (int i = 0; i < p.xs().length; i++) {
      xs.add(p.xs()[i]);
      ys.add(p.ys()[i]);
    }
    return new Polygon(xs, ys);
  }

  private static Polyline polyline(Polygon p) {
    return new Polyline(
        p.getXs().stream().mapToInt(Integer::intValue).toArray(), p.getYs().stream().mapToInt(Integer::intValue).toArray());
  }
}
