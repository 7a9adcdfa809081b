/**
 * Pure image math after the model: the dense CRF (mean field over a permutohedral lattice) and contour
 * extraction and simplification, with the one domain {@link org.segstream.refine.Contour}. It imports
 * {@code image} and OpenCV only: no Kafka, no TensorFlow, no Avro.
 */
package org.segstream.refine;
