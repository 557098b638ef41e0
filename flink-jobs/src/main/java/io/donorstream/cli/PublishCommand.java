package io.donorstream.cli;

import io.donorstream.data.CellTable;
import io.donorstream.data.CellTableReader;
import io.donorstream.publish.CellPublisher;
import io.donorstream.publish.PublishOptions;
import io.donorstream.publish.PublishSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "publish",
    mixinStandardHelpOptions = true,
    description = "Publish the cells of an .h5ad to Kafka as CellEvents (Avro single-object encoding), keyed by cell id.",
    footer = {"", "Example:",
      "  ./donorstream publish --data ../shared/data/onek1k/onek1k-a.h5ad --embedding-key X_pca \\",
      "      --bootstrap 127.0.0.1:9092 --topic cells --rate 2000 --labels-fraction 0.3 --shuffle --seed 7"})
public final class PublishCommand implements Callable<Integer> {
  @Mixin
  DataOptions data;

  @picocli.CommandLine.Mixin
  KafkaOptions kafka;

  @Option(names = "--topic", defaultValue = "cells", description = "Topic (default ${DEFAULT-VALUE}).")
  String topic;

  @Option(names = "--rate", defaultValue = "0", description = "Cells per second, 0 = as fast as possible (default ${DEFAULT-VALUE}).")
  double rate;

  @Option(names = "--labels-fraction", defaultValue = "1.0", description = "Share of cells that carry their donor/sex labels (default ${DEFAULT-VALUE}).")
  double labelsFraction;

  @Option(names = "--limit", defaultValue = "0", description = "Publish at most N cells, 0 = all (default ${DEFAULT-VALUE}).")
  long limit;

  @Option(names = "--shuffle", description = "Publish in a random order (seeded).")
  boolean shuffle;

  @Option(names = "--seed", defaultValue = "42", description = "Seed for --shuffle and --labels-fraction (default ${DEFAULT-VALUE}).")
  long seed;

  @Override
  public Integer call() {
    PublishOptions options = new PublishOptions(kafka.endpoint(), topic, rate, labelsFraction, limit, shuffle, seed, true);
    CellTable table = CellTableReader.read(data.file, data.readOptions().scoringOnly());
    System.out.printf("read %,d cells x %d from %s (obsm['%s'])%s%n", table.size(), table.width(), data.file, table.embeddingKey(),
        table.droppedNonFinite() > 0 ? ", dropped " + table.droppedNonFinite() + " with NaN/Inf" : "");
    PublishSummary summary = CellPublisher.publish(table, options);
    System.out.println(summary);
    return 0;
  }
}
