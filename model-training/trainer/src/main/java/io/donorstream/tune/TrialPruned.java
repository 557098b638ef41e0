package io.donorstream.tune;

/** Thrown from an epoch listener to stop a trial the pruner judged hopeless. */
final class TrialPruned extends RuntimeException {
  final int epoch;

  TrialPruned(int epoch) {
    super("pruned after epoch " + epoch, null, false, false);
    this.epoch = epoch;
  }
}
