/**
 * The model contract: loading a TensorFlow SavedModel with its {@code segstream-model.json}, the bundled models,
 * and one call that turns a batch of RGB images into per-pixel probabilities as plain arrays (no tensor leaves a
 * call). It imports {@code image}, TensorFlow Java and Jackson; never Kafka, the processor, training or the CLI.
 */
package org.segstream.model;
