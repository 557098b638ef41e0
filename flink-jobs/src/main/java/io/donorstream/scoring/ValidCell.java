package io.donorstream.scoring;

import io.donorstream.flink.RawRecord;
/** A decoded, checked cell on its way to scoring; keeps its raw record for a late dead letter. */
public class ValidCell {
  public String cellId;
  public String datasetId;
  public long eventTime;
  public float[] embedding;
  public String cellType;
  public String donorId;
  public String sex;
  public RawRecord raw;

  public ValidCell() {}
}
