package io.donorstream.cli;

import io.donorstream.data.H5adWriter;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    description = {
      "Write a synthetic .h5ad with known Bayes-optimal donor accuracy.",
      "Donors with a sex each, imbalanced cell types, an embedding with a donor signal and a planted",
      "sex direction. Prints (and stores in uns) the Bayes-optimal donor",
      "accuracy of its generating model and the sex-blind Bayes-optimal accuracy: the yardsticks for",
      "the models and for the adversarial trade-off."
    },
    footer = {"", "Example:", "  ./donorstream generate --preset seed-cns --out /tmp/s.h5ad"})
public final class GenerateCommand implements Callable<Integer> {
  @Option(names = "--out", required = true, description = "Output .h5ad file.")
  Path out;

  @Option(names = "--preset", description = "seed-cns: the original project's shape (31,780 cells, 512-d 'geneformer', 14 donors 6+8, its 16 cell types).")
  String preset;

  @Option(names = "--cells", defaultValue = "10000", description = "Cells (default ${DEFAULT-VALUE}).")
  int cells;

  @Option(names = "--donors", defaultValue = "12", description = "Donors, half female (default ${DEFAULT-VALUE}).")
  int donors;

  @Option(names = "--cell-types", defaultValue = "8", description = "Cell types, Zipf-imbalanced (default ${DEFAULT-VALUE}).")
  int cellTypes;

  @Option(names = "--width", defaultValue = "64", description = "Embedding width (default ${DEFAULT-VALUE}).")
  int width;

  @Option(names = "--embedding-key", description = "obsm key (default: geneformer for seed-cns, else X_emb).")
  String embeddingKey;

  @Option(names = "--donor-signal", description = "Distance of each donor's mean from its cell type's centroid, in noise SDs (default 2.0).")
  Double donorSignal;

  @Option(names = "--sex-signal", description = "Shift along the planted sex direction, +/- per sex, in noise SDs (default 1.5; 0 = none).")
  Double sexSignal;

  @Option(names = "--seed", defaultValue = "42", description = "Random seed (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() throws Exception {
    long t0 = System.nanoTime();
    SyntheticSpec spec = spec();
    String dataset = out.getFileName().toString().replaceFirst("\\.h5ad$", "");
    SyntheticDataGenerator.Result r = SyntheticDataGenerator.generate(spec, dataset);
    Map<String, Object> uns = new LinkedHashMap<>();
    uns.put("generator", "donorstream generate");
    uns.put("preset", spec.preset());
    uns.put("seed", spec.seed());
    uns.put("donor_signal", spec.donorSignal());
    uns.put("sex_signal", spec.sexSignal());
    uns.put("intrinsic_dim", spec.latentDim());
    uns.put("isotropic_noise", spec.isotropicNoise());
    uns.put("bayes_optimal_accuracy", r.bayes().value());
    uns.put("bayes_optimal_accuracy_se", r.bayes().standardError());
    uns.put("sex_blind_bayes_optimal_accuracy", r.sexBlindBayes().value());
    uns.put("sex_blind_bayes_optimal_accuracy_se", r.sexBlindBayes().standardError());
    if (out.toAbsolutePath().getParent() != null) {
      Files.createDirectories(out.toAbsolutePath().getParent());
    }
    H5adWriter.write(out, r.table(), uns);
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("wrote %s: %,d cells x %d (obsm['%s']), %d donors (%d female, %d male), %d cell types in %.1f s%n",
        out, spec.cells(), spec.width(), spec.embeddingKey(), spec.donors(), spec.femaleDonors(), spec.maleDonors(),
        spec.cellTypes().size(), seconds);
    System.out.printf("bayes_optimal_accuracy=%.4f (+/- %.4f)%n", r.bayes().value(), r.bayes().standardError());
    System.out.printf("sex_blind_bayes_optimal_accuracy=%.4f (+/- %.4f)%n", r.sexBlindBayes().value(), r.sexBlindBayes().standardError());
    System.out.printf("majority_class_accuracy=%.4f%n", majority(r));
    return 0;
  }

  private static double majority(SyntheticDataGenerator.Result r) {
    Map<String, Integer> counts = new java.util.HashMap<>();
    for (String d : r.table().donorIds()) counts.merge(d, 1, Integer::sum);
    return counts.values().stream().mapToInt(Integer::intValue).max().orElse(0) / (double) r.table().size();
  }

  private SyntheticSpec spec() {
    if (preset != null) {
      if (!preset.equals("seed-cns")) {
        throw new UserError("unknown preset '" + preset + "'; the presets are: seed-cns");
      }
      SyntheticSpec p = SyntheticSpec.seedCns(seed);
      return new SyntheticSpec(p.preset(), p.cells(), p.femaleDonors(), p.maleDonors(), p.cellTypes(), p.cellTypeCounts(),
          p.width(), p.latentDim(), p.isotropicNoise(), embeddingKey != null ? embeddingKey : p.embeddingKey(),
          donorSignal != null ? donorSignal : p.donorSignal(), sexSignal != null ? sexSignal : p.sexSignal(),
          p.typeSeparation(), seed);
    }
    if (cells < donors) {
      throw new UserError("--cells (" + cells + ") must be at least --donors (" + donors + ")");
    }
    return SyntheticSpec.generic(cells, donors, cellTypes, width, embeddingKey != null ? embeddingKey : "X_emb",
        donorSignal != null ? donorSignal : 2.0, sexSignal != null ? sexSignal : 1.5, seed);
  }
}
