/**
 * Synthetic labelled scenes and clips with exact ground truth: textured backgrounds, moving sprites, outlines.
 * They feed the trainer, the demo and the tests. It imports {@code image} only: no Kafka, no TensorFlow.
 */
package org.segstream.synth;
