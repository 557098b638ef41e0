package io.donorstream.train;

/** The training loss stopped being a number: nothing after it would be worth an artifact. */
public final class TrainingDiverged extends RuntimeException {
  /** The loss stopped being finite between steps {@code from} and {@code to} (0-based, inclusive) of an epoch. */
  TrainingDiverged(String phase, int epoch, int from, int to, TrainSettings s) {
    super(String.format("training diverged: the %s loss stopped being a finite number at epoch %d, steps %d-%d; lower --lr (now %s)%s",
        phase, epoch, from + 1, to + 1, s.learningRate(), s.inputNoise() > 0 ? " or --input-noise (now " + s.inputNoise() + ")" : ""));
  }
}
