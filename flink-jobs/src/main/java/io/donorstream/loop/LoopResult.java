package io.donorstream.loop;

import java.util.List;
import java.util.Locale;

/**
 * What a run of the loop showed. Accuracies are over labelled cells: before the drift (the first
 * model on donors it knows), during the drift (the champion of the drift's start on donors it never
 * saw) and after the swap (the drift's answer on cells no model trained on); NaN when a phase had
 * none. Leakage is donor-held-out sex leakage as the champion's live gauge read it: the first model's
 * last reading, and the final champion's.
 *
 * @param problem why the loop did not close, or null when it did
 * @param servedVersionBefore the ScoringJob's {@code modelVersion} gauge (lowest subtask) as Prometheus read it before the drift;
 *     NaN when it could not be read
 * @param servedVersionAfter the same at the end
 * @param scoringRestarts the ScoringJob's {@code numRestarts} at the end (NaN when unread)
 * @param alarms every retrain request the monitor raised, with what answered it
 * @param leakageClosed true when no leakage alarm was raised, or the final champion's live leakage is under the ceiling
 * @param drift how the label-free estimates saw the drift (null when its first window never closed)
 */
public record LoopResult(long cells, long predictions, long deadLetters, long shadowPredictions, int retrains, int swaps, String finalVersion,
    double accuracyBeforeDrift, double accuracyDuringDrift, double accuracyAfterSwap, String problem, double servedVersionBefore,
    double servedVersionAfter, double scoringRestarts, double leakageBefore, double leakageAfter, List<Alarms.Alarm> alarms,
    boolean leakageClosed, DriftEstimate drift) {

  /** The contract line (docs/architecture.md). */
  public String summaryLine() {
    return String.format(Locale.ROOT, "demo summary: cells=%d predictions=%d dlq=%d retrains=%d swaps=%d final_model_version=%s"
        + " accuracy_before_drift=%.3f accuracy_during_drift=%.3f accuracy_after_swap=%.3f leakage_before=%.3f leakage_after=%.3f", cells,
        predictions, deadLetters, retrains, swaps, finalVersion, accuracyBeforeDrift, accuracyDuringDrift, accuracyAfterSwap, leakageBefore,
        leakageAfter);
  }

  /** Every alarm the monitor raised still open. */
  public List<Alarms.Alarm> openAlarms() {
    return Alarms.open(alarms);
  }

  /**
   * Every cell answered, a retraining, a swap, accuracy back above where the drift took it, every
   * alarm answered, and a leakage alarm (if one was raised) answered by a champion under the ceiling.
   */
  public boolean closed() {
    return problem == null && predictions + deadLetters == cells && retrains >= 1 && swaps >= 1 && accuracyAfterSwap > accuracyDuringDrift
        && openAlarms().isEmpty() && leakageClosed;
  }
}
