/**
 * Masks that hold still from frame to frame of a stream: the model's probabilities of a frame are blended with the
 * stream's previous (blended) probabilities where the frame's colour barely changed once the previous frame is
 * shifted by the camera's movement (a whole-frame shift, searched), and the stream's state is
 * dropped at a scene cut, a discontinuity or the end of the stream. Plain Java on {@code image} values at the
 * model's input size: no Kafka, no Avro, no TensorFlow. The segmenter calls it once per frame, in sequence order
 * per stream, between the model call and refinement.
 */
package org.segstream.temporal;
