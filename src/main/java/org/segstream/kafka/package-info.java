/**
 * Segstream's edge to Kafka: topics and their limits, client settings, the embedded KRaft broker and the cluster
 * to talk to, the Avro codecs and serdes of the three records (the contract with downstream readers), and the one
 * mapping between those records and domain values ({@link org.segstream.kafka.FrameRecords},
 * {@link org.segstream.kafka.ResultRecords}, {@link org.segstream.kafka.DeadLetters}). The generated Avro types
 * are meant to be built and read here; the compute core never sees them. It may import {@code config},
 * {@code image}, {@code refine} and the value types of {@code segment}; never the processor, ingest, evaluation or
 * the CLI.
 */
package org.segstream.kafka;
