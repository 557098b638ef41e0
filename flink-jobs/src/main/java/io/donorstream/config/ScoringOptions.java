package io.donorstream.config;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/**
 * The scoring job's settings, as Flink {@link ConfigOption}s with dotted keys and defaults. Every
 * option can be given as {@code --<key> <value>} to the cluster main, as {@code -D <key>=<value>} to
 * {@code score}, or in the Flink configuration ({@code config.yaml}); arguments win.
 */
public final class ScoringOptions implements Serializable {
  public static final ConfigOption<String> MODEL_PATH = ConfigOptions.key("model.path").stringType().noDefaultValue()
      .withDescription("Artifact directory of the model to start with; later models arrive on model-updates.");
  public static final ConfigOption<Integer> EMBEDDING_WIDTH = ConfigOptions.key("scoring.embedding.width").intType().defaultValue(0)
      .withDescription("Expected embedding width; 0 = the initial model's input width.");
  public static final ConfigOption<Integer> BATCH_SIZE = ConfigOptions.key("scoring.batch.size").intType().defaultValue(1024)
      .withDescription("Cells per DJL call at most.");
  public static final ConfigOption<Long> BATCH_TARGET_MILLIS = ConfigOptions.key("scoring.batch.target-millis").longType().defaultValue(15L)
      .withDescription("A batch is full at as many cells as the serving model scores in this time (learned as it scores; at most"
          + " scoring.batch.size): expensive cells are scored fewer at a time, so reading overlaps scoring. 0 = always scoring.batch.size.");
  public static final ConfigOption<Long> BATCH_MILLIS = ConfigOptions.key("scoring.batch.millis").longType().defaultValue(20L)
      .withDescription("Longest a cell waits for its batch to fill.");
  public static final ConfigOption<Boolean> SCORER_THREAD = ConfigOptions.key("scoring.scorer-thread").booleanType().defaultValue(true)
      .withDescription("Score each costly batch on a thread of the subtask's own while the next is read and the last one's answers"
          + " written (false: every batch on the task thread, in turns).");
  public static final ConfigOption<Long> SCORER_THREAD_MIN_MILLIS = ConfigOptions.key("scoring.scorer-thread.min-batch-millis").longType()
      .defaultValue(5L).withDescription("A batch goes to the scorer thread when the serving model is expected (learned from its own batches)"
          + " to take at least this long on it; cheaper batches are scored on the task thread, where the hand-over would cost them latency"
          + " and buy nothing. 0 = every batch.");
  public static final ConfigOption<Integer> SCORER_THREAD_IN_FLIGHT = ConfigOptions.key("scoring.scorer-thread.in-flight").intType()
      .defaultValue(2).withDescription("Batches handed to the scorer thread and not yet answered, at most: one being scored and the"
          + " next waiting, so the scorer never waits for the task thread to fill a batch, and a task thread blocks (and holds back its"
          + " upstream, which feeds the other subtasks too) only when its scorer is a whole batch behind. 1 = one at a time.");
  public static final ConfigOption<Long> BUFFER_TIMEOUT_MILLIS = ConfigOptions.key("scoring.network.buffer-timeout-millis").longType()
      .defaultValue(10L).withDescription("Longest a record waits in a network buffer between reading and scoring (Flink's default is 100).");
  public static final ConfigOption<Integer> MAX_RECORD_BYTES = ConfigOptions.key("scoring.record.max-bytes").intType().defaultValue(1 << 20)
      .withDescription("Larger records are dead-lettered as oversized.");
  public static final ConfigOption<Boolean> UNKNOWN_TYPE_DEAD_LETTER = ConfigOptions.key("scoring.unknown-cell-type.dead-letter")
      .booleanType().defaultValue(true)
      .withDescription("Dead-letter cells of a type the model has not seen (false: score them with the unknown-type vector).");
  public static final ConfigOption<Boolean> DUPLICATE_DEAD_LETTER = ConfigOptions.key("scoring.duplicates.dead-letter")
      .booleanType().defaultValue(true).withDescription("Dead-letter a cell id seen again within the window (false: score it again).");
  public static final ConfigOption<Long> DUPLICATE_WINDOW_MILLIS = ConfigOptions.key("scoring.duplicates.window-millis").longType()
      .defaultValue(600_000L).withDescription("How long a cell id is remembered for duplicate detection.");
  public static final ConfigOption<Integer> TOP_K = ConfigOptions.key("scoring.top-k").intType().defaultValue(3)
      .withDescription("Donors listed per prediction.");
  public static final ConfigOption<Boolean> REFUSE_OLDER_MODELS = ConfigOptions.key("scoring.model.refuse-older").booleanType()
      .defaultValue(true).withDescription("Staleness guard: refuse a model update whose version is not newer than the serving one.");

  public static final ConfigOption<Double> LATENT_UNLABELLED_SHARE = ConfigOptions.key("scoring.latent.unlabelled-share").doubleType()
      .defaultValue(0.1).withDescription("Share of unlabelled cells whose prediction carries the latent (a fixed sample by a hash of the"
          + " cell id, so labels that come later for those cells still reach the monitor's probes); labelled cells always carry it.");

  /** Every option, for parsing and for printing the effective settings. */
  public static final List<ConfigOption<?>> ALL = List.of(MODEL_PATH, EMBEDDING_WIDTH, BATCH_SIZE, BATCH_TARGET_MILLIS, BATCH_MILLIS, SCORER_THREAD,
      SCORER_THREAD_MIN_MILLIS, SCORER_THREAD_IN_FLIGHT, BUFFER_TIMEOUT_MILLIS,
      MAX_RECORD_BYTES, UNKNOWN_TYPE_DEAD_LETTER, DUPLICATE_DEAD_LETTER, DUPLICATE_WINDOW_MILLIS, TOP_K, REFUSE_OLDER_MODELS,
      LATENT_UNLABELLED_SHARE);

  public final String modelPath;
  public final int embeddingWidth;
  public final int batchSize;
  public final long batchTargetMillis;
  public final long batchMillis;
  public final boolean scorerThread;
  public final long scorerThreadMinMillis;
  public final int scorerThreadInFlight;
  public final long bufferTimeoutMillis;
  public final int maxRecordBytes;
  public final boolean unknownTypeDeadLetter;
  public final boolean duplicateDeadLetter;
  public final long duplicateWindowMillis;
  public final int topK;
  public final boolean refuseOlderModels;
  public final double latentUnlabelledShare;
  private final Configuration settings;

  /**
   * The options set in {@code overrides} (e.g. parsed from arguments), else in {@code base} (e.g.
   * the cluster's configuration), else their defaults.
   */
  public static ScoringOptions from(ReadableConfig overrides, ReadableConfig base, int embeddingWidth) {
    return new ScoringOptions(OptionSources.merge(ALL, overrides, base), embeddingWidth);
  }

  /** The options among {@code --key value} arguments (keys as in {@link #ALL}). */
  public static Configuration fromArguments(Map<String, String> arguments) {
    return OptionSources.fromArguments(ALL, arguments);
  }

  /** One line with every option's effective value, for the job's log. */
  public String describe() {
    StringJoiner line = new StringJoiner(" ");
    for (ConfigOption<?> o : ALL) line.add(o.key() + "=" + (o == EMBEDDING_WIDTH ? embeddingWidth : settings.get(o)));
    return line.toString();
  }

  public ScoringOptions(Configuration c, int embeddingWidth) {
    this.settings = new Configuration(c);
    this.modelPath = c.get(MODEL_PATH);
    this.embeddingWidth = c.get(EMBEDDING_WIDTH) > 0 ? c.get(EMBEDDING_WIDTH) : embeddingWidth;
    this.batchSize = c.get(BATCH_SIZE);
    this.batchTargetMillis = c.get(BATCH_TARGET_MILLIS);
    if (batchTargetMillis < 0) throw new IllegalArgumentException(BATCH_TARGET_MILLIS.key() + " must be >= 0, got " + batchTargetMillis);
    this.batchMillis = c.get(BATCH_MILLIS);
    this.scorerThread = c.get(SCORER_THREAD);
    this.scorerThreadMinMillis = c.get(SCORER_THREAD_MIN_MILLIS);
    if (scorerThreadMinMillis < 0) {
      throw new IllegalArgumentException(SCORER_THREAD_MIN_MILLIS.key() + " must be >= 0, got " + scorerThreadMinMillis);
    }
    this.scorerThreadInFlight = c.get(SCORER_THREAD_IN_FLIGHT);
    if (scorerThreadInFlight < 1) {
      throw new IllegalArgumentException(SCORER_THREAD_IN_FLIGHT.key() + " must be >= 1, got " + scorerThreadInFlight);
    }
    this.bufferTimeoutMillis = c.get(BUFFER_TIMEOUT_MILLIS);
    this.maxRecordBytes = c.get(MAX_RECORD_BYTES);
    this.unknownTypeDeadLetter = c.get(UNKNOWN_TYPE_DEAD_LETTER);
    this.duplicateDeadLetter = c.get(DUPLICATE_DEAD_LETTER);
    this.duplicateWindowMillis = c.get(DUPLICATE_WINDOW_MILLIS);
    this.topK = c.get(TOP_K);
    this.refuseOlderModels = c.get(REFUSE_OLDER_MODELS);
    this.latentUnlabelledShare = c.get(LATENT_UNLABELLED_SHARE);
    if (!(latentUnlabelledShare >= 0 && latentUnlabelledShare <= 1)) {
      throw new IllegalArgumentException(LATENT_UNLABELLED_SHARE.key() + " must be within [0, 1], got " + latentUnlabelledShare);
    }
  }
}
