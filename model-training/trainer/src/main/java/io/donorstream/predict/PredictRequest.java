package io.donorstream.predict;

import io.donorstream.data.H5adReadOptions;
import java.nio.file.Path;
import java.util.Set;

/**
 * What to predict and where the answers go.
 *
 * @param onlyCells score only the cells with these ids (e.g. {@code train}'s test_cells.txt); null = every cell
 * @param csv the per-cell CSV
 * @param h5ad the same columns and the latent as an h5ad; null = none
 * @param chunkCells cells read from the file at a time
 * @param batchSize cells per scorer call (a multiple of 1,024 reproduces {@code train}'s numbers to the bit)
 * @param probeCells most cells the sex probe runs on
 * @param probeSeed the probe's seed
 */
public record PredictRequest(Path data, H5adReadOptions read, Set<String> onlyCells, Path csv, Path h5ad, int chunkCells, int batchSize, int topK,
    int probeCells, long probeSeed, boolean showProgress) {}
