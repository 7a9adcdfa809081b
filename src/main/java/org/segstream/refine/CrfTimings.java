package org.segstream.refine;

/**
 * Where one refinement's time went.
 *
 * @param latticeMs building the lattices and their normalisers
 * @param iterationsMs the mean-field iterations
 */
public record CrfTimings(double latticeMs, double iterationsMs) {
  public double totalMs() {
    return latticeMs + iterationsMs;
  }
}
