package io.donorstream.artifact;

import io.donorstream.inference.ConfidenceCalibration;
import io.donorstream.model.ModelSpec;
import java.util.List;
import java.util.Map;

/**
 * The contents of {@code model.json}: everything a scorer needs besides the parameters, plus how
 * the model was trained and how it scored.
 */
public final class ModelManifest {
  public static final int FORMAT_VERSION = 1;
  public static final String FILE = "model.json";
  public static final String PARAMS_PREFIX = "donor-model";

  public int format_version = FORMAT_VERSION;
  public String name;
  public String version;
  public String created_at;
  public ModelSpec spec;
  public String embedding_key;
  public int input_width;
  /** Training mean embedding per cell type (in cell_types order), subtracted before standardising. */
  public float[][] type_means;
  public float[] global_mean;
  public float[] standardize_mean;
  public float[] standardize_std;
  /**
   * With a sex adversary: the unit direction of the sex difference shared across training donors,
   * partly projected out of standardised embeddings ({@code x - strength (u·x) u}); null otherwise.
   */
  public float[] sex_erasure;
  public float sex_erasure_strength;
  /** {@link io.donorstream.preprocess.DiscriminantSubspace}: row-major width x dims; null when the network reads the whole embedding. */
  public float[] input_subspace;
  public int input_subspace_dims;
  public List<String> donors;
  public Map<String, String> donor_sex;
  public String text_encoder;
  public int text_dim;
  public List<String> cell_types;
  public Map<String, float[]> text_embeddings;
  /** Training statistics that standardise text embeddings before the network sees them. */
  public float[] text_mean;
  public float[] text_std;
  /** Energy (-logsumexp of logits) above which a cell is flagged as from no known donor. */
  public float unknown_energy_threshold;
  public String unknown_calibration;
  /**
   * Top-1 confidence to the chance of being right, fitted on validation; monitors estimate accuracy
   * from it without labels. Null in artifacts written before it existed.
   */
  public ConfidenceCalibration confidence_calibration;
  /**
   * Distance to the known donors and its calibration on validation, for the label-free share of
   * cells from unknown donors; null in artifacts written before it existed.
   */
  public io.donorstream.inference.DonorNovelty donor_novelty;
  /** Share of training cells per cell type: the reference for cell-type mix drift. */
  public Map<String, Double> cell_type_mix;
  public String params_file;
  public Map<String, Object> training;
  public Map<String, Object> metrics;
}
