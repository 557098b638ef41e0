package io.donorstream.loop;

import java.util.Locale;

/**
 * What a run of the loop showed. Accuracies are over labelled cells: before the drift (the first
 * model on donors it knows), during the drift (the first model on donors it never saw) and after the
 * swap (the new champion on cells no model trained on); NaN when a phase had none.
 *
 * @param problem why the loop did not close, or null when it did
 * @param servedVersionBefore the ScoringJob's {@code modelVersion} gauge (lowest subtask) as Prometheus read it before the drift;
 *     NaN when it could not be read
 * @param servedVersionAfter the same at the end
 * @param scoringRestarts the ScoringJob's {@code numRestarts} at the end (NaN when unread)
 */
public record LoopResult(long cells, long predictions, long deadLetters, long shadowPredictions, int retrains, int swaps, String finalVersion,
    double accuracyBeforeDrift, double accuracyDuringDrift, double accuracyAfterSwap, String problem, double servedVersionBefore,
    double servedVersionAfter, double scoringRestarts) {

  /** The contract line (ARCHITECTURE.md). */
  public String summaryLine() {
    return String.format(Locale.ROOT, "demo summary: cells=%d predictions=%d dlq=%d retrains=%d swaps=%d final_model_version=%s"
        + " accuracy_before_drift=%.3f accuracy_during_drift=%.3f accuracy_after_swap=%.3f", cells, predictions, deadLetters, retrains, swaps,
        finalVersion, accuracyBeforeDrift, accuracyDuringDrift, accuracyAfterSwap);
  }

  /** Every cell answered, a retraining, a swap, and accuracy back above where the drift took it. */
  public boolean closed() {
    return problem == null && predictions + deadLetters == cells && retrains >= 1 && swaps >= 1 && accuracyAfterSwap > accuracyDuringDrift;
  }
}
