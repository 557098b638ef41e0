package io.donorstream.inference;

/** A network's outputs for a set of cells, as plain arrays. */
public record Predictions(int n, int donors, int latentDim, float[] probabilities, float[] latent, float[] energy, float meanLoss) {

  public int predicted(int i) {
    int best = 0;
    for (int d = 1; d < donors; d++) {
      if (probabilities[i * donors + d] > probabilities[i * donors + best]) best = d;
    }
    return best;
  }

  public int[] predicted() {
    int[] p = new int[n];
    for (int i = 0; i < n; i++) p[i] = predicted(i);
    return p;
  }

  /** Share of cells whose predicted donor is {@code truth[i]}. */
  public double accuracy(int[] truth) {
    int correct = 0;
    for (int i = 0; i < n; i++) if (predicted(i) == truth[i]) correct++;
    return n == 0 ? 0 : (double) correct / n;
  }

  public float confidence(int i) {
    return probabilities[i * donors + predicted(i)];
  }

  public float[] latentRow(int i) {
    float[] out = new float[latentDim];
    System.arraycopy(latent, i * latentDim, out, 0, latentDim);
    return out;
  }
}
