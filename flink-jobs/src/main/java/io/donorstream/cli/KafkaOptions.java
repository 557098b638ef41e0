package io.donorstream.cli;

import io.donorstream.kafka.KafkaEndpoint;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --bootstrap} and {@code --kafka-config}: where Kafka is and how to log in, for every command that talks to it. */
final class KafkaOptions {
  @Option(names = "--bootstrap", defaultValue = "127.0.0.1:9092", description = "Kafka bootstrap servers (default ${DEFAULT-VALUE}).")
  String bootstrap;

  @Option(names = "--kafka-config", paramLabel = "FILE", description = {
      "Kafka client properties (SASL, TLS), as Kafka's tools take --command-config; applied to every producer, consumer, admin client",
      "and Flink source and sink. Values are never printed."})
  Path config;

  KafkaEndpoint endpoint() {
    return KafkaEndpoint.of(bootstrap, config);
  }

  /** The same options on a cluster job main's command line. */
  String jobArguments() {
    return " --bootstrap " + bootstrap + (config == null ? "" : " --" + KafkaEndpoint.CONFIG_ARGUMENT + " " + config.toAbsolutePath());
  }
}
