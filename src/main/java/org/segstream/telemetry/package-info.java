/**
 * Running processes made observable: the Prometheus registry of pipeline metrics, stream labels with a cap, memory
 * trend, health from the Streams state, and the HTTP server of {@code /metrics} and {@code /health}. It may import
 * {@code config}, Micrometer, Kafka Streams' state, and the Kafka clients whose own metrics it publishes (bound through
 * {@code org.segstream.kafka.ClientMetrics}); never the model, ingest, the processor or the CLI.
 */
package org.segstream.telemetry;
