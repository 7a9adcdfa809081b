/**
 * Evaluation harnesses: replaying a video or frame directory through Kafka (ingest, process, collect the results)
 * and scoring the results against numbered ground-truth masks, and scoring an image set straight through the
 * processor's compute core. The figures come from {@code org.segstream.metrics} and the image sets from
 * {@code org.segstream.dataset}; this package sits above ingest, Kafka and the processor, and nothing below the
 * CLI and the reports may import it.
 */
package org.segstream.eval;
