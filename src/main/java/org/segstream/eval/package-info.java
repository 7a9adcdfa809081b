/**
 * The evaluation API: {@link org.segstream.eval.ReplayEvaluation} replays a video or frame directory through Kafka
 * (ingest, the Streams processor, the results) once per refine mode and scores it against numbered ground-truth
 * masks; {@link org.segstream.eval.DatasetEvaluation} scores an image set straight through the processor's compute
 * core. Each takes a request record built with a builder and returns a result record from which {@code org.segstream.report} builds the report. The
 * figures come from {@code org.segstream.metrics} and the image sets from {@code org.segstream.dataset}; this package
 * sits above ingest, Kafka ({@code org.segstream.kafka.Cluster}), the processor and the model, and never imports the
 * report package or the CLI.
 */
package org.segstream.eval;
