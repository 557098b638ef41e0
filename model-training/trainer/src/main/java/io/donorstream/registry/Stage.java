package io.donorstream.registry;

import com.google.gson.annotations.SerializedName;
import io.donorstream.schema.ModelRole;

/** Where a model version stands. */
public enum Stage {
  /** Trained and registered, not yet serving. */
  @SerializedName("candidate") CANDIDATE,
  /** Scoring the live cells beside the champion; its answers go to no consumer. */
  @SerializedName("shadow") SHADOW,
  /** The model whose answers consumers read. */
  @SerializedName("champion") CHAMPION,
  /** Not serving any more, with the reason in its decisions. */
  @SerializedName("retired") RETIRED;

  /**
   * The role a version in this stage is announced with on {@code model-updates}: a candidate is not
   * serving, so jobs treat it as retired.
   */
  public ModelRole role() {
    return switch (this) {
      case CHAMPION -> ModelRole.CHAMPION;
      case SHADOW -> ModelRole.SHADOW;
      case CANDIDATE, RETIRED -> ModelRole.RETIRED;
    };
  }

  @Override
  public String toString() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
