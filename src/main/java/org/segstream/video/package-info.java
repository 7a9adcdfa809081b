/**
 * Video files through FFmpeg (JavaCV): {@link org.segstream.video.VideoWriter} writes RGB frames to an MP4 (or a
 * lossless FFV1 file) and {@link org.segstream.video.FfmpegLog} routes FFmpeg's own log lines to SLF4J with
 * credentials masked, for every package that opens FFmpeg. A leaf below ingest, the demo and the report: it may import
 * {@code image} and {@code config}'s secrets masking, never Kafka, the model or anything above them.
 */
package org.segstream.video;
