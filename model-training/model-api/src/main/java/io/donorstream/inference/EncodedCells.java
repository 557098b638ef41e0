package io.donorstream.inference;

/**
 * Cells ready for a network: standardised embedding rows, cell-type index into the text table (-1
 * for an unknown type), donor index and sex (1 female, 0 male, -1 unknown).
 */
public record EncodedCells(String[] cellIds, int width, float[] gene, int[] typeIndex, int[] donor, int[] sex) {
  public int size() {
    return cellIds.length;
  }

  public boolean anySex() {
    for (int s : sex) if (s >= 0) return true;
    return false;
  }
}
