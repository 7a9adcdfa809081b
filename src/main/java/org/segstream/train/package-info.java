/**
 * Training a U-Net with TensorFlow Java and exporting it as a SavedModel with its metadata: the graph and its loss,
 * the step loop with resume and checkpoints, batch-norm calibration, and the training data (a dataset folder
 * preloaded and augmented, or endless synthetic scenes). It reads datasets through {@code org.segstream.dataset},
 * scores its validation set with {@code org.segstream.metrics}, prints on {@code org.segstream.progress} and
 * writes {@code org.segstream.model} metadata; {@link org.segstream.train.DemoModelRecipe} trains and caches the
 * demo's model beside the bundled ones. It never imports Kafka, the processor, evaluation or the CLI.
 */
package org.segstream.train;
