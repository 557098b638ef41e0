package io.donorstream.local;

import io.donorstream.kafka.KafkaEndpoint;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka broker (KRaft, broker and controller in one process) for development,
 * tests and the demo. Its log directory survives restarts: a formatted directory is reused.
 */
public final class LocalKafkaBroker implements AutoCloseable {
  private final KafkaRaftServer server;
  private final String bootstrap;
  /** A listener without login, for the broker's own topic administration. */
  private final String internal;
  private final Path dataDir;

  private LocalKafkaBroker(KafkaRaftServer server, String bootstrap, String internal, Path dataDir) {
    this.server = server;
    this.bootstrap = bootstrap;
    this.internal = internal;
    this.dataDir = dataDir;
  }

  /**
   * Formats {@code dataDir} if needed and starts the broker.
   *
   * @param port client port on 127.0.0.1, or 0 for any free port
   */
  public static LocalKafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, Map.of());
  }

  /**
   * A broker whose client port asks for a SASL/PLAIN login (SASL_PLAINTEXT, as a managed Kafka asks
   * for SASL_SSL): for trying {@code --kafka-config} without a cluster.
   *
   * @param users user name to password
   */
  public static LocalKafkaBroker startWithLogin(Path dataDir, int port, Map<String, String> users) {
    if (users.isEmpty()) throw new IllegalArgumentException("a broker with login needs at least one user");
    return start(dataDir, port, users);
  }

  private static LocalKafkaBroker start(Path dataDir, int port, Map<String, String> users) {
    try {
      Files.createDirectories(dataDir);
      int clientPort = port == 0 ? freePort() : port;
      int controllerPort = freePort();
      int internalPort = users.isEmpty() ? clientPort : freePort();
      Path logs = dataDir.resolve("logs");
      Properties props = new Properties();
      props.put("node.id", "1");
      props.put("process.roles", "broker,controller");
      if (users.isEmpty()) {
        props.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
      } else {
        props.put("listeners", "CLIENT://127.0.0.1:" + clientPort + ",PLAINTEXT://127.0.0.1:" + internalPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        props.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",PLAINTEXT://127.0.0.1:" + internalPort);
        props.put("listener.security.protocol.map", "CLIENT:SASL_PLAINTEXT,PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        props.put("sasl.enabled.mechanisms", "PLAIN");
        props.put("listener.name.client.plain.sasl.jaas.config", users.entrySet().stream()
            .map(u -> " user_" + u.getKey() + "=\"" + u.getValue() + "\"")
            .collect(Collectors.joining("", "org.apache.kafka.common.security.plain.PlainLoginModule required", ";")));
      }
      props.put("controller.listener.names", "CONTROLLER");
      props.put("inter.broker.listener.name", "PLAINTEXT");
      props.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
      props.put("log.dirs", logs.toAbsolutePath().toString());
      props.put("offsets.topic.replication.factor", "1");
      props.put("offsets.topic.num.partitions", "4");
      props.put("transaction.state.log.replication.factor", "1");
      props.put("transaction.state.log.min.isr", "1");
      props.put("transaction.state.log.num.partitions", "4");
      props.put("transaction.abort.timed.out.transaction.cleanup.interval.ms", "5000");
      props.put("share.coordinator.state.topic.replication.factor", "1");
      props.put("share.coordinator.state.topic.min.isr", "1");
      props.put("group.initial.rebalance.delay.ms", "0");
      props.put("auto.create.topics.enable", "false");
      props.put("num.partitions", "2");
      // Accept large records, so that oversized ones reach the job and are dead-lettered there.
      props.put("message.max.bytes", String.valueOf(32 << 20));
      props.put("replica.fetch.max.bytes", String.valueOf(32 << 20));
      // A development broker should not fill the disk: keep a day or 1 GiB per partition.
      props.put("log.retention.hours", "24");
      // Topics given a short retention (a soak's) are trimmed every 30 s, not every 5 minutes.
      props.put("log.retention.check.interval.ms", "30000");
      props.put("log.retention.bytes", String.valueOf(1L << 30));
      format(dataDir, logs, props);
      KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props, false), Time.SYSTEM);
      server.startup();
      return new LocalKafkaBroker(server, "127.0.0.1:" + clientPort, "127.0.0.1:" + internalPort, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare Kafka data directory " + dataDir, e);
    }
  }

  private static void format(Path dataDir, Path logs, Properties props) throws IOException {
    if (Files.exists(logs.resolve("meta.properties"))) {
      return;
    }
    Path config = dataDir.resolve("server.properties");
    try (OutputStream out = Files.newOutputStream(config)) {
      props.store(out, "donorstream local broker");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code = StorageTool.execute(
        new String[] {"format", "-t", Uuid.randomUuid().toString(), "-c", config.toString(), "--ignore-formatted"},
        new PrintStream(captured, true, StandardCharsets.UTF_8));
    if (code != 0) {
      throw new IllegalStateException("formatting Kafka storage in " + logs + " failed: " + captured.toString(StandardCharsets.UTF_8));
    }
  }

  public String bootstrap() {
    return bootstrap;
  }

  public Path dataDir() {
    return dataDir;
  }

  /**
   * Creates the topics that do not exist yet and returns once every partition of them has a
   * leader (a created topic is not at once writable); returns the names it created.
   */
  public Set<String> createTopics(Collection<NewTopic> topics) {
    try (Admin admin = KafkaEndpoint.of(internal).admin()) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      var missing = topics.stream().filter(t -> !existing.contains(t.name())).collect(Collectors.toList());
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      Set<String> names = missing.stream().map(NewTopic::name).collect(Collectors.toSet());
      awaitLeaders(admin, names, System.currentTimeMillis() + 30_000);
      awaitWritable(admin, names);
      return names;
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("cannot create topics on " + bootstrap + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private void awaitLeaders(Admin admin, Set<String> names, long deadline) throws InterruptedException, java.util.concurrent.TimeoutException {
    while (!names.isEmpty()) {
      try {
        boolean ready = admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).values().stream()
            .allMatch(d -> d.partitions().stream().allMatch(p -> p.leader() != null && !p.leader().isEmpty()));
        if (ready) return;
      } catch (ExecutionException e) {
        // Not known to the broker's metadata yet (UnknownTopicOrPartition): ask again.
      }
      if (System.currentTimeMillis() > deadline) {
        throw new java.util.concurrent.TimeoutException("topics " + names + " have no leader after 30 s");
      }
      Thread.sleep(50);
    }
  }

  /**
   * Waits until every partition is served by its leader, not merely named in the metadata. The
   * broker publishes a new topic's leader before its replica manager takes the partition on; a
   * producer that writes in that gap gets NOT_LEADER_OR_FOLLOWER for its first batch while later
   * in-flight batches land, and an idempotent producer then retries the first one as out of order
   * until its delivery timeout (seen as a flaky 60 s publish failure in CI). ListOffsets is answered
   * by the leader's replica manager only, and the admin client retries it until it is.
   */
  private static void awaitWritable(Admin admin, Set<String> names) throws InterruptedException, ExecutionException,
      java.util.concurrent.TimeoutException {
    if (names.isEmpty()) return;
    Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
    admin.describeTopics(names).allTopicNames().get(10, TimeUnit.SECONDS).forEach((name, d) ->
        d.partitions().forEach(p -> latest.put(new TopicPartition(name, p.partition()), OffsetSpec.latest())));
    admin.listOffsets(latest).all().get(30, TimeUnit.SECONDS);
  }

  /** Deletes a broker's data directory (after {@link #close()}), for throw-away brokers. */
  public static void deleteData(Path dir) {
    try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      s.setReuseAddress(true);
      return s.getLocalPort();
    }
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }
}
