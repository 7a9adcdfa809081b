/**
 * The benchmarks behind {@code segstream bench}: the dense CRF, the model at several batch sizes, synthetic
 * scenes, ingest capacity, the pipeline against the model alone, scale-out over {@code process} child JVMs, a
 * memory soak, a chaos run of kills and broker restarts, and a warm processor offered 1, 2, 4, 8 streams under
 * its latency budget. Each is one entry point taking a request record
 * (validated on construction: a bad value is an {@link org.segstream.config.InvalidSettingException}) and
 * returning a result record that formats its own table on a {@link java.io.PrintWriter}; long runs print their
 * rows as they go on the writer they are given. It may use every domain package (kafka, ingest, process, model,
 * refine, synth, metrics, eval's statistics, telemetry) but never {@code cli} or picocli: the commands are shells
 * around it, and a verdict such as "not flat" or "a frame was lost" is a field of the result, turned into an exit
 * code by the command.
 */
package org.segstream.bench;
