package io.donorstream.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.donorstream.model.ModelSpec;
import io.donorstream.train.Hyperparameters;
import io.donorstream.train.TrainSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** best.json carries a study's settings into `train --params`. */
class BestParamsTest {
  @TempDir Path dir;

  @Test
  void writtenSettingsComeBackAndReachTheModelAndTheTraining() {
    Map<String, Number> p = new LinkedHashMap<>();
    p.put(Hyperparameters.LEARNING_RATE, 0.003);
    p.put(Hyperparameters.WEIGHT_DECAY, 0.2);
    p.put(Hyperparameters.DROPOUT, 0.1);
    p.put(Hyperparameters.HIDDEN, 64.0);
    p.put(Hyperparameters.LATENTS, 16.0);
    p.put(Hyperparameters.HEADS, 2.0);
    p.put(Hyperparameters.INPUT_NOISE, 0.25);
    p.put(Hyperparameters.LAMBDA, 0.3);
    new BestParams("multimodal", true, false, 4, 0.41, "validation accuracy", p).write(dir.resolve("best.json"));

    BestParams back = BestParams.read(dir.resolve("best.json"));
    Hyperparameters h = back.hyperparameters();
    TrainSettings s = h.applyTo(TrainSettings.defaults("multimodal", 1));
    ModelSpec spec = h.applyTo(ModelSpec.multimodal(16, 8, 5, true));

    assertThat(back.model()).isEqualTo("multimodal");
    assertThat(back.trial()).isEqualTo(4);
    assertThat(s.learningRate()).isEqualTo(0.003f);
    assertThat(s.weightDecay()).isEqualTo(0.2f);
    assertThat(s.inputNoise()).isEqualTo(0.25f);
    assertThat(s.lambda()).isEqualTo(0.3f);
    assertThat(spec.hidden()).isEqualTo(64);
    assertThat(spec.dropout()).isEqualTo(0.1f);
    assertThat(spec.latents()).isEqualTo(16);
    assertThat(spec.heads()).isEqualTo(2);
  }

  @Test
  void aFileThatIsNotABestJsonIsRefusedWithItsName() throws Exception {
    Files.writeString(dir.resolve("x.json"), "{\"model\": \"vanilla\", \"params\": {\"learning_rte\": 0.1}}");
    assertThatThrownBy(() -> BestParams.read(dir.resolve("x.json"))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("x.json").hasMessageContaining("learning_rte");
    assertThatThrownBy(() -> BestParams.read(dir.resolve("missing.json"))).hasMessageContaining("missing.json");
  }
}
