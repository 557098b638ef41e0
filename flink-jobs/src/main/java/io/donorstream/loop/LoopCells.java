package io.donorstream.loop;

import io.donorstream.data.CellTable;
import io.donorstream.synth.FreshCells;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;

/**
 * Where the demo's live cells come from; no cell is ever sent twice, so the retraining's held-out
 * cells can never be cells it trained on. A generated set draws new cells from its own model for as
 * long as the loop needs them; a given file is streamed once, in the {@link LoopPlan}'s phases, and
 * may run out.
 */
abstract class LoopCells {
  /** Up to {@code n} new cells of donors the first model knows; empty when none are left. */
  abstract CellTable known(int n);

  /** Up to {@code n} new cells of the donors the first model never saw. */
  abstract CellTable unseen(int n);

  /** Up to {@code n} new cells for after the swap, of both. */
  abstract CellTable after(int n);

  /** Whether the cells can run out (then the stream waits while the retrain service trains, to spend none meanwhile). */
  abstract boolean finite();

  /** One line for the demo's output. */
  abstract String describe();

  /** Whether the cells of {@code phase} ran out (a file's; a generator's never do). */
  abstract boolean ranOut(Phase phase);

  static LoopCells generated(FreshCells fresh, LoopPlan plan) {
    Set<String> all = new TreeSet<>(plan.known());
    all.addAll(plan.newDonors());
    return new LoopCells() {
      CellTable known(int n) {
        return fresh.draw(plan.known(), n);
      }

      CellTable unseen(int n) {
        return fresh.draw(plan.newDonors(), n);
      }

      CellTable after(int n) {
        return fresh.draw(all, n);
      }

      boolean finite() {
        return false;
      }

      String describe() {
        return "new cells drawn from the generator's model as the stream needs them (no cell sent twice)";
      }

      boolean ranOut(Phase phase) {
        return false;
      }
    };
  }

  static LoopCells of(CellTable table, LoopPlan plan) {
    return new LoopCells() {
      private final Pool before = new Pool(plan.beforeDrift());
      private final Pool drift = new Pool(plan.drift());
      private final Pool afterSwap = new Pool(plan.afterSwap());

      CellTable known(int n) {
        return table.select(before.take(n));
      }

      CellTable unseen(int n) {
        return table.select(drift.take(n));
      }

      CellTable after(int n) {
        return table.select(afterSwap.take(n));
      }

      boolean finite() {
        return true;
      }

      String describe() {
        return String.format("each cell of the file once: %,d of known donors before the drift, %,d of the new donors for the drift,"
            + " %,d of both held back for after the swap (the rest trains the first model)", plan.beforeDrift().length, plan.drift().length,
            plan.afterSwap().length);
      }

      boolean ranOut(Phase phase) {
        return (phase == Phase.BEFORE_DRIFT ? before : phase == Phase.DRIFT ? drift : afterSwap).empty();
      }
    };
  }

  /** Rows handed out in order, each once. */
  private static final class Pool {
    private final int[] rows;
    private int next;

    Pool(int[] rows) {
      this.rows = rows;
    }

    boolean empty() {
      return next == rows.length;
    }

    int[] take(int n) {
      int to = Math.min(rows.length, next + n);
      int[] out = Arrays.copyOfRange(rows, next, to);
      next = to;
      return out;
    }
  }
}
