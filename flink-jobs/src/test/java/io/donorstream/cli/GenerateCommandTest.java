package io.donorstream.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adFile;
import io.donorstream.data.H5adReadOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {
  @TempDir Path dir;

  @Test
  void writesAFileThatReadsBackWithItsYardsticksInUns() {
    Path out = dir.resolve("g.h5ad");
    int code = CliExceptionHandler.install(new CommandLine(new GenerateCommand()))
        .execute("--out", out.toString(), "--cells", "800", "--donors", "6", "--cell-types", "5", "--width", "24", "--seed", "3");
    assertThat(code).isZero();
    var t = CellTableReader.read(out, H5adReadOptions.of("X_emb"));
    assertThat(t.size()).isEqualTo(800);
    assertThat(t.width()).isEqualTo(24);
    assertThat(t.donors()).hasSize(6);
    try (H5adFile h5 = H5adFile.open(out)) {
      double bayes = Double.parseDouble(h5.unsString("bayes_optimal_accuracy"));
      double blind = Double.parseDouble(h5.unsString("sex_blind_bayes_optimal_accuracy"));
      assertThat(bayes).isBetween(0.2, 1.0);
      assertThat(blind).isLessThanOrEqualTo(bayes + 0.01);
    }
  }

  @Test
  void unknownPresetIsAClearError() {
    StringWriter err = new StringWriter();
    CommandLine cl = CliExceptionHandler.install(new CommandLine(new GenerateCommand()));
    cl.setErr(new PrintWriter(err));
    int code = cl.execute("--out", dir.resolve("x.h5ad").toString(), "--preset", "brain");
    assertThat(code).isEqualTo(CliExceptionHandler.USER_ERROR);
    assertThat(err.toString()).contains("unknown preset 'brain'; the presets are: seed-cns");
  }
}
