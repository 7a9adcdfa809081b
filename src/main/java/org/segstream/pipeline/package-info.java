/**
 * The whole pipeline in one process, as {@code segstream run} runs it: {@link org.segstream.pipeline.LocalRun}
 * wires the ingest runner, the Kafka Streams processor and a {@link org.segstream.pipeline.ResultMeter} over one
 * cluster (embedded unless given, through {@link org.segstream.kafka.Cluster}), with the metrics of both sides. It
 * may use ingest, process, model, kafka, results and telemetry; nothing below it imports it, and it never imports
 * {@code cli} or picocli: a stop request comes in through {@link org.segstream.pipeline.StopSignal}.
 */
package org.segstream.pipeline;
