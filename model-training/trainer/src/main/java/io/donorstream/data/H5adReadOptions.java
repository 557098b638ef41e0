package io.donorstream.data;

/**
 * Which parts of an h5ad to read as cells.
 *
 * @param requireDonor false for scoring-only input, where a missing donor column is fine
 */
public record H5adReadOptions(
    String embeddingKey,
    String donorColumn,
    String sexColumn,
    String cellTypeColumn,
    String ontologyColumn,
    NonFinitePolicy nonFinite,
    boolean requireDonor) {

  public static H5adReadOptions of(String embeddingKey) {
    return new H5adReadOptions(embeddingKey, "donor_id", "sex", "cell_type", "cell_type_ontology_term_id", NonFinitePolicy.REFUSE, true);
  }

  public H5adReadOptions withColumns(String donor, String sex, String cellType) {
    return new H5adReadOptions(embeddingKey, donor, sex, cellType, ontologyColumn, nonFinite, requireDonor);
  }

  public H5adReadOptions withNonFinite(NonFinitePolicy policy) {
    return new H5adReadOptions(embeddingKey, donorColumn, sexColumn, cellTypeColumn, ontologyColumn, policy, requireDonor);
  }

  public H5adReadOptions scoringOnly() {
    return new H5adReadOptions(embeddingKey, donorColumn, sexColumn, cellTypeColumn, ontologyColumn, nonFinite, false);
  }
}
