/**
 * The Kafka Streams processor: the topology, the batching processor over a changelogged buffer, the service that
 * runs it under exactly-once, and the record-size fitting of results. It batches, maps records through the
 * {@code kafka} package's mappings, calls the compute core ({@code org.segstream.segment}) and forwards results
 * and dead letters inside the task's transaction. It may import {@code kafka}, {@code segment}, {@code model},
 * {@code refine}, {@code image}, {@code telemetry} and {@code config}; never ingest, evaluation or the CLI.
 */
package org.segstream.process;
