/**
 * Labelled image sets on disk, read one way for training and evaluation alike: the layouts (Oxford-IIIT Pet with its
 * trimaps, {@code images/} + {@code masks/} with classes.txt) and their pairs, the one decoder of masks
 * ({@link org.segstream.dataset.GroundTruthFormat}: trimap, index, binary), reading images by content, and the
 * validation split whose names a model records. It may import the JDK, {@code org.segstream.image},
 * {@code org.segstream.metrics} (binary masks) and the setting error of {@code org.segstream.config}; never Kafka, the
 * model, the processor, training or the CLI.
 */
package org.segstream.dataset;
