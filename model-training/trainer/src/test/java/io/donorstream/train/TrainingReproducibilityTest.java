package io.donorstream.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.Gson;
import io.donorstream.artifact.ModelArtifact;
import io.donorstream.artifact.ModelManifest;
import io.donorstream.data.CellTable;
import io.donorstream.pipeline.TrainRequest;
import io.donorstream.pipeline.TrainingPipeline;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Same seed, same data → the same model and the same metrics.json, whatever ran before in the JVM
 * and whenever the garbage collector runs. The multimodal model with alignment and the sex
 * adversary is the one that used to diverge to NaN at random steps (see NativeScalars).
 */
@ExtendWith(MiniLmEncoder.class)
class TrainingReproducibilityTest {
  @TempDir static Path dir;
  static CellTable table;

  @BeforeAll
  static void data() {
    table = SyntheticDataGenerator.generate(SyntheticSpec.generic(1200, 5, 3, 16, "X_emb", 2.5, 1.5, 11), "tiny").table();
  }

  @Test
  void aSeededRunIsIdenticalAfterOtherTrainingAndUnderGarbageCollectorPressure(TransformerTextEncoder encoder) throws Exception {
    Path first = train(encoder, "multimodal", true, 5, "first");
    train(encoder, "vanilla", false, 9, "in-between");
    Path again;
    Thread collector = new Thread(TrainingReproducibilityTest::collectGarbageContinuously, "gc-pressure");
    collector.setDaemon(true);
    collector.start();
    try {
      again = train(encoder, "multimodal", true, 5, "again");
    } finally {
      collector.interrupt();
      collector.join();
    }
    assertThat(withoutTimings(again)).isEqualTo(withoutTimings(first));
    String params = ModelManifest.PARAMS_PREFIX + "-0000.params";
    assertThat(Files.readAllBytes(again.resolve(params))).as("parameters bit for bit").isEqualTo(Files.readAllBytes(first.resolve(params)));
  }

  private static Path train(TransformerTextEncoder encoder, String arch, boolean adversarial, long seed, String name) {
    Path out = dir.resolve(name);
    TrainSettings s = TrainSettings.defaults(arch, seed).withEpochs(4).withAlign(arch.equals("multimodal") ? 1 : 0).withDevice("cpu");
    new TrainingPipeline(m -> {}).run(TrainRequest.of(table, arch, s, out, encoder).adversarial(adversarial).build());
    return out;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> withoutTimings(Path artifact) throws Exception {
    Map<String, Object> m = new Gson().fromJson(Files.readString(artifact.resolve(ModelArtifact.METRICS)), Map.class);
    m.remove("train_seconds");
    return m;
  }

  /** Paces full collections a millisecond apart (the pressure that used to corrupt gradients). */
  private static void collectGarbageContinuously() {
    while (!Thread.currentThread().isInterrupted()) {
      System.gc();
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        return;
      }
    }
  }
}
