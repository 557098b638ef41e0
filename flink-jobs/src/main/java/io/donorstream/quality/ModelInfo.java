package io.donorstream.quality;

import io.donorstream.artifact.ModelManifest;
import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.inference.DonorNovelty;
import java.io.Serializable;
import java.util.Map;
import java.util.Set;

/**
 * What the monitor needs to know about a served model: which donors it knows and their sexes, its
 * confidence calibration (null for artifacts older than calibration), its training cell-type mix and
 * its novelty calibration (null for artifacts older than it).
 * {@code donors} is null for a version whose artifact the monitor never saw.
 */
public record ModelInfo(String name, String version, Set<String> donors, Map<String, String> donorSex,
    ConfidenceCalibration calibration, Map<String, Double> cellTypeMix, DonorNovelty novelty) implements Serializable {

  public static ModelInfo of(ModelManifest m) {
    return new ModelInfo(m.name, m.version, Set.copyOf(m.donors), m.donor_sex == null ? Map.of() : nonNull(m.donor_sex),
        m.confidence_calibration, m.cell_type_mix == null ? Map.of() : Map.copyOf(m.cell_type_mix),
        m.donor_novelty == null ? null : m.donor_novelty.calibration());
  }

  /** A version never announced: no donors, sexes, calibration, mix or novelty known (those metrics are null). */
  public static ModelInfo unknown(String name, String version) {
    return new ModelInfo(name, version, null, Map.of(), null, Map.of(), null);
  }

  /** Whether the model's donors are known at all. */
  public boolean hasDonors() {
    return donors != null;
  }

  public boolean knows(String donor) {
    return donors != null && donors.contains(donor);
  }

  private static Map<String, String> nonNull(Map<String, String> m) {
    Map<String, String> out = new java.util.HashMap<>();
    m.forEach((k, v) -> {
      if (v != null) out.put(k, v);
    });
    return Map.copyOf(out);
  }
}
