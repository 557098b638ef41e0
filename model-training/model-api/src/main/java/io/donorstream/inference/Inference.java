package io.donorstream.inference;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.donorstream.model.DonorNet;

/**
 * Evaluation-mode forward passes in fixed-size chunks, shared by the trainer and the scorer so
 * both compute the very same numbers. Arrays live in a per-chunk sub-manager; results are copied
 * to Java arrays once per chunk.
 */
public final class Inference {
  public static final int CHUNK = 1024;

  private Inference() {}

  public static Predictions predict(DonorNet net, ParameterStore ps, NDManager parent, Batches data) {
    EncodedCells cells = data.cells();
    int n = cells.size();
    int donors = net.spec().donors();
    int h = net.spec().hidden();
    float[] probs = new float[n * donors];
    float[] latent = new float[n * h];
    float[] energy = new float[n];
    double lossSum = 0;
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager m = parent.newSubManager()) {
        NDList out = net.forward(ps, data.inputs(m, from, to), false);
        NDArray logits = out.get(DonorNet.LOGITS);
        NDArray logp = logits.logSoftmax(-1);
        System.arraycopy(logp.exp().toFloatArray(), 0, probs, from * donors, (to - from) * donors);
        System.arraycopy(out.get(DonorNet.LATENT).toFloatArray(), 0, latent, from * h, (to - from) * h);
        // Energy = -logsumexp(logits): high when no donor fits well (Liu et al. 2020).
        NDArray max = logits.max(new int[] {1}, true);
        NDArray logSumExp = logits.sub(max).exp().sum(new int[] {1}, true).log().add(max);
        System.arraycopy(logSumExp.neg().toFloatArray(), 0, energy, from, to - from);
        if (cells.donor() != null && cells.donor()[0] >= 0) {
          NDArray y = data.donorOneHot(m, from, to, donors);
          lossSum += logp.mul(y).sum().neg().getFloat();
        }
      }
    }
    return new Predictions(n, donors, h, probs, latent, energy, (float) (lossSum / n));
  }

  /**
   * A named output averaged over the cells of each group, and over the heads of an attention
   * output ([cells, heads, ...]): per group the flattened mean of the remaining axes.
   */
  public static float[][] meanPerGroup(DonorNet net, ParameterStore ps, NDManager parent, Batches data, String output, int[] group, int groups) {
    int n = data.cells().size();
    double[][] sum = null;
    int[] count = new int[groups];
    for (int from = 0; from < n; from += CHUNK) {
      int to = Math.min(n, from + CHUNK);
      try (NDManager m = parent.newSubManager()) {
        NDArray a = net.forward(ps, data.inputs(m, from, to), false).get(output);
        if (a.getShape().dimension() == 4) a = a.mean(new int[] {1});
        float[] v = a.reshape(to - from, -1).toFloatArray();
        int width = v.length / (to - from);
        if (sum == null) sum = new double[groups][width];
        for (int i = from; i < to; i++) {
          count[group[i]]++;
          for (int j = 0; j < width; j++) sum[group[i]][j] += v[(i - from) * width + j];
        }
      }
    }
    float[][] mean = new float[groups][];
    for (int g = 0; g < groups; g++) {
      mean[g] = new float[sum == null ? 0 : sum[g].length];
      for (int j = 0; j < mean[g].length; j++) mean[g][j] = count[g] == 0 ? 0f : (float) (sum[g][j] / count[g]);
    }
    return mean;
  }
}
