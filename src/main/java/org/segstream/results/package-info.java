/**
 * Reading what the processor publishes: {@link org.segstream.results.ResultsConsumer} is the one reader of
 * {@code segstream.masks} (and of the dead letters), read_committed, skipping and counting records that do not
 * decode, handing results to a handler until it, a stop request, an idle time or a timeout ends it. On it stand
 * {@code tail}'s printer ({@link org.segstream.results.Tail}, {@link org.segstream.results.ResultLines},
 * {@link org.segstream.results.SavedFiles}), {@code run}'s result meter and the benchmarks' result tallies. It may
 * use kafka (settings, topics, serdes), the Avro records and config's exceptions; never {@code cli} or picocli.
 */
package org.segstream.results;
