package io.donorstream.quality;

import io.donorstream.promotion.LeakageReading;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Everything the monitor keeps for one model version, free of Flink: sliding event-time windows
 * (as panes of one slide each, merged when a window closes), running totals, the online sex probe,
 * the online challenger, ADWIN on the error stream and the retrain rules. The operator feeds it
 * outcomes and watermarks; it hands back reports and retrain decisions.
 */
public final class VersionMonitor implements Serializable {
  private final String modelName;
  private final String version;
  private final MonitorSettings settings;
  private final TreeMap<Long, QualityStats> panes = new TreeMap<>();
  private final QualityStats running = new QualityStats();
  private final FadingRate champion;
  private final Adwin adwin = new Adwin();
  /** On every prediction's top-1 confidence, labelled or not: a fall means estimated accuracy fell. */
  private final Adwin confidenceAdwin = new Adwin();
  private final RetrainRules rules;
  /** The values each detector saw, with their event times, to place a change it detects. */
  private final RecentValues errors = new RecentValues();
  private final RecentValues confidences = new RecentValues();
  private OnlineSexProbe probe;
  private NearestMeanChallenger challenger;
  /** Windows that closed before the model's details were known: reported once they are. */
  private final List<long[]> waiting = new ArrayList<>();
  private final List<QualityStats> waitingStats = new ArrayList<>();
  /** The online metrics as they stood when each waiting window closed: its rules judge those, not later ones. */
  private final List<OnlineMetrics> waitingOnline = new ArrayList<>();
  private long lastClosedEnd = Long.MIN_VALUE;
  private long dataFrom = Long.MAX_VALUE;
  private long dataTo = Long.MIN_VALUE;
  private long late;
  private boolean driftSinceReport;
  private MonitorReport latest;
  /** Set while the version serves as a shadow: it is compared with the champion and asks for no retraining. */
  private ShadowComparison shadowComparison;

  /** The request metric naming when the change began (event time, epoch ms): cells since then show the new regime. */
  public static final String CHANGE_AT = "change_at";

  public VersionMonitor(String modelName, String version, MonitorSettings settings) {
    this.modelName = modelName;
    this.version = version;
    this.settings = settings;
    this.champion = new FadingRate(settings.fadingFactor());
    this.rules = new RetrainRules(settings.rules());
  }

  /**
   * Takes one outcome; returns a retrain decision when this outcome made the drift detector fire
   * and the rules let it through, else null.
   */
  public RetrainDecision add(Outcome o) {
    if (o.shadow() && shadowComparison == null) shadowComparison = new ShadowComparison();
    if (!o.shadow() && shadowComparison != null) shadowComparison = null; // promoted: a champion now
    if (o.shadow() && o.labelled()) shadowComparison.shadow(o.cellId(), o.correct());
    long pane = Math.floorDiv(o.eventTime(), settings.slideMillis()) * settings.slideMillis();
    if (lastClosedEnd != Long.MIN_VALUE && pane + settings.windowMillis() <= lastClosedEnd) {
      late++; // every window it belongs to has closed: it counts in the running totals only
    } else {
      panes.computeIfAbsent(pane, p -> new QualityStats()).add(o);
    }
    running.add(o);
    if (o.counted()) confidences.add(o.eventTime(), o.confidence());
    if (o.counted() && confidenceAdwin.update(o.confidence()) && !confidenceAdwin.lastChangeUp()) {
      driftSinceReport = true;
      RetrainDecision d = decide(o.eventTime(), new RetrainRules.Observation(o.eventTime(), null, null, null, null, null, null, true,
          "drift: the model's confidence fell (ADWIN on top-1 confidence; its estimated accuracy falls with it)"),
          confidences.changeAt(2 * confidenceAdwin.width()));
      if (d != null) return d;
    }
    if (!o.labelled()) return null;
    dataFrom = Math.min(dataFrom, o.eventTime());
    dataTo = Math.max(dataTo, o.eventTime());
    champion.add(o.correct());
    errors.add(o.eventTime(), o.correct() ? 0 : 1);
    if (o.latent() != null && o.latent().length > 0) {
      if (probe == null) probe = new OnlineSexProbe(o.latent().length, settings.fadingFactor());
      if (challenger == null) challenger = new NearestMeanChallenger(o.latent().length, settings.fadingFactor());
      probe.observe(o.latent(), o.trueDonor(), o.sex());
      challenger.observe(o.latent(), o.trueDonor());
    }
    if (adwin.update(o.correct() ? 0 : 1) && adwin.lastChangeUp()) {
      driftSinceReport = true;
      return decide(o.eventTime(), new RetrainRules.Observation(o.eventTime(), null, null, null, null, null, null, true,
          "drift: the champion's error rate rose (ADWIN)"), errors.changeAt(2 * adwin.width()));
    }
    return null;
  }

  /**
   * Closes every window that ends at or before {@code watermark}; reports go to {@code reports},
   * decisions the windowed rules make to {@code decisions}. With {@code model} null (not announced
   * yet) closed windows wait for {@link #modelKnown}.
   */
  public void advance(long watermark, ModelInfo model, Consumer<MonitorReport> reports, Consumer<RetrainDecision> decisions) {
    for (long end : closingEnds(watermark)) {
      QualityStats window = new QualityStats();
      for (QualityStats p : panes.subMap(end - settings.windowMillis(), true, end, false).values()) window.merge(p);
      lastClosedEnd = end;
      if (window.predictions() == 0 && window.labelled() == 0) continue;
      if (model == null) {
        waiting.add(new long[] {end - settings.windowMillis(), end});
        waitingStats.add(window);
        waitingOnline.add(online());
      } else {
        report(window, end - settings.windowMillis(), end, model, online(), reports, decisions);
      }
    }
    // Panes no future window reaches.
    if (lastClosedEnd != Long.MIN_VALUE) panes.headMap(lastClosedEnd - settings.windowMillis() + settings.slideMillis(), false).clear();
  }

  /** Reports the windows that closed while the model's details were unknown. */
  public void modelKnown(ModelInfo model, Consumer<MonitorReport> reports, Consumer<RetrainDecision> decisions) {
    for (int i = 0; i < waiting.size(); i++) {
      report(waitingStats.get(i), waiting.get(i)[0], waiting.get(i)[1], model, waitingOnline.get(i), reports, decisions);
    }
    waiting.clear();
    waitingStats.clear();
    waitingOnline.clear();
  }

  public boolean isShadow() {
    return shadowComparison != null;
  }

  /** The champion's answer to a labelled cell, for a shadow's comparison. */
  public void pairWithChampion(Outcome champion) {
    if (shadowComparison != null && champion.labelled()) shadowComparison.champion(champion.cellId(), champion.correct(), champion.modelVersion());
  }

  public ShadowComparison.Snapshot paired() {
    return shadowComparison == null ? null : shadowComparison.snapshot();
  }

  public String modelName() {
    return modelName;
  }

  /** The latest report, for gauges; null before the first window closed. */
  public MonitorReport latest() {
    return latest;
  }

  public QualityStats running() {
    return running;
  }

  public long lateOutcomes() {
    return late;
  }

  public long retrainRequests() {
    return rules.requests();
  }

  public OnlineMetrics online() {
    return new OnlineMetrics(probe == null ? null : probe.leakage(), probe == null ? null : probe.groupedLeakage(),
        probe == null ? null : probe.auc(), challenger == null ? null : challenger.accuracy(), champion.rate(), driftSinceReport,
        adwin.detections() + confidenceAdwin.detections(), champion.count(), probe == null ? LeakageReading.NONE : probe.groupedReading());
  }

  /** @param online the online metrics when the window closed (earlier than now for a window that waited for its model) */
  private void report(QualityStats window, long start, long end, ModelInfo model, OnlineMetrics online, Consumer<MonitorReport> reports,
      Consumer<RetrainDecision> decisions) {
    QualitySnapshot q = QualityReportMaker.make(window, model, start, end);
    latest = new MonitorReport(q, online, QualityReportMaker.make(running, model, running.minEventTime, end), isShadow(), paired());
    driftSinceReport = false;
    reports.accept(latest);
    OnlineMetrics on = latest.online();
    RetrainDecision d = decide(end, new RetrainRules.Observation(end, q.accuracy(), on.groupedReading(), on.challengerAccuracy(),
        on.championAccuracy(), q.unseenDonorLabelShare(), q.cellTypePsi(), false, null, q.unknownDonorShare(), q.unknownDonorShareSe()),
        // A windowed rule fires after holding for its run of windows: the change came into the first of them,
        // by its last slide most likely (a window that just breaches holds the change's first cells).
        end - (long) settings.rules().windows() * settings.slideMillis());
    if (d != null) decisions.accept(d);
  }

  /** @param changeAt event time at which the change that fired began, as far as the detector or rule can tell */
  private RetrainDecision decide(long eventTime, RetrainRules.Observation o, long changeAt) {
    if (isShadow()) return null; // a shadow is judged against the champion, not retrained
    RetrainRules.Fired fired = rules.evaluate(o);
    if (fired == null) return null;
    Map<String, Double> m = new LinkedHashMap<>();
    put(m, "accuracy", o.accuracy() != null ? o.accuracy() : latest == null ? null : latest.quality().accuracy());
    put(m, "champion_online_accuracy", champion.rate());
    put(m, "challenger_accuracy", challenger == null ? null : challenger.accuracy());
    put(m, "sex_leakage_grouped", probe == null ? null : probe.groupedLeakage());
    put(m, "unseen_donor_label_share", o.unseenDonorShare() != null ? o.unseenDonorShare()
        : latest == null ? null : latest.quality().unseenDonorLabelShare());
    put(m, "error_rate_window_mean", adwin.mean());
    put(m, "labelled_cells_seen", (double) champion.count());
    put(m, "cells_seen", (double) running.predictions());
    put(m, "unknown_donor_share", o.unknownDonorShare() != null ? o.unknownDonorShare()
        : latest == null ? null : latest.quality().unknownDonorShare());
    if (changeAt != Long.MIN_VALUE) m.put(CHANGE_AT, (double) Math.min(changeAt, eventTime));
    RetrainDecision d = new RetrainDecision(modelName, version, fired.text(), fired.kinds(), eventTime, dataFrom == Long.MAX_VALUE ? eventTime : dataFrom,
        dataTo == Long.MIN_VALUE ? eventTime : dataTo, m);
    dataFrom = Long.MAX_VALUE;
    dataTo = Long.MIN_VALUE;
    return d;
  }

  private List<Long> closingEnds(long watermark) {
    List<Long> ends = new ArrayList<>();
    if (panes.isEmpty()) return ends;
    long slide = settings.slideMillis();
    long first = panes.firstKey() + slide;
    long last = Math.min(watermark, panes.lastKey() + settings.windowMillis());
    for (long end = Math.max(first, lastClosedEnd + slide); end <= last; end += slide) {
      if (end > lastClosedEnd) ends.add(end);
    }
    return ends;
  }

  private static void put(Map<String, Double> m, String key, Double v) {
    if (v != null && Double.isFinite(v)) m.put(key, v);
  }
}
