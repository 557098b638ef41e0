package io.donorstream.train;

/** One epoch of training, for curves and the report. {@code phase} is "align" or "classify". */
public record EpochRecord(String phase, int epoch, double trainLoss, double validationLoss, double validationAccuracy,
    double learningRate, double lambda, double seconds) {}
