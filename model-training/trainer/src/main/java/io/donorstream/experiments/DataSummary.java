package io.donorstream.experiments;

import io.donorstream.data.CellTable;
import java.util.Map;
import java.util.TreeMap;

/** What a comparison ran on: cells per donor (with its sex), per sex and per cell type. */
public record DataSummary(String dataset, String embeddingKey, int cells, int width, Map<String, Integer> cellsPerDonor,
    Map<String, String> donorSex, Map<String, Integer> cellsPerSex, Map<String, Integer> cellsPerCellType) {

  public static DataSummary of(CellTable t) {
    Map<String, Integer> perDonor = new TreeMap<>();
    Map<String, String> sexOf = new TreeMap<>();
    Map<String, Integer> perSex = new TreeMap<>();
    Map<String, Integer> perType = new TreeMap<>();
    for (int i = 0; i < t.size(); i++) {
      String sex = t.hasSex() && t.sexes()[i] != null ? t.sexes()[i] : "unknown";
      perDonor.merge(t.donorIds()[i], 1, Integer::sum);
      sexOf.put(t.donorIds()[i], sex);
      perSex.merge(sex, 1, Integer::sum);
      perType.merge(t.cellTypes()[i], 1, Integer::sum);
    }
    return new DataSummary(t.datasetId(), t.embeddingKey(), t.size(), t.width(), perDonor, sexOf, perSex, perType);
  }
}
