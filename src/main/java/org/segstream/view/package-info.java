/**
 * The live view in a browser ({@code segstream view}, {@code run --view-port}): {@link org.segstream.view.ViewServer}
 * follows the frames, results and dead-letter topics from their ends (assigned, no group: never in the processor's
 * path), joins each frame with its result, composites masks, contours and instance ids on the server and serves a
 * page, MJPEG streams and PNG snapshots over a small HTTP server of its own. It uses kafka (topics and the record
 * mapping), image, report (the overlay drawing) and config (secret masking); nothing but cli, pipeline and bench
 * imports it.
 */
package org.segstream.view;
