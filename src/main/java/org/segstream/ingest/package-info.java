/**
 * Getting frames into Kafka: frame sources (video files, frame directories, RTSP, HTTP, cameras) read with JavaCV,
 * pacing, the queue and drop policy of live sources with reconnects, JPEG encoding within the record limit, and
 * the idempotent publisher of {@code VideoFrame} records (built by {@code org.segstream.kafka.FrameRecords}). It may
 * import {@code image}, {@code config}, {@code kafka} and {@code video} (FFmpeg's log routing); never the model, the processor, evaluation or the CLI.
 */
package org.segstream.ingest;
