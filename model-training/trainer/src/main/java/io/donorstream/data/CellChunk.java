package io.donorstream.data;

/**
 * Consecutive cells of a file, as {@link ChunkedCellReader} hands them out: ids, embedding rows
 * (row-major), cell types and, where the file has them, donors and sexes (null arrays when the
 * column is absent; null entries where a value is missing or sex is unknown).
 *
 * @param firstRow the file row of the chunk's first cell (cells dropped for non-finite values leave gaps after it)
 */
public record CellChunk(long firstRow, String[] cellIds, int width, float[] embedding, String[] cellTypes, String[] donorIds, String[] sexes) {

  public int size() {
    return cellIds.length;
  }
}
