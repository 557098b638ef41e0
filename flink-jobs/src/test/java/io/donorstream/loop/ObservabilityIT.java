package io.donorstream.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.donorstream.data.CellTable;
import io.donorstream.deploy.DeployFiles;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.local.LocalKafkaBroker;
import io.donorstream.promotion.PromotionGate;
import io.donorstream.publish.CellEvents;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.retrain.Retrainer;
import io.donorstream.retrain.service.PromotionRule;
import io.donorstream.schema.CellEvent;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.synth.SyntheticSpec;
import io.donorstream.text.transformer.MiniLmEncoder;
import io.donorstream.text.transformer.TransformerTextEncoder;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The dashboards and alert rules in {@code deploy/} against a real Prometheus scraping the real jobs:
 * the loop runs (drift, retraining, shadow, promotion, a few dead letters), Prometheus (Debian's
 * {@code prometheus}; the test skips with a message without it) scrapes the Flink reporter with the
 * project's alert rules loaded, and every panel query, annotation query and alert expression must
 * return data; the drift and retrain alerts must fire.
 */
@ExtendWith(MiniLmEncoder.class)
class ObservabilityIT {
  static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final String REPORTER_PORTS = "9500-9519";
  static final LoopDemo.Input INPUT = LoopFixtures.generated(SyntheticSpec.generic(4000, 12, 4, 16, "X_emb", 2.5, 1.0, 5), "obs");
  static final CellTable CELLS = INPUT.cells();
  static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  @TempDir Path dir;

  @Test
  void promtoolAcceptsTheRulesAndTheConfig() throws Exception {
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed here (apt-get install prometheus): rules and config not checked");
    assertThat(run(PROMTOOL.toString(), "check", "rules", DeployFiles.ALERTS.toString())).contains("SUCCESS");
    assertThat(run(PROMTOOL.toString(), "check", "config", DeployFiles.DEPLOY.resolve("prometheus/prometheus.yml").toString())).contains("SUCCESS");
  }

  @Test
  void everyDashboardQueryAndAlertExpressionReturnsDataFromALiveScrapeAndTheDriftAlertFires(TransformerTextEncoder encoder) throws Exception {
    assumeTrue(Files.isExecutable(PROMETHEUS), "prometheus is not installed here (apt-get install prometheus): dashboards not checked live");
    LoopPlan plan = LoopPlan.of(CELLS, 400);
    LoopCells source = LoopCells.generated(INPUT.fresh(), plan);
    ModelRegistry registry = new ModelRegistry(dir.resolve("models"));
    Path kafkaDir = Files.createDirectories(dir.resolve("kafka"));
    Process prometheus = null;
    try (LocalKafkaBroker broker = LocalKafkaBroker.start(kafkaDir, 0)) {
      CellTable initial = CELLS.select(plan.training());
      LoopDemo.firstChampion(registry, initial, encoder, "initial");
      String bootstrap = broker.bootstrap();
      broker.createTopics(ProjectTopics.all(2));
      ClosedLoop.Settings settings = new ClosedLoop.Settings(2, 1_000, "0", REPORTER_PORTS, LoopDemo.monitorConfig(), 1_000,
          Retrainer.defaults(LoopDemo.MODEL), new PromotionRule(150, 300, PromotionGate.defaults(0.01)), initial);
      try (LoopObserver observer = new LoopObserver(bootstrap);
          ClosedLoop loop = ClosedLoop.start(bootstrap, dir, registry, CELLS.width(), encoder, settings, m -> {})) {
        ModelAnnouncer.announce(bootstrap, ProjectTopics.MODEL_UPDATES, registry.dir(LoopDemo.MODEL, "1"));
        String job = loop.scoringJob().getJobID().toString();
        int reporter = reporterPort(job);
        int webPort = freePort();
        prometheus = startPrometheus(reporter, webPort);
        String api = "http://127.0.0.1:" + webPort;

        LoopPublisher publisher = new LoopPublisher(bootstrap, 200, observer, () -> {}, () -> false);
        publisher.stream(Phase.BEFORE_DRIFT, source::known, () -> false, 300);
        publishGarbage(bootstrap, 20);
        publisher.stream(Phase.DRIFT, source::unseen, () -> !"1".equals(LoopDemo.champion(registry)), 200L * 180);
        assertThat(LoopDemo.champion(registry)).as("the loop closed").isNotEqualTo("1");
        publisher.stream(Phase.AFTER_SWAP, source::after, () -> false, 400);

        List<DeployFiles.Expression> expressions = new ArrayList<>(DeployFiles.dashboardExpressions());
        expressions.addAll(DeployFiles.alertExpressions());
        List<String> empty = new ArrayList<>();
        // Rates and increases need two scrapes of each series: the scrape interval is one second.
        long deadline = System.currentTimeMillis() + 60_000;
        do {
          empty.clear();
          for (DeployFiles.Expression e : expressions) if (query(api, e.promql()) == 0) empty.add(e.where() + ": " + e.promql());
          if (!empty.isEmpty()) Thread.sleep(1_000); // polling a live Prometheus
        } while (!empty.isEmpty() && System.currentTimeMillis() < deadline);
        assertThat(empty).as("expressions that returned no data").isEmpty();

        List<String> firing = new ArrayList<>();
        deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline && !(firing.contains("DonorstreamDriftDetected") && firing.contains("DonorstreamRetrainRequested"))) {
          firing = firingAlerts(api);
          Thread.sleep(1_000); // rule evaluation runs every second
        }
        assertThat(firing).contains("DonorstreamDriftDetected", "DonorstreamRetrainRequested");
      }
    } finally {
      if (prometheus != null) prometheus.destroy();
      LocalKafkaBroker.deleteData(kafkaDir);
    }
  }

  /** The reporter's port: the first in the range that serves this job's metrics. */
  private static int reporterPort(String job) throws Exception {
    for (int attempt = 0; attempt < 60; attempt++) {
      PrometheusScrape s = PrometheusScrape.of(REPORTER_PORTS, job);
      if (s != null) return s.port();
      Thread.sleep(500); // the job's tasks are still starting
    }
    throw new AssertionError("no Prometheus reporter in " + REPORTER_PORTS + " serves job " + job);
  }

  private Process startPrometheus(int reporter, int webPort) throws Exception {
    Path config = dir.resolve("prometheus.yml");
    Files.writeString(config, String.join("\n",
        "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
        "rule_files:", "  - " + DeployFiles.ALERTS,
        // The scrape job's name as deploy/'s configs give it: DonorstreamFlinkTargetDown selects on it.
        "scrape_configs:", "  - job_name: donorstream-flink", "    static_configs:", "      - targets: ['127.0.0.1:" + reporter + "']", ""));
    Process p = new ProcessBuilder(PROMETHEUS.toString(), "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("tsdb"),
        "--web.listen-address=127.0.0.1:" + webPort).redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
    for (int i = 0; i < 100; i++) {
      try {
        if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + webPort + "/-/ready")).build(),
            HttpResponse.BodyHandlers.ofString()).statusCode() == 200) return p;
      } catch (java.io.IOException e) {
        // not listening yet
      }
      Thread.sleep(200);
    }
    throw new AssertionError("Prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
  }

  /** The number of series an instant query returns. */
  private static int query(String api, String promql) throws Exception {
    String url = api + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
    JsonObject r = JsonParser.parseString(HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString()).body())
        .getAsJsonObject();
    assertThat(r.get("status").getAsString()).as(promql + " " + r).isEqualTo("success");
    return r.getAsJsonObject("data").getAsJsonArray("result").size();
  }

  private static List<String> firingAlerts(String api) throws Exception {
    JsonObject r = JsonParser.parseString(HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/alerts")).build(),
        HttpResponse.BodyHandlers.ofString()).body()).getAsJsonObject();
    List<String> names = new ArrayList<>();
    r.getAsJsonObject("data").getAsJsonArray("alerts").forEach(a -> {
      JsonObject o = a.getAsJsonObject();
      if (o.get("state").getAsString().equals("firing")) names.add(o.getAsJsonObject("labels").get("alertname").getAsString());
    });
    return names;
  }

  /**
   * Records that are not cells, and cells of a type no model knows: dead letters of both kinds the
   * alert rules tell apart (corrupt, unknown_cell_type), so both series exist.
   */
  private static void publishGarbage(String bootstrap, int n) throws Exception {
    AvroSerde<CellEvent> serde = AvroSerde.of(CellEvent.class);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(Map.of("bootstrap.servers", bootstrap, "key.serializer",
        StringSerializer.class.getName(), "value.serializer", ByteArraySerializer.class.getName()))) {
      for (int i = 0; i < n; i++) {
        p.send(new ProducerRecord<>(ProjectTopics.CELLS, "garbage-" + i, ("not a cell " + i).getBytes(StandardCharsets.UTF_8)));
        CellEvent alien = CellEvents.of(CELLS, i, java.time.Instant.now(), false);
        alien.setCellId("alien-" + i);
        alien.setCellType("hepatocyte");
        p.send(new ProducerRecord<>(ProjectTopics.CELLS, alien.getCellId(), serde.serialize(alien)));
      }
      p.flush();
    }
  }

  private static int freePort() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
