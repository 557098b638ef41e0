package io.donorstream.scoring;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.ScoringOptions;
import io.donorstream.kafka.FlinkKafka;
import io.donorstream.kafka.ProjectTopics;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.ParameterTool;

/**
 * Entry point of the cluster job jar: {@code flink run -c io.donorstream.scoring.ScoringJobMain
 * donorstream-scoring.jar --bootstrap H:P --model /shared/models/vanilla/1}. State backend,
 * checkpoint storage and the Prometheus reporter come from the cluster's configuration.
 */
public final class ScoringJobMain {
  private ScoringJobMain() {}

  public static void main(String[] args) throws Exception {
    ParameterTool p = ParameterTool.fromArgs(args);
    String bootstrap = p.getRequired("bootstrap");
    String model = p.get("model");
    int width = model != null ? ModelArtifact.readVerified(ServingModel.path(model)).input_width : p.getInt("embedding-width");
    Configuration c = new Configuration();
    if (model != null) c.set(ScoringOptions.MODEL_PATH, model);
    c.set(ScoringOptions.BATCH_SIZE, p.getInt("batch-size", ScoringOptions.BATCH_SIZE.defaultValue()));
    c.set(ScoringOptions.BATCH_MILLIS, p.getLong("batch-millis", ScoringOptions.BATCH_MILLIS.defaultValue()));
    String group = p.get("group-id", "donorstream-scoring");
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
    env.enableCheckpointing(p.getLong("checkpoint-interval", 5000));
    new ScoringJob(
        FlinkKafka.source(bootstrap, ProjectTopics.CELLS, group, false),
        FlinkKafka.source(bootstrap, ProjectTopics.MODEL_UPDATES, group + "-models-" + System.nanoTime(), false),
        FlinkKafka.exactlyOnceSink(bootstrap, ProjectTopics.PREDICTIONS, group + "-predictions"),
        FlinkKafka.exactlyOnceSink(bootstrap, ProjectTopics.CELLS_DLQ, group + "-dlq"),
        new ScoringOptions(c, width)).build(env);
    env.execute("donorstream-scoring");
  }
}
