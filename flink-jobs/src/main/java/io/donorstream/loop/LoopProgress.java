package io.donorstream.loop;

import io.donorstream.registry.ModelRegistry;
import io.donorstream.schema.QualityReport;
import java.io.PrintStream;
import java.util.Locale;
import java.util.stream.Collectors;

/** A progress line every few seconds while the loop runs: answers, the champion's quality, requests, the shadow, the registry. */
final class LoopProgress {
  private static final long EVERY_MILLIS = 5_000;

  private final LoopObserver observer;
  private final ModelRegistry registry;
  private final PrintStream out;
  private long last = System.currentTimeMillis();

  LoopProgress(LoopObserver observer, ModelRegistry registry, PrintStream out) {
    this.observer = observer;
    this.registry = registry;
    this.out = out;
  }

  void maybePrint() {
    long now = System.currentTimeMillis();
    if (now - last < EVERY_MILLIS) return;
    last = now;
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "      [%4.0f s] answered %,d", (now - observer.startMillis()) / 1000.0,
        observer.predictions() + observer.deadLetters()));
    QualityReport c = observer.latest("champion");
    if (c != null) {
      line.append(String.format(Locale.ROOT, " | v%s window accuracy %s, estimated %s, sex leakage (held-out donors) %s", c.getModelVersion(),
          f(c.getAccuracy()), f(c.getEstimatedAccuracy()), f(c.getSexLeakageGrouped())));
    }
    line.append(" | retrain requests ").append(observer.requests().size());
    QualityReport s = observer.latest("shadow");
    if (s != null && registry.shadow(LoopDemo.MODEL) != null) {
      line.append(String.format(Locale.ROOT, " | shadow v%s: %,d paired cells, %s vs %s", s.getModelVersion(), s.getPairedCells(),
          f(s.getPairedShadowAccuracy()), f(s.getPairedChampionAccuracy())));
    }
    line.append(" | swaps ").append(observer.firstAnswers().size() - 1);
    out.println(line);
  }

  static String stages(ModelRegistry registry) {
    return registry.versions(LoopDemo.MODEL).stream().map(v -> "v" + v.version() + " " + v.stage()).collect(Collectors.joining(", "));
  }

  private static String f(Double v) {
    return v == null ? "n/a" : String.format(Locale.ROOT, "%.3f", v);
  }
}
