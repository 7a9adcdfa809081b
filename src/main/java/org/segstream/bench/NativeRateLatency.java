package org.segstream.bench;

import org.segstream.metrics.LatencySummary;

/**
 * Capture → result latency of one copy of the input played at its native rate through a processor started for it,
 * then of another copy played through the same processor once the first has ended.
 *
 * @param firstPlay the first copy: its first frames meet the new application's first commits and fetches
 * @param playedAgain the second copy: the same processor, warm
 */
public record NativeRateLatency(LatencySummary firstPlay, LatencySummary playedAgain) {}
