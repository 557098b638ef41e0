package io.donorstream.train;

/**
 * How to train.
 *
 * @param alignEpochs contrastive alignment epochs before classification (0 = no alignment)
 * @param lambda final gradient-reversal strength of the sex adversary (ramped from 0)
 * @param unknownTypeRate share of training cells whose cell type is hidden, so the learned
 *     "unknown type" vector is trained for types never seen
 * @param inputNoise standard deviation of Gaussian noise added to the standardised embedding of
 *     training cells (a regulariser: the multimodal model otherwise memorises cells within a few
 *     epochs); never applied when evaluating or scoring
 */
public record TrainSettings(
    int epochs,
    int batchSize,
    float learningRate,
    float weightDecay,
    float warmupFraction,
    int patience,
    boolean classWeights,
    int alignEpochs,
    float lambda,
    float clipGrad,
    float unknownTypeRate,
    float inputNoise,
    long seed,
    String device) {

  public static TrainSettings defaults(String architecture, long seed) {
    boolean mm = architecture.equals("multimodal");
    return new TrainSettings(mm ? 40 : 60, 256, mm ? 1e-3f : 2e-3f, 0.5f, 0.05f, 8, false, 0, 1f, 5f, 0.05f, mm ? 0.5f : 0f, seed, "auto");
  }

  public TrainSettings withEpochs(int e) {
    return new TrainSettings(e, batchSize, learningRate, weightDecay, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withAlign(int epochs) {
    return new TrainSettings(this.epochs, batchSize, learningRate, weightDecay, warmupFraction, patience, classWeights, epochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withLambda(float l) {
    return new TrainSettings(epochs, batchSize, learningRate, weightDecay, warmupFraction, patience, classWeights, alignEpochs, l, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withBatchSize(int b) {
    return new TrainSettings(epochs, b, learningRate, weightDecay, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withClassWeights(boolean w) {
    return new TrainSettings(epochs, batchSize, learningRate, weightDecay, warmupFraction, patience, w, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withDevice(String d) {
    return new TrainSettings(epochs, batchSize, learningRate, weightDecay, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, d);
  }

  public TrainSettings withLearningRate(float lr) {
    return new TrainSettings(epochs, batchSize, lr, weightDecay, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withWeightDecay(float wd) {
    return new TrainSettings(epochs, batchSize, learningRate, wd, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withPatience(int p) {
    return new TrainSettings(epochs, batchSize, learningRate, weightDecay, warmupFraction, p, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, inputNoise, seed, device);
  }

  public TrainSettings withInputNoise(float sd) {
    return new TrainSettings(epochs, batchSize, learningRate, weightDecay, warmupFraction, patience, classWeights, alignEpochs, lambda, clipGrad, unknownTypeRate, sd, seed, device);
  }
}
