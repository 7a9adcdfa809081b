package org.segstream.segment;

/**
 * Where a frame sits in its stream, for the temporal step: frames of one stream are submitted in sequence order.
 *
 * @param discontinuity the frame follows a gap (a reconnect, dropped frames, the stream's end and a new start):
 *     nothing before it is blended in
 */
public record StreamPosition(String streamId, long sequence, boolean discontinuity) {}
