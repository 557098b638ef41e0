package io.donorstream.kafka;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * Where Kafka is and how to log in: the bootstrap servers plus the user's client properties (SASL,
 * TLS, as Kafka's own tools take them with {@code --command-config}), applied to every producer,
 * consumer, admin client and Flink source and sink. The property values are secrets: they are
 * never printed ({@link #toString()} names the keys only).
 *
 * @param clientProperties extra Kafka client properties; never one of {@link #SET_BY_DONORSTREAM}
 */
public record KafkaEndpoint(String bootstrap, Map<String, String> clientProperties) implements Serializable {
  /**
   * Properties the project sets itself, because its guarantees rest on them: exactly-once reads
   * and writes, the record format, and the bootstrap and groups given by their own options.
   */
  public static final Set<String> SET_BY_DONORSTREAM = Set.of("bootstrap.servers", "group.id", "isolation.level", "enable.idempotence",
      "transactional.id", "key.serializer", "value.serializer", "key.deserializer", "value.deserializer");

  public KafkaEndpoint {
    if (bootstrap == null || bootstrap.isBlank()) throw new IllegalArgumentException("no Kafka bootstrap servers given");
    for (String key : clientProperties.keySet()) {
      if (SET_BY_DONORSTREAM.contains(key)) {
        throw new IllegalArgumentException("Kafka client property '" + key + "' is set by donorstream itself"
            + (key.equals("bootstrap.servers") ? " (use --bootstrap)" : key.equals("group.id") ? " (use --group-id)" : "")
            + "; remove it from the client configuration");
      }
    }
    clientProperties = Map.copyOf(clientProperties);
  }

  /** A broker that needs no credentials. */
  public static KafkaEndpoint of(String bootstrap) {
    return new KafkaEndpoint(bootstrap, Map.of());
  }

  /**
   * With the client properties in {@code file} (Java properties format, as Kafka's
   * {@code --command-config} reads it), or none when {@code file} is null.
   */
  public static KafkaEndpoint of(String bootstrap, Path file) {
    if (file == null) return of(bootstrap);
    if (!Files.isRegularFile(file)) throw new IllegalArgumentException("Kafka client configuration " + file + " does not exist");
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
    } catch (IOException | IllegalArgumentException e) {
      throw new IllegalArgumentException("cannot read Kafka client configuration " + file + ": " + e.getMessage());
    }
    Map<String, String> props = new HashMap<>();
    p.stringPropertyNames().forEach(k -> props.put(k, p.getProperty(k).trim()));
    return new KafkaEndpoint(bootstrap, props);
  }

  /** The argument of the cluster job mains that names a client configuration file (as {@code --kafka-config} of the CLI). */
  public static final String CONFIG_ARGUMENT = "kafka-config";

  /**
   * From a job main's {@code --bootstrap} and optional {@code --kafka-config FILE} arguments; the
   * file is read where the main runs (the client, or the JobManager in application mode) and its
   * properties travel inside the job graph.
   */
  public static KafkaEndpoint fromJobArguments(Map<String, String> arguments) {
    String bootstrap = arguments.get("bootstrap");
    if (bootstrap == null) throw new IllegalArgumentException("--bootstrap HOST:PORT is required");
    String file = arguments.get(CONFIG_ARGUMENT);
    return of(bootstrap, file == null ? null : Path.of(file));
  }

  /** {@code base} (the project's settings for one client) with the bootstrap servers and the user's properties. */
  public Map<String, Object> clientConfig(Map<String, Object> base) {
    Map<String, Object> config = new HashMap<>(base);
    config.put("bootstrap.servers", bootstrap);
    config.putAll(clientProperties);
    return config;
  }

  /** The user's properties for a Flink Kafka source or sink builder. */
  /** An admin client with timeouts short enough to fail fast on a wrong address. */
  public Admin admin() {
    return Admin.create(clientConfig(Map.of(
        AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 20_000)));
  }

  public Properties properties() {
    Properties p = new Properties();
    p.putAll(clientProperties);
    return p;
  }

  public boolean hasCredentials() {
    return !clientProperties.isEmpty();
  }

  /** The bootstrap servers and the names of the properties given, never their values. */
  @Override
  public String toString() {
    return clientProperties.isEmpty() ? bootstrap : bootstrap + " with client properties " + new TreeMap<>(clientProperties).keySet();
  }
}
