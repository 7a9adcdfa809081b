/**
 * Segmentation accuracy and latency figures as plain arithmetic on label maps and numbers: the confusion
 * matrix (IoU, Dice, pixel accuracy), boundary F, temporal stability, two-class maps for binary ground truth,
 * latency percentiles, and the accumulator that gathers them over a set of frames into {@link
 * org.segstream.metrics.Scores}. Training scores its validation set with these and evaluation its replays and
 * image sets, so this package is a leaf: it may import only the JDK and the image types of {@code
 * org.segstream.image} (never Kafka, Avro, TensorFlow, the model, the processor or the CLI).
 */
package org.segstream.metrics;
