/**
 * Objects with ids that stay the same from frame to frame of a stream: connected components of a label map's
 * foreground (every class but the background merged, so a pet's border ring is part of the pet) become
 * {@link org.segstream.track.TrackedInstance}s, matched to the stream's previous ones by box overlap after a
 * constant-velocity prediction. Plain Java on {@code image} label maps and {@code refine} contours: no Kafka, no
 * Avro, no TensorFlow; the processor calls it once per frame, in sequence order, after the per-frame work.
 */
package org.segstream.track;
