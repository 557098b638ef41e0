package io.donorstream.preprocess;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CellPreprocessorTest {
  @Test
  void embeddingsAreBitForBitTheCentringThenTheStandardising() {
    int width = 7;
    int n = 40;
    SplittableRandom rnd = new SplittableRandom(3);
    float[] raw = new float[n * width];
    for (int i = 0; i < raw.length; i++) raw[i] = (float) (rnd.nextGaussian() * 3 + 1);
    // Type -1 and a type beyond the known ones are centred on the overall mean.
    int[] typeOfRow = new int[n];
    for (int i = 0; i < n; i++) typeOfRow[i] = rnd.nextInt(5) - 1;
    float[][] typeMeans = {random(rnd, width), random(rnd, width), random(rnd, width)};
    TypeCentering centering = new TypeCentering(typeMeans, random(rnd, width));
    float[] std = random(rnd, width);
    for (int j = 0; j < width; j++) std[j] = Math.abs(std[j]) + 0.1f;
    Standardizer standardizer = new Standardizer(random(rnd, width), std);
    int[] rows = {5, 0, 39, 17, 17, 2};

    float[] expected = standardizer.apply(centering.center(raw, width, rows, typeOfRow), new int[] {0, 1, 2, 3, 4, 5});
    float[] actual = new CellPreprocessor(centering, standardizer, null, standardizer).embeddings(raw, width, rows, typeOfRow);

    assertArrayEquals(expected, actual, 0f);
  }

  private static float[] random(SplittableRandom rnd, int width) {
    float[] v = new float[width];
    for (int j = 0; j < width; j++) v[j] = (float) rnd.nextGaussian();
    return v;
  }
}
