package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.config.ScoringOptions;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Path;
import java.util.Map;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The cluster main takes every scoring option from its arguments, else from the cluster's configuration. */
@ExtendWith(MiniLmEncoder.class)
class ScoringJobMainTest {
  @TempDir static Path dir;
  static Path model;

  @BeforeAll
  static void train(TransformerTextEncoder encoder) {
    model = ScoringFixtures.train(dir.resolve("m"), "1", 1, encoder);
  }

  @Test
  void argumentsWinOverTheClusterConfigurationWhichWinsOverDefaults() {
    Configuration cluster = Configuration.fromMap(Map.of(ScoringOptions.TOP_K.key(), "7", ScoringOptions.BATCH_SIZE.key(), "99",
        ScoringOptions.DUPLICATE_WINDOW_MILLIS.key(), "1234"));
    ScoringOptions o = ScoringJobMain.options(Map.of("model", model.toString(), "scoring.top-k", "5", "batch-millis", "7",
        "scoring.model.refuse-older", "false"), cluster);
    assertThat(o.modelPath).isEqualTo(model.toString());
    assertThat(o.embeddingWidth).as("from the model").isEqualTo(ScoringFixtures.CELLS.width());
    assertThat(o.topK).as("argument over cluster").isEqualTo(5);
    assertThat(o.batchMillis).as("short form").isEqualTo(7);
    assertThat(o.refuseOlderModels).isFalse();
    assertThat(o.batchSize).as("cluster over default").isEqualTo(99);
    assertThat(o.duplicateWindowMillis).isEqualTo(1234);
    assertThat(o.maxRecordBytes).as("default").isEqualTo(ScoringOptions.MAX_RECORD_BYTES.defaultValue());
  }

  @Test
  void withoutAModelTheEmbeddingWidthIsRequired() {
    assertThatThrownBy(() -> ScoringJobMain.options(Map.of(), new Configuration())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--embedding-width");
    assertThat(ScoringJobMain.options(Map.of("embedding-width", "16"), new Configuration()).embeddingWidth).isEqualTo(16);
  }

  @Test
  void anUnknownArgumentIsRefusedNamingTheNearestKnownOne() {
    assertThatThrownBy(() -> ScoringJobMain.options(Map.of("model", model.toString(), "scoring.top_k", "5"), new Configuration()))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("unknown argument --scoring.top_k; did you mean --scoring.top-k?")
        .hasMessageContaining("--checkpoint-interval");
    assertThatThrownBy(() -> ScoringJobMain.options(Map.of("embedding-width", "16", "bootstrp", "k:9092"), new Configuration()))
        .hasMessageStartingWith("unknown argument --bootstrp; did you mean --bootstrap?");
    assertThatThrownBy(() -> io.donorstream.monitor.MonitoringJobMain.ARGUMENTS.check(Map.of("bootstrap", "k:9092", "monitor.window-milis", "1")))
        .hasMessageStartingWith("unknown argument --monitor.window-milis; did you mean --monitor.window-millis?");
    io.donorstream.monitor.MonitoringJobMain.ARGUMENTS.check(Map.of("bootstrap", "k:9092", "archive", "file:///a", "model", "/m",
        "checkpoint-interval", "1000", "group-id", "g", io.donorstream.config.MonitorOptions.WINDOW_MILLIS.key(), "1"));
  }
}
