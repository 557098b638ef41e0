package io.donorstream.data;

/** Cell embedding rows from {@code obsm}, row-major. */
public record Embedding(String key, int rows, int width, float[] values) {
  public float[] row(int i) {
    float[] out = new float[width];
    System.arraycopy(values, i * width, out, 0, width);
    return out;
  }
}
