package io.donorstream.tune;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ParamTest {
  @Test
  void rejectsInvalidDimensionsWithClearMessages() {
    assertThatThrownBy(() -> Param.uniform("x", 1, 1)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("low < high");
    assertThatThrownBy(() -> Param.uniform("x", 2, 1)).hasMessageContaining("low=2.0 high=1.0");
    assertThatThrownBy(() -> Param.uniform("x", 0, Double.POSITIVE_INFINITY)).hasMessageContaining("finite");
    assertThatThrownBy(() -> Param.logUniform("lr", 0, 1)).hasMessageContaining("low > 0");
    assertThatThrownBy(() -> Param.logInteger("n", 0, 8)).hasMessageContaining("low > 0");
    assertThatThrownBy(() -> Param.choice("c")).hasMessageContaining("at least one value");
    assertThatThrownBy(() -> Param.choice("c", 1, 2, 1)).hasMessageContaining("twice");
    assertThatThrownBy(() -> new Param("k", Param.Kind.INT, 0.5, 3, null)).hasMessageContaining("integer bounds");
    assertThatThrownBy(() -> Param.uniform("a,b", 0, 1)).hasMessageContaining("trials.csv column");
    assertThatThrownBy(() -> Param.uniform("", 0, 1)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void logCoordinatesAreNaturalLogsAndRoundTrip() {
    Param lr = Param.logUniform("lr", 1e-5, 1e-1);
    assertThat(lr.coordinateLow()).isCloseTo(Math.log(1e-5), within(1e-12));
    assertThat(lr.coordinateHigh()).isCloseTo(Math.log(1e-1), within(1e-12));
    assertThat(lr.fromCoordinate(lr.toCoordinate(3e-4))).isCloseTo(3e-4, within(1e-18));
    assertThat(lr.fromCoordinate(lr.coordinateHigh() + 1)).isEqualTo(1e-1);
    assertThat(lr.toCoordinate(0)).isEqualTo(Math.log(1e-5)); // clipped, not -Infinity
  }

  @Test
  void integersRoundAndClipWithinInclusiveBounds() {
    Param layers = Param.integer("layers", 1, 4);
    assertThat(layers.coordinateLow()).isEqualTo(0.5);
    assertThat(layers.coordinateHigh()).isEqualTo(4.5);
    assertThat(layers.fromCoordinate(0.5)).isEqualTo(1);
    assertThat(layers.fromCoordinate(2.49)).isEqualTo(2);
    assertThat(layers.fromCoordinate(4.5)).isEqualTo(4);
    assertThat(layers.clip(9.7)).isEqualTo(4);
    assertThat(layers.contains(3)).isTrue();
    assertThat(layers.contains(2.5)).isFalse();
    Param batch = Param.logInteger("batch", 16, 512);
    assertThat(batch.fromCoordinate(Math.log(100.3))).isEqualTo(100);
    assertThat(batch.fromCoordinate(batch.coordinateLow())).isEqualTo(16);
  }

  @Test
  void choicesMapToIndicesAndNearestValues() {
    Param dropout = Param.choice("dropout", 0.0, 0.1, 0.3);
    assertThat(dropout.low()).isEqualTo(0.0);
    assertThat(dropout.high()).isEqualTo(0.3);
    assertThat(dropout.toCoordinate(0.3)).isEqualTo(2);
    assertThat(dropout.fromCoordinate(1.2)).isEqualTo(0.1);
    assertThat(dropout.fromCoordinate(-7)).isEqualTo(0.0);
    assertThat(dropout.clip(0.25)).isEqualTo(0.3);
    assertThat(dropout.contains(0.2)).isFalse();
    assertThat(dropout).isEqualTo(Param.choice("dropout", 0.0, 0.1, 0.3));
    double[] leaked = dropout.choices();
    leaked[0] = 9;
    assertThat(dropout.choices()[0]).isEqualTo(0.0);
  }
}
