package io.donorstream.cli;

import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.loop.LoopDemo;
import io.donorstream.loop.LoopResult;
import io.donorstream.synth.FreshCells;
import io.donorstream.synth.SyntheticDataGenerator;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.TextEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The README's first command: the whole closed loop on one machine ({@link LoopDemo}). */
@Command(
    name = "demo",
    mixinStandardHelpOptions = true,
    description = {
      "The whole loop on one machine: a local Kafka broker; a first model trained without a few donors; the ScoringJob",
      "(champion + shadow) and the MonitoringJob on one local Flink cluster (RocksDB, web UI, Prometheus); the retrain",
      "service; a stream that drifts to the unseen donors. The monitor asks for a new model, the service trains one on",
      "the archived cells and puts it in shadow, promotes it once live cells show it better, and the ScoringJob swaps",
      "without a restart. Before the drift, where the data carry a sex signal that generalises across donors, the",
      "monitor's probe raises a leakage alarm, answered by a sex-removed champion. Exit 0 only when every alarm raised",
      "was answered. Data: --data, else OneK1K from ../shared/data, else (or with --generated) a generated set whose",
      "model draws new cells as the stream needs them. Ends with the summary line and a report (report.md + loop.png",
      "in <work-dir>/loop)."
    })
public final class DemoCommand implements Callable<Integer> {
  static final Path SHARED_ONEK1K = Path.of("..", "shared", "data", "onek1k", "onek1k-a.h5ad");

  @Option(names = "--work-dir", defaultValue = "runs/demo", description = "Where the demo keeps its broker data, models, archive and report (default ${DEFAULT-VALUE}).")
  Path workDir;

  @Option(names = "--data", description = "Any .h5ad with the input contract (obsm embedding, obs donor_id, sex, cell_type); default: OneK1K from ../shared, else generated.")
  Path data;

  @Option(names = "--embedding-key", description = "obsm key of the embedding in --data (e.g. X_pca, geneformer).")
  String embeddingKey;

  @Option(names = "--generated", description = "Use a generated data set even when ../shared/data is there (what a fresh clone uses).")
  boolean generated;

  @Option(names = "--quick", description = "Fewer cells before and after the drift, a shorter shadow phase (a few minutes).")
  boolean quick;

  @Option(names = "--keep-running", description = "Leave the broker, both jobs and the retrain service running after the summary, to look around (Ctrl-C stops).")
  boolean keepRunning;

  @Option(names = "--web-ui-ports", defaultValue = "8081-8099", description = "Flink web UI: the first free port of this range (default ${DEFAULT-VALUE}).")
  String webUiPorts;

  @Option(names = "--prometheus-ports", defaultValue = "9249-9259", description = "Prometheus reporter: the first free port of this range (default ${DEFAULT-VALUE}).")
  String prometheusPorts;

  @Override
  public Integer call() throws Exception {
    if ((data == null) != (embeddingKey == null)) throw new UserError("give --data and --embedding-key together");
    Files.createDirectories(workDir);
    if (generated && data != null) throw new UserError("give --data or --generated, not both");
    LoopDemo.Input input = demoData();
    LoopDemo.Options options = (quick ? LoopDemo.Options.quick() : LoopDemo.Options.full()).keepingRunning(keepRunning)
        .withPorts(webUiPorts, prometheusPorts);
    LoopResult result;
    try (TextEncoder encoder = TransformerTextEncoder.miniLm(TextOptions.cacheDir())) {
      result = LoopDemo.run(input, workDir, encoder, options, System.out);
    } catch (IllegalArgumentException e) {
      throw new UserError(e.getMessage());
    }
    if (!result.closed()) {
      System.err.println("error: the loop did not close" + (result.problem() == null ? "" : ": " + result.problem())
          + " (see " + workDir.resolve("loop").resolve("report.md") + ")");
      return 1;
    }
    return 0;
  }

  private LoopDemo.Input demoData() {
    if (data != null) return new LoopDemo.Input(CellTableReader.read(data, H5adReadOptions.of(embeddingKey)), null);
    if (!generated && Files.exists(SHARED_ONEK1K)) return new LoopDemo.Input(CellTableReader.read(SHARED_ONEK1K, H5adReadOptions.of("X_pca")), null);
    System.out.println(generated ? "(a generated data set, as asked)" : "(../shared/data not found: using a generated data set)");
    return generatedInput();
  }

  /** The generated set (12 donors, a planted sex signal) and its model, which draws the stream's new cells. */
  static LoopDemo.Input generatedInput() {
    SyntheticSpec spec = SyntheticSpec.generic(5000, 12, 8, 50, "X_emb", 2.0, 1.5, 42);
    SyntheticDataGenerator.Result g = SyntheticDataGenerator.generate(spec, "synthetic");
    return new LoopDemo.Input(g.table(), new FreshCells(spec, g.model(), "synthetic-live", 43));
  }
}
