package io.donorstream.config;

import io.donorstream.quality.MonitorSettings;
import io.donorstream.quality.RetrainRules;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The MonitoringJob's options, settable as {@code -D key=value} ({@code monitor}), as
 * {@code --key value} (cluster main) or in the cluster's configuration. A rule threshold of NaN
 * switches that rule off.
 */
public final class MonitorOptions {
  public static final ConfigOption<Long> WINDOW_MILLIS = ConfigOptions.key("monitor.window-millis").longType().defaultValue(60_000L)
      .withDescription("Length of the sliding event-time windows quality is reported over, ms.");
  public static final ConfigOption<Long> SLIDE_MILLIS = ConfigOptions.key("monitor.slide-millis").longType().defaultValue(10_000L)
      .withDescription("How often a window closes, ms; the window length must be a multiple of it.");
  public static final ConfigOption<Double> FADING_FACTOR = ConfigOptions.key("monitor.fading-factor").doubleType().defaultValue(0.999)
      .withDescription("How fast the online probe's and challenger's scores forget: about 1 / (1 - f) labelled cells.");
  public static final ConfigOption<Long> LABEL_WAIT_MILLIS = ConfigOptions.key("monitor.label-wait-millis").longType().defaultValue(600_000L)
      .withDescription("How long (event time) a prediction waits for its label and a label for its prediction.");
  public static final ConfigOption<Long> OUT_OF_ORDERNESS_MILLIS = ConfigOptions.key("monitor.out-of-orderness-millis").longType()
      .defaultValue(5_000L).withDescription("How late (event time) a record may arrive and still count in its window.");
  public static final ConfigOption<Long> IDLE_MILLIS = ConfigOptions.key("monitor.idle-millis").longType().defaultValue(30_000L)
      .withDescription("After this long without records, an input (e.g. an empty labels topic) stops holding event time back.");
  public static final ConfigOption<Double> ACCURACY_FLOOR = ConfigOptions.key("monitor.rules.accuracy-floor").doubleType()
      .defaultValue(Double.NaN).withDescription("Retrain when windowed accuracy stays below this (NaN: off).");
  public static final ConfigOption<Double> LEAKAGE_CEILING = ConfigOptions.key("monitor.rules.leakage-ceiling").doubleType()
      .defaultValue(RetrainRules.Settings.defaults().leakageCeiling())
      .withDescription("Retrain when donor-held-out sex leakage (balanced accuracy - 0.5) stays above this (NaN: off).");
  public static final ConfigOption<Double> CHALLENGER_MARGIN = ConfigOptions.key("monitor.rules.challenger-margin").doubleType()
      .defaultValue(RetrainRules.Settings.defaults().challengerMargin())
      .withDescription("Retrain when the online challenger stays this far ahead of the champion (NaN: off).");
  public static final ConfigOption<Double> UNSEEN_DONOR_SHARE = ConfigOptions.key("monitor.rules.unseen-donor-share").doubleType()
      .defaultValue(RetrainRules.Settings.defaults().unseenDonorShare())
      .withDescription("Retrain when more than this share of labels name donors the model never saw (NaN: off).");
  public static final ConfigOption<Double> PSI_CEILING = ConfigOptions.key("monitor.rules.psi-ceiling").doubleType()
      .defaultValue(RetrainRules.Settings.defaults().psiCeiling())
      .withDescription("Retrain when the cell-type mix's PSI against training's stays above this (NaN: off).");
  public static final ConfigOption<Boolean> ON_DRIFT = ConfigOptions.key("monitor.rules.on-drift").booleanType().defaultValue(true)
      .withDescription("Retrain when ADWIN finds the champion's error rate rose.");
  public static final ConfigOption<Integer> RULE_WINDOWS = ConfigOptions.key("monitor.rules.windows").intType()
      .defaultValue(RetrainRules.Settings.defaults().windows())
      .withDescription("Windows in a row a rule must hold to fire, and fail to re-arm.");
  public static final ConfigOption<Long> COOLDOWN_MILLIS = ConfigOptions.key("monitor.rules.cooldown-millis").longType()
      .defaultValue(RetrainRules.Settings.defaults().cooldownMs())
      .withDescription("No second request for the same reason within this much event time (other reasons are not held back).");
  public static final ConfigOption<Double> UNKNOWN_DONOR_SHARE = ConfigOptions.key("monitor.rules.unknown-donor-share").doubleType()
      .defaultValue(RetrainRules.Settings.defaults().unknownDonorShare())
      .withDescription("Label-free: retrain when the estimated share of cells from donors the model does not know is above this with 95% confidence.");

  public static final List<ConfigOption<?>> ALL = List.of(WINDOW_MILLIS, SLIDE_MILLIS, FADING_FACTOR, LABEL_WAIT_MILLIS,
      OUT_OF_ORDERNESS_MILLIS, IDLE_MILLIS, ACCURACY_FLOOR, LEAKAGE_CEILING, CHALLENGER_MARGIN, UNSEEN_DONOR_SHARE, PSI_CEILING, ON_DRIFT, RULE_WINDOWS,
      COOLDOWN_MILLIS, UNKNOWN_DONOR_SHARE);

  public final MonitorSettings settings;
  public final long labelWaitMillis;
  public final long outOfOrdernessMillis;
  public final long idleMillis;
  private final String described;

  public MonitorOptions(ReadableConfig c) {
    settings = new MonitorSettings(c.get(WINDOW_MILLIS), c.get(SLIDE_MILLIS), c.get(FADING_FACTOR),
        new RetrainRules.Settings(c.get(ACCURACY_FLOOR), c.get(LEAKAGE_CEILING), c.get(CHALLENGER_MARGIN), c.get(UNSEEN_DONOR_SHARE), c.get(PSI_CEILING),
            c.get(ON_DRIFT), c.get(RULE_WINDOWS), c.get(COOLDOWN_MILLIS), c.get(UNKNOWN_DONOR_SHARE)));
    labelWaitMillis = c.get(LABEL_WAIT_MILLIS);
    outOfOrdernessMillis = c.get(OUT_OF_ORDERNESS_MILLIS);
    idleMillis = c.get(IDLE_MILLIS);
    StringBuilder d = new StringBuilder();
    for (ConfigOption<?> o : ALL) d.append(d.length() == 0 ? "" : " ").append(o.key()).append('=').append(c.get(o));
    described = d.toString();
  }

  public static MonitorOptions defaults() {
    return new MonitorOptions(new Configuration());
  }

  /** Arguments first, then {@code base} (the cluster's configuration), then defaults. */
  public static MonitorOptions from(Map<String, String> arguments, ReadableConfig base) {
    return new MonitorOptions(OptionSources.merge(ALL, OptionSources.fromArguments(ALL, arguments), base));
  }

  /** Every option with its effective value, for the job's log. */
  public String describe() {
    return described;
  }
}
