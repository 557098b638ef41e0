package io.donorstream.progress;

import java.time.temporal.ChronoUnit;
import me.tongfei.progressbar.DelegatingProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress bars for long work: a live bar on a terminal, one plain line every few seconds when
 * output goes to a file or CI log (where a redrawn bar would be noise).
 */
public final class Progress {
  private Progress() {}

  public static ProgressBar bar(String task, long max, String unit) {
    ProgressBarBuilder b = new ProgressBarBuilder()
        .setTaskName(task)
        .setInitialMax(max)
        .setUnit(" " + unit, 1)
        .showSpeed()
        .setSpeedUnit(ChronoUnit.SECONDS)
        .continuousUpdate()
        .setStyle(ProgressBarStyle.ASCII);
    if (System.console() == null) {
      b.setConsumer(new DelegatingProgressBarConsumer(System.err::println, 100)).setUpdateIntervalMillis(5_000);
    } else {
      b.setUpdateIntervalMillis(200);
    }
    return b.build();
  }

  /** A duration for progress lines: "4m07s", "1h02m07s". */
  public static String clock(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format("%dh%02dm%02ds", s / 3600, s / 60 % 60, s % 60) : String.format("%dm%02ds", s / 60, s % 60);
  }
}
