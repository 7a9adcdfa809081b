/**
 * The compute core, apart from Kafka Streams: encoded images in, labels, class fractions and contours out, in the
 * spirit of DJL's pre-process (decode, pixel cap, resize) / predict (one model call per batch) / post-process
 * (upsample, refine, contours, PNG) split. It speaks domain types only ({@code image}, {@code refine},
 * {@code model}, and its own {@link org.segstream.segment.FailureStage}); the Kafka edge maps records to and from
 * them. A package of its own, not part of {@code process}, so that the mapping in {@code kafka} can name its types
 * without a cycle, evaluation can score image sets through it without the Streams processor, and the rule "no
 * Avro-generated type in the core" is one package rule. It may import {@code image}, {@code model}, {@code refine}
 * and {@code config}; never Kafka, Avro, the processor, evaluation or the CLI.
 */
package org.segstream.segment;
