package io.donorstream.quality;

import io.donorstream.promotion.LeakageReading;

/**
 * What the online learners say about a model version at one moment (prequential, fading window).
 *
 * @param sexLeakage the sex probe's balanced accuracy minus 0.5, over every donor
 * @param sexLeakageGrouped the same on donors the probe never learned from
 * @param championAccuracy the served model's prequential accuracy on the challenger's window
 * @param driftDetections upward cuts of the error stream and downward cuts of the confidence stream so far
 * @param groupedReading {@code sexLeakageGrouped} with its donor-clustered standard error, donors and cells
 */
public record OnlineMetrics(Double sexLeakage, Double sexLeakageGrouped, Double sexProbeAuc, Double challengerAccuracy,
    Double championAccuracy, boolean driftDetected, long driftDetections, long labelledSeen, LeakageReading groupedReading)
    implements java.io.Serializable {}
