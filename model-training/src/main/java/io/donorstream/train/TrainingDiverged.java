package io.donorstream.train;

/** The training loss stopped being a number: nothing after it would be worth an artifact. */
public final class TrainingDiverged extends RuntimeException {
  TrainingDiverged(String phase, int epoch, int step, float loss, TrainSettings s) {
    super(String.format("training diverged: the %s loss became %s at epoch %d, step %d; lower --lr (now %s)%s", phase, loss, epoch,
        step + 1, s.learningRate(), s.inputNoise() > 0 ? " or --input-noise (now " + s.inputNoise() + ")" : ""));
  }
}
