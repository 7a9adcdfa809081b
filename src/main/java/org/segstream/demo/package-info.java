/**
 * The demo: {@link org.segstream.demo.Demo#run} writes a labelled synthetic clip (or takes a real video), gets the
 * synthetic-scene model from {@code org.segstream.train.DemoModelRecipe}, replays the clip through Kafka on the given
 * cluster or an embedded broker with {@code org.segstream.eval}'s replay harness, scores it against the clip's exact
 * truth and returns a {@link org.segstream.demo.DemoResult} for {@code org.segstream.report} to write up. It sits
 * just below the CLI: it may import eval, train, synth, metrics, model, ingest, kafka and the
 * {@code video} package's writer (for the clip it ingests); only the CLI and the report package (for the result) import it.
 */
package org.segstream.demo;
