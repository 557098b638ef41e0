package io.donorstream.predict;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import org.junit.jupiter.api.Test;

class PredictionCsvTest {
  @Test
  void headerThenOneRowPerCellWithQuotingAndEmptyMissingValues() {
    StringWriter out = new StringWriter();
    try (PredictionCsv csv = new PredictionCsv(out, 3)) {
      csv.write(Cells.scored("plain-1", "D1", null, "D1", 0.75f, false, new String[] {"D1", "D2", "D3"}, new float[] {0.75f, 0.2f, 0.05f}));
      ScoredCell odd = Cells.scored("a,\"b\"\nc", null, null, "D,2", 0.5f, true, new String[] {"D,2", "D1"}, new float[] {0.5f, 0.5f});
      csv.write(new ScoredCell(odd.cellId(), null, null, "neuron", odd.score(), 0.625f));
    }
    assertThat(out.toString()).isEqualTo(
        "cell_id,predicted_donor,confidence,calibrated_confidence,unknown_donor,top1_donor,top1_probability,top2_donor,top2_probability,"
            + "top3_donor,top3_probability\n"
            + "plain-1,D1,0.75,,false,D1,0.75,D2,0.2,D3,0.05\n"
            + "\"a,\"\"b\"\"\nc\",\"D,2\",0.5,0.625,true,\"D,2\",0.5,D1,0.5,,\n");
  }
}
