package io.donorstream.cli;

import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalKafkaBroker;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = {
      "Start a local single-node Kafka broker (KRaft, in-process).",
      "Prints the bootstrap address and runs until Ctrl-C; data stays in --data-dir."
    },
    footer = {"", "Example:", "  ./donorstream kafka --port 9092 --create-topics --data-dir kafka-data"})
public final class KafkaCommand implements Callable<Integer> {
  @Option(names = "--port", defaultValue = "9092", description = "Client port on 127.0.0.1, 0 = any free port (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--data-dir", defaultValue = "kafka-data", description = "Where the broker keeps its logs (default ${DEFAULT-VALUE}).")
  Path dataDir;

  @Option(names = "--create-topics", description = "Create the project topics (cells, cells-dlq, predictions, predictions-shadow, labels, quality, retrain-requests, model-updates, monitor-dlq).")
  boolean createTopics;

  @Option(names = "--login", paramLabel = "USER=PASSWORD", description = {
      "Ask clients for a SASL/PLAIN login by one of these users (repeatable), to try --kafka-config without a managed Kafka;",
      "the broker keeps a second, login-free port on 127.0.0.1 for itself (creating topics, its own replication)."})
  java.util.Map<String, String> logins = new java.util.LinkedHashMap<>();

  @Option(names = "--partitions", defaultValue = "2", description = "Partitions of the data topics (default ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws Exception {
    if (port < 0 || port > 65535) throw new UserError("--port must be 0 (any free port) or 1-65535, got " + port);
    if (partitions < 1) throw new UserError("--partitions must be at least 1, got " + partitions);
    LocalKafkaBroker broker = logins.isEmpty() ? LocalKafkaBroker.start(dataDir, port) : LocalKafkaBroker.startWithLogin(dataDir, port, logins);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      System.out.println("stopping Kafka broker ...");
      broker.close();
      System.out.println("Kafka broker stopped; data kept in " + dataDir.toAbsolutePath());
      stopped.countDown();
    }, "kafka-shutdown"));
    if (createTopics) {
      var created = broker.createTopics(ProjectTopics.all(partitions));
      System.out.println("topics created: " + (created.isEmpty() ? "none (all exist)" : String.join(", ", created)));
    }
    System.out.println("Kafka broker running: bootstrap " + broker.bootstrap() + (logins.isEmpty() ? "" : " (SASL_PLAINTEXT, PLAIN login: "
        + String.join(", ", logins.keySet()) + ")") + " (data in " + dataDir.toAbsolutePath() + "); Ctrl-C to stop");
    System.out.flush();
    stopped.await();
    return 0;
  }
}
