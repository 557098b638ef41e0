package io.donorstream.schema.serde;

import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.DonorScore;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;

/** {@link DonorPrediction}'s body, written per cell by the scoring job and read per cell by the monitor. */
final class DonorPredictionCodec extends DirectCodec<DonorPrediction> {
  DonorPredictionCodec() {
    super("cell_id", "dataset_id", "event_time", "scored_at", "model_name", "model_version", "predicted_donor", "top_k", "confidence",
        "unknown_donor", "latent", "cell_type", "true_donor_id", "sex", "novelty");
  }

  @Override
  void write(DonorPrediction p, BinaryEncoder out) throws IOException {
    writeRequired(out, p.getCellId(), "DonorPrediction.cell_id");
    writeRepeated(out, p.getDatasetId(), "DonorPrediction.dataset_id");
    out.writeLong(p.getEventTime().toEpochMilli());
    out.writeLong(p.getScoredAt().toEpochMilli());
    writeRepeated(out, p.getModelName(), "DonorPrediction.model_name");
    writeRepeated(out, p.getModelVersion(), "DonorPrediction.model_version");
    writeRepeated(out, p.getPredictedDonor(), "DonorPrediction.predicted_donor");
    List<DonorScore> top = p.getTopK();
    out.writeArrayStart();
    out.setItemCount(top.size());
    for (DonorScore s : top) {
      out.startItem();
      writeRepeated(out, s.getDonorId(), "DonorScore.donor_id");
      out.writeFloat(s.getProbability());
    }
    out.writeArrayEnd();
    out.writeFloat(p.getConfidence());
    out.writeBoolean(p.getUnknownDonor());
    writeFloats(out, p.getLatent());
    writeRepeated(out, p.getCellType(), "DonorPrediction.cell_type");
    writeOptional(out, p.getTrueDonorId());
    writeOptional(out, p.getSex());
    writeOptionalFloat(out, p.getNovelty());
  }

  @Override
  DonorPrediction read(BinaryDecoder in) throws IOException {
    DonorPrediction p = new DonorPrediction();
    p.setCellId(in.readString());
    p.setDatasetId(readRepeated(in));
    p.setEventTime(Instant.ofEpochMilli(in.readLong()));
    p.setScoredAt(Instant.ofEpochMilli(in.readLong()));
    p.setModelName(readRepeated(in));
    p.setModelVersion(readRepeated(in));
    p.setPredictedDonor(readRepeated(in));
    List<DonorScore> top = new ArrayList<>();
    for (long block = in.readArrayStart(); block > 0; block = in.arrayNext()) {
      for (long i = 0; i < block; i++) top.add(new DonorScore(readRepeated(in), in.readFloat()));
    }
    p.setTopK(top);
    p.setConfidence(in.readFloat());
    p.setUnknownDonor(in.readBoolean());
    p.setLatent(readFloats(in));
    p.setCellType(readRepeated(in));
    p.setTrueDonorId(readOptional(in, "true_donor_id"));
    p.setSex(readOptional(in, "sex"));
    p.setNovelty(readOptionalFloat(in, "novelty"));
    return p;
  }
}
