package io.donorstream.train;

/**
 * One epoch of training, for curves and the report. {@code phase} is "align" or "classify";
 * {@code seconds} is the whole epoch, {@code stepSeconds} its training steps alone (no validation);
 * {@code adversaryLoss} the sex adversary's mean binary cross-entropy (0.693 = sex unreadable), null
 * without an adversary.
 */
public record EpochRecord(String phase, int epoch, double trainLoss, double validationLoss, double validationAccuracy,
    double learningRate, double lambda, double seconds, double stepSeconds, Double adversaryLoss) {}
