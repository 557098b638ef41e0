package io.donorstream.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class LossesTest {

  @Test
  void infoNceEqualsTheHandComputedValue() {
    float[][] a = {{1, 0}, {0, 2}, {1, 1}};
    float[][] b = {{2, 0}, {1, 1}, {0, 1}};
    float scale = 2f;
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      double got = Losses.infoNce(m.create(a), m.create(b), m.create(new float[] {scale}), m.eye(3)).getFloat();
      assertThat(got).isCloseTo(handInfoNce(a, b, scale, new float[] {1, 0, 0, 0, 1, 0, 0, 0, 1}), within(1e-5));
    }
  }

  @Test
  void infoNceSpreadsTheTargetOverCellsOfTheSameType() {
    float[][] a = {{1, 0}, {1, 0.1f}, {0, 1}};
    float[][] b = {{1, 0.2f}, {0.5f, 1}, {0, 1}};
    float[] sameType = {1, 1, 0, 1, 1, 0, 0, 0, 1};
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      double got = Losses.infoNce(m.create(a), m.create(b), m.create(new float[] {5f}), m.create(sameType, new Shape(3, 3))).getFloat();
      assertThat(got).isCloseTo(handInfoNce(a, b, 5f, sameType), within(1e-5));
    }
  }

  @Test
  void binaryCrossEntropyIgnoresUnknownSex() {
    try (NDManager m = NDManager.newBaseManager("PyTorch")) {
      float[] logits = {2f, -1f, 40f};
      float[] target = {1f, 0f, 0f};
      float[] mask = {1f, 1f, 0f};
      double got = Losses.binaryCrossEntropy(m.create(logits, new Shape(3, 1)), m.create(target), m.create(mask)).getFloat();
      double expected = (Math.log(1 + Math.exp(-2)) + Math.log(1 + Math.exp(-1))) / 2;
      assertThat(got).isCloseTo(expected, within(1e-6));
    }
  }

  /**
   * CLIP's symmetric loss computed by hand: for each row, cross-entropy of softmax(similarities)
   * against the row's positives spread evenly; the same for columns; the two averaged.
   */
  private static double handInfoNce(float[][] a, float[][] b, float scale, float[] positives) {
    int n = a.length;
    double[][] s = new double[n][n];
    for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) s[i][j] = scale * cos(a[i], b[j]);
    double rows = 0;
    double cols = 0;
    for (int i = 0; i < n; i++) {
      double zr = 0;
      double zc = 0;
      double np = 0;
      for (int j = 0; j < n; j++) {
        zr += Math.exp(s[i][j]);
        zc += Math.exp(s[j][i]);
        np += positives[i * n + j];
      }
      for (int j = 0; j < n; j++) {
        double t = positives[i * n + j] / np;
        rows += -t * (s[i][j] - Math.log(zr));
        cols += -t * (s[j][i] - Math.log(zc));
      }
    }
    return (rows / n + cols / n) / 2;
  }

  private static double cos(float[] x, float[] y) {
    double d = 0;
    double nx = 0;
    double ny = 0;
    for (int i = 0; i < x.length; i++) {
      d += x[i] * y[i];
      nx += x[i] * x[i];
      ny += y[i] * y[i];
    }
    return d / Math.sqrt(nx * ny);
  }
}
