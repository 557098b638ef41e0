package io.donorstream.synth;

import java.util.List;

/** Cell types the generator names its clusters after, with Cell Ontology ids. */
public final class CellTypeCatalog {
  public record CellType(String label, String ontologyId) {}

  /** The 16 central-nervous-system types of the original project, with its cell counts. */
  public static final List<CellType> SEED_CNS_TYPES = List.of(
      new CellType("oligodendrocyte", "CL:0000128"),
      new CellType("cerebellar granule cell", "CL:0001031"),
      new CellType("microglial cell", "CL:0000129"),
      new CellType("oligodendrocyte precursor cell", "CL:0002453"),
      new CellType("GABAergic neuron", "CL:0000617"),
      new CellType("astrocyte", "CL:0000127"),
      new CellType("mural cell", "CL:0008034"),
      new CellType("capillary endothelial cell", "CL:0002144"),
      new CellType("glutamatergic neuron", "CL:0000679"),
      new CellType("endothelial cell of artery", "CL:1000413"),
      new CellType("differentiation-committed oligodendrocyte precursor", "CL:4023059"),
      new CellType("vascular associated smooth muscle cell", "CL:0000359"),
      new CellType("leukocyte", "CL:0000738"),
      new CellType("central nervous system macrophage", "CL:0000878"),
      new CellType("neuron", "CL:0000540"),
      new CellType("ependymal cell", "CL:0000065"));

  public static final int[] SEED_CNS_COUNTS = {
    10_924, 8_678, 2_562, 2_036, 1_744, 1_557, 1_076, 1_072, 996, 336, 306, 158, 146, 110, 52, 27
  };

  /** Blood types, used first for generic sets (PBMC is the commonest single-cell sample). */
  private static final List<CellType> BLOOD_TYPES = List.of(
      new CellType("CD4-positive, alpha-beta T cell", "CL:0000624"),
      new CellType("classical monocyte", "CL:0000860"),
      new CellType("CD8-positive, alpha-beta T cell", "CL:0000625"),
      new CellType("natural killer cell", "CL:0000623"),
      new CellType("naive B cell", "CL:0000788"),
      new CellType("memory B cell", "CL:0000787"),
      new CellType("non-classical monocyte", "CL:0000875"),
      new CellType("regulatory T cell", "CL:0000815"),
      new CellType("conventional dendritic cell", "CL:0000990"),
      new CellType("gamma-delta T cell", "CL:0000798"),
      new CellType("plasmacytoid dendritic cell", "CL:0000784"),
      new CellType("plasma cell", "CL:0000786"),
      new CellType("platelet", "CL:0000233"),
      new CellType("hematopoietic stem cell", "CL:0000037"));

  private CellTypeCatalog() {}

  /** The first {@code n} types: blood types, then CNS types. */
  public static List<CellType> first(int n) {
    int max = BLOOD_TYPES.size() + SEED_CNS_TYPES.size();
    if (n < 1 || n > max) {
      throw new IllegalArgumentException("--cell-types must be between 1 and " + max + ", got " + n);
    }
    List<CellType> all = new java.util.ArrayList<>(BLOOD_TYPES);
    all.addAll(SEED_CNS_TYPES);
    return List.copyOf(all.subList(0, n));
  }
}
