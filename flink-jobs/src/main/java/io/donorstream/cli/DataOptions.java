package io.donorstream.cli;

import io.donorstream.data.H5adReadOptions;
import io.donorstream.data.NonFinitePolicy;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every command that reads an .h5ad shares. */
public final class DataOptions {
  @Option(names = "--data", required = true, description = "Input .h5ad (AnnData; e.g. a CELLxGENE Census export), or a training archive directory written by monitor --archive.")
  public Path file;

  @Option(names = "--embedding-key", required = true, description = "obsm key of the cell embedding (e.g. geneformer, X_pca).")
  public String embeddingKey;

  @Option(names = "--donor-column", defaultValue = "donor_id", description = "obs column with the donor (default ${DEFAULT-VALUE}).")
  public String donorColumn;

  @Option(names = "--sex-column", defaultValue = "sex", description = "obs column with the sex (default ${DEFAULT-VALUE}).")
  public String sexColumn;

  @Option(names = "--cell-type-column", defaultValue = "cell_type", description = "obs column with the cell type (default ${DEFAULT-VALUE}).")
  public String cellTypeColumn;

  @Option(names = "--drop-non-finite", description = "Leave out cells whose embedding has NaN/Inf (default: refuse the file).")
  public boolean dropNonFinite;

  public H5adReadOptions readOptions() {
    return H5adReadOptions.of(embeddingKey)
        .withColumns(donorColumn, sexColumn, cellTypeColumn)
        .withNonFinite(dropNonFinite ? NonFinitePolicy.DROP : NonFinitePolicy.REFUSE);
  }
}
