package org.segstream.metrics;

/**
 * How well predicted object ids follow the true objects over a clip, in the MOT conventions (a prediction matches
 * a true object when their boxes overlap at IoU ≥ {@link IdentityAccumulator#MATCH_IOU}).
 *
 * @param truthObjects true objects summed over frames
 * @param predictions predicted objects summed over frames
 * @param matches frame-level matches (CLEAR MOT)
 * @param misses true objects left unmatched
 * @param falsePositives predictions left unmatched
 * @param idSwitches times a true object was matched to another predicted id than the last time it was matched
 * @param fragmentations times a true object's matched run resumed after frames in which it was there but unmatched
 * @param idf1 identity F1 (Ristani et al. 2016): 2 IDTP / (truth + predictions), IDTP from the one-to-one assignment of
 *     true to predicted ids that matches the most frames; NaN without any object
 * @param mota 1 − (misses + false positives + ID switches) / truth objects; NaN without true objects
 */
public record IdentityScores(
    int frames,
    long truthObjects,
    long predictions,
    long matches,
    long misses,
    long falsePositives,
    long idSwitches,
    long fragmentations,
    long idTruePositives,
    double idf1,
    double idPrecision,
    double idRecall,
    double mota) {}
