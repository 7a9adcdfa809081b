/**
 * How well a model segments image/mask pairs, defined once: {@link org.segstream.scoring.PairScorer} runs each pair
 * through the compute core ({@code org.segstream.segment}) as the processor would and scores it at the ground
 * truth's resolution with {@code org.segstream.metrics}. {@code eval} reports these figures and the trainer writes
 * them into a model's metadata, so the two agree. It knows neither Kafka nor the processor nor the CLI.
 */
package org.segstream.scoring;
