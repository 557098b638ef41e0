package io.donorstream.scoring;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.JobCheckpoints;
import io.donorstream.config.KnownArguments;
import io.donorstream.config.ScoringOptions;
import io.donorstream.kafka.KafkaEndpoint;
import java.util.HashMap;
import java.util.stream.Stream;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the cluster job jar: {@code flink run -c io.donorstream.scoring.ScoringJobMain
 * donorstream-scoring.jar --bootstrap H:P [--kafka-config client.properties] --model /shared/models/vanilla/1
 * [--scoring.top-k 5 ...]}.
 * Every {@link ScoringOptions} key is accepted as {@code --<key> <value>} and read from the
 * cluster's configuration otherwise; {@code --model}, {@code --batch-size}, {@code --batch-millis},
 * {@code --top-k} and {@code --embedding-width} are short forms. State backend, checkpoint storage
 * and the Prometheus reporter come from the cluster's configuration. Any other argument is refused,
 * naming the nearest known one.
 */
public final class ScoringJobMain {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringJobMain.class);
  private static final Map<String, String> SHORT_FORMS = Map.of(
      "model", ScoringOptions.MODEL_PATH.key(),
      "batch-size", ScoringOptions.BATCH_SIZE.key(),
      "batch-millis", ScoringOptions.BATCH_MILLIS.key(),
      "top-k", ScoringOptions.TOP_K.key(),
      "embedding-width", ScoringOptions.EMBEDDING_WIDTH.key());

  private ScoringJobMain() {}

  public static void main(String[] args) throws Exception {
    ParameterTool p = ParameterTool.fromArgs(args);
    KafkaEndpoint kafka = KafkaEndpoint.fromJobArguments(p.toMap());
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    io.donorstream.config.JobCheckpoints.configure(env, p, LOG);
    ScoringOptions options = options(p.toMap(), env.getConfiguration());
    LOG.info("scoring options: {}", options.describe());
    KafkaScoringJob.onProjectTopics(kafka, p.get("group-id", "donorstream-scoring"), false).job(options).build(env);
    env.execute("donorstream-scoring");
  }

  /** Everything the main accepts: its own keys, the short forms and every scoring option. */
  static final KnownArguments ARGUMENTS = new KnownArguments(Stream.concat(Stream.of("bootstrap", KafkaEndpoint.CONFIG_ARGUMENT, "group-id",
      JobCheckpoints.INTERVAL_ARGUMENT),
      SHORT_FORMS.keySet().stream()).toList(), ScoringOptions.ALL);

  /**
   * The options from {@code --key value} arguments (short forms included), else from {@code cluster}.
   *
   * @throws IllegalArgumentException for an argument the main does not know
   */
  static ScoringOptions options(Map<String, String> arguments, org.apache.flink.configuration.ReadableConfig cluster) {
    ARGUMENTS.check(arguments);
    Map<String, String> args = new HashMap<>(arguments);
    SHORT_FORMS.forEach((shortForm, key) -> {
      if (args.containsKey(shortForm)) args.putIfAbsent(key, args.get(shortForm));
    });
    Configuration given = ScoringOptions.fromArguments(args);
    String model = given.getOptional(ScoringOptions.MODEL_PATH).orElse(cluster.getOptional(ScoringOptions.MODEL_PATH).orElse(null));
    int width = model != null ? ModelArtifact.readVerified(io.donorstream.artifact.VerifiedArtifact.path(model)).input_width : 0;
    ScoringOptions o = ScoringOptions.from(given, cluster, width);
    if (o.embeddingWidth <= 0) {
      throw new IllegalArgumentException("give --model DIR (or model.path), or --embedding-width N to wait for a model on model-updates");
    }
    return o;
  }
}
