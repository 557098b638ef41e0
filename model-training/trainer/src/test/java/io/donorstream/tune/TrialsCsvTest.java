package io.donorstream.tune;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrialsCsvTest {
  static final SearchSpace SPACE = SearchSpace.of(Param.logUniform("lr", 1e-5, 1e-1), Param.integer("layers", 1, 4), Param.choice("dropout", 0.0, 0.1));

  @TempDir Path dir;

  static Map<String, Double> params(double lr, double layers, double dropout) {
    var p = new LinkedHashMap<String, Double>();
    p.put("lr", lr);
    p.put("layers", layers);
    p.put("dropout", dropout);
    return p;
  }

  static List<Trial> threeTrials() {
    return List.of(
        Trial.complete(0, params(Math.sqrt(1e-7), 2, 0.1), 0.8712345678901234, 12.25, List.of(0.5, 0.7, 0.8712345678901234)),
        Trial.pruned(1, params(1e-5, 1, 0.0), 3.5, List.of(0.1, 0.2)),
        Trial.failed(2, params(0.1, 4, 0.1), 0.001, List.of()));
  }

  @Test
  void roundTripsTrialsExactly() {
    Path csv = dir.resolve("study/trials.csv");
    for (Trial t : threeTrials()) TrialsCsv.append(csv, SPACE, t);
    assertThat(TrialsCsv.read(csv, SPACE)).isEqualTo(threeTrials());
    assertThat(TrialsCsv.read(csv, SPACE).get(0).params().keySet()).containsExactly("lr", "layers", "dropout");
  }

  @Test
  void writesTheDocumentedColumns() throws IOException {
    Path csv = dir.resolve("trials.csv");
    TrialsCsv.append(csv, SPACE, Trial.complete(0, params(3.2e-4, 2, 0.1), 0.8712345678901234, 12.25, List.of(0.5, 0.7, 0.8712345678901234)));
    assertThat(Files.readAllLines(csv)).containsExactly(
        "trial,state,value,seconds,lr,layers,dropout,intermediate",
        "0,COMPLETE,0.8712345678901234,12.25,3.2E-4,2.0,0.1,0.5;0.7;0.8712345678901234");
  }

  @Test
  void missingFileIsAnEmptyStudy() {
    assertThat(TrialsCsv.read(dir.resolve("none.csv"), SPACE)).isEmpty();
  }

  @Test
  void ignoresAPartialLastLineAndResumesCleanly() throws IOException {
    Path csv = dir.resolve("trials.csv");
    List<Trial> trials = threeTrials();
    TrialsCsv.append(csv, SPACE, trials.get(0));
    TrialsCsv.append(csv, SPACE, trials.get(1));
    Files.writeString(csv, "2,FAILED,NaN,0.00", UTF_8, StandardOpenOption.APPEND); // killed mid-write
    assertThat(TrialsCsv.read(csv, SPACE)).isEqualTo(trials.subList(0, 2));

    TrialsCsv.append(csv, SPACE, trials.get(2)); // the resumed study cuts the fragment off first
    assertThat(TrialsCsv.read(csv, SPACE)).isEqualTo(trials);
    assertThat(Files.readAllLines(csv)).hasSize(4);
  }

  @Test
  void aHalfWrittenHeaderCountsAsANewFile() throws IOException {
    Path csv = dir.resolve("trials.csv");
    Files.writeString(csv, "trial,state,val");
    assertThat(TrialsCsv.read(csv, SPACE)).isEmpty();
    TrialsCsv.append(csv, SPACE, threeTrials().get(0));
    assertThat(TrialsCsv.read(csv, SPACE)).containsExactly(threeTrials().get(0));
  }

  @Test
  void resumeAppendsAfterExistingLines() {
    Path csv = dir.resolve("trials.csv");
    List<Trial> trials = threeTrials();
    TrialsCsv.append(csv, SPACE, trials.get(0));
    assertThat(TrialsCsv.read(csv, SPACE)).hasSize(1);
    TrialsCsv.append(csv, SPACE, trials.get(1));
    TrialsCsv.append(csv, SPACE, trials.get(2));
    assertThat(TrialsCsv.read(csv, SPACE)).extracting(Trial::number).containsExactly(0, 1, 2);
  }

  @Test
  void refusesToResumeADifferentSearch() {
    Path csv = dir.resolve("trials.csv");
    TrialsCsv.append(csv, SPACE, threeTrials().get(0));
    SearchSpace other = SearchSpace.of(Param.logUniform("lr", 1e-5, 1e-1), Param.uniform("momentum", 0, 1));
    String expected = "has parameter columns [lr, layers, dropout] but the search space has [lr, momentum]";
    assertThatThrownBy(() -> TrialsCsv.read(csv, other)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
    assertThatThrownBy(() -> TrialsCsv.append(csv, other, threeTrials().get(1))).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(expected);
  }

  @Test
  void rejectsAFileThatIsNotATrialsLog() throws IOException {
    Path csv = dir.resolve("trials.csv");
    Files.writeString(csv, "a,b,c\n1,2,3\n");
    assertThatThrownBy(() -> TrialsCsv.read(csv, SPACE)).hasMessageContaining("is not a trials.csv");
  }

  @Test
  void reportsAMalformedCompleteLineWithItsNumber() throws IOException {
    Path csv = dir.resolve("trials.csv");
    TrialsCsv.append(csv, SPACE, threeTrials().get(0));
    Files.writeString(csv, "1,DONE,0.5,1.0,0.001,2.0,0.1,\n", UTF_8, StandardOpenOption.APPEND);
    assertThatThrownBy(() -> TrialsCsv.read(csv, SPACE)).hasMessageContaining("line 3 is malformed");
  }
}
