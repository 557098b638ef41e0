package io.donorstream.service;

import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.QualityReport;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.ModelAnnouncer;
import io.donorstream.kafka.TopicReader;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.retrain.Retrainer;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.text.TextEncoder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Consumes {@code retrain-requests} and retrains: every request pending when one arrives is
 * coalesced into one retraining (a burst of triggers trains once), the candidate is registered and
 * sent to shadow or retired by the {@link Retrainer}, and announced on {@code model-updates} in its
 * role. Requests are committed only after their retraining finished: a crash mid-training
 * redelivers them, and the registry holds no half version. While a version is in shadow, requests
 * are noted and not acted on.
 *
 * <p>With {@link #judgeShadows} it also reads the MonitoringJob's {@code quality} reports and judges
 * the shadow by the {@link PromotionRule} on the live cells both models answered: promoted (announced
 * as champion: the ScoringJobs swap) or retired (announced as retired: they drop it), the decision
 * and its numbers recorded in the registry.
 */
public final class RetrainService implements AutoCloseable {
  private final String bootstrap;
  private final String modelUpdatesTopic;
  private final ModelRegistry registry;
  private final Path archive;
  private final CellTable base;
  private final Retrainer retrainer;
  private final TextEncoder encoder;
  private final Consumer<String> log;
  private final KafkaConsumer<String, byte[]> consumer;
  private final AvroSerde<RetrainRequest> serde = AvroSerde.of(RetrainRequest.class);
  private long settleMillis;
  private KafkaConsumer<String, byte[]> quality;
  private PromotionRule rule;
  private final AvroSerde<QualityReport> reports = AvroSerde.of(QualityReport.class);
  private final Map<String, QualityReport> latestChampionReports = new java.util.HashMap<>();
  private long lastWaitLogged = -1;

  /** @param base an optional data set every candidate also trains on (null for the archive alone) */
  public RetrainService(String bootstrap, String groupId, String requestsTopic, String modelUpdatesTopic, ModelRegistry registry, Path archive,
      CellTable base, Retrainer retrainer, TextEncoder encoder, Consumer<String> log) {
    this.bootstrap = bootstrap;
    this.modelUpdatesTopic = modelUpdatesTopic;
    this.registry = registry;
    this.archive = archive;
    this.base = base;
    this.retrainer = retrainer;
    this.encoder = encoder;
    this.log = log;
    Map<String, Object> config = new java.util.HashMap<>(TopicReader.consumerConfig(bootstrap));
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    // A retraining runs between two polls and may take long; a service that died is noticed soon.
    config.put(ConsumerConfig.MAX_POLL_INTERVAL_MS_CONFIG, (int) Duration.ofHours(2).toMillis());
    config.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, 10_000);
    consumer = new KafkaConsumer<>(config);
    consumer.subscribe(List.of(requestsTopic));
  }

  /**
   * Waits this long after a request arrives before training, so the cells around the trigger reach
   * the archive (which commits on checkpoints) and later requests of the same burst join it.
   */
  public RetrainService settle(long millis) {
    this.settleMillis = millis;
    return this;
  }

  /**
   * Judges shadows by {@code rule} on the quality reports on {@code qualityTopic} from now on (each
   * report carries the shadow's comparison since it started, so none before is needed).
   */
  public RetrainService judgeShadows(String qualityTopic, PromotionRule rule) {
    this.rule = rule;
    quality = new KafkaConsumer<>(TopicReader.consumerConfig(bootstrap));
    List<org.apache.kafka.common.TopicPartition> parts = quality.partitionsFor(qualityTopic).stream()
        .map(p -> new org.apache.kafka.common.TopicPartition(p.topic(), p.partition())).toList();
    quality.assign(parts);
    quality.seekToEnd(parts);
    parts.forEach(quality::position);
    return this;
  }

  /** Reads the quality reports that came since the last call and acts on the shadow's verdict. */
  private void judge() {
    if (quality == null) return;
    for (ConsumerRecord<String, byte[]> r : quality.poll(Duration.ofMillis(50))) {
      QualityReport q;
      try {
        q = reports.deserialize(r.value());
      } catch (RuntimeException e) {
        log.accept("skipped a record on quality that is not a QualityReport (offset " + r.offset() + "): " + e.getMessage());
        continue;
      }
      if (!q.getModelName().equals(retrainer.modelName())) continue;
      if (!"shadow".equals(q.getRole())) {
        latestChampionReports.put(q.getModelVersion(), q);
        continue;
      }
      RegisteredVersion shadow = registry.shadow(retrainer.modelName());
      if (shadow == null || !shadow.version().equals(q.getModelVersion())) continue;
      PromotionRule.Verdict v = rule.judge(q, latestChampionReports.get(q.getPairedChampionVersion()), shadow.metrics().get("n_donors"));
      if (v.action() == PromotionRule.Action.WAIT) {
        if (q.getPairedCells() != lastWaitLogged) log.accept("shadow v" + shadow.version() + ": " + v.reason());
        lastWaitLogged = q.getPairedCells();
        continue;
      }
      boolean promote = v.action() == PromotionRule.Action.PROMOTE;
      registry.move(retrainer.modelName(), shadow.version(), promote ? Stage.CHAMPION : Stage.RETIRED, v.reason());
      log.accept("version " + shadow.version() + " " + v.reason());
      announce(shadow.version(), promote ? ModelRole.CHAMPION : ModelRole.RETIRED, v.reason());
    }
  }

  private void announce(String version, ModelRole role, String reason) {
    ModelAnnouncer.announce(bootstrap, modelUpdatesTopic, registry.dir(retrainer.modelName(), version), role, reason);
    log.accept("announced version " + version + " as " + role + " on " + modelUpdatesTopic);
  }

  /**
   * Judges the shadow on the newest quality reports (when {@link #judgeShadows} was called), then
   * waits up to {@code waitMillis} for requests and handles every one pending as one retraining.
   *
   * @return the retraining's result, or null when no request for this service's model came
   */
  public Retrainer.Result pollOnce(long waitMillis) {
    judge();
    List<RetrainRequest> batch = new ArrayList<>();
    var records = consumer.poll(Duration.ofMillis(waitMillis));
    if (!records.isEmpty() && settleMillis > 0) {
      try {
        Thread.sleep(settleMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    while (!records.isEmpty()) {
      for (ConsumerRecord<String, byte[]> r : records) {
        try {
          batch.add(serde.deserialize(r.value()));
        } catch (RuntimeException e) {
          log.accept("skipped a record on retrain-requests that is not a RetrainRequest (offset " + r.offset() + "): " + e.getMessage());
        }
      }
      records = consumer.poll(Duration.ofMillis(200));
    }
    List<RetrainRequest> ours = batch.stream().filter(q -> q.getModelName().equals(retrainer.modelName())).toList();
    if (batch.size() > ours.size()) log.accept("ignored " + (batch.size() - ours.size()) + " request(s) for other models");
    Retrainer.Result result = null;
    RegisteredVersion inShadow = ours.isEmpty() ? null : registry.shadow(retrainer.modelName());
    if (inShadow != null) {
      log.accept(ours.size() + " retrain request(s) noted and not acted on: version " + inShadow.version() + " is in shadow, to be judged first ("
          + ours.get(ours.size() - 1).getReason() + ")");
    } else if (!ours.isEmpty()) {
      String reason = ours.size() == 1 ? ours.get(0).getReason()
          : ours.size() + " requests coalesced: " + String.join(" | ", ours.stream().map(RetrainRequest::getReason).distinct().toList());
      log.accept("retrain requested for " + retrainer.modelName() + " v" + ours.get(ours.size() - 1).getModelVersion() + ": " + reason);
      try {
        result = retrainer.retrain(registry, archive, base, reason, encoder, log);
        if (result.passed()) {
          announce(result.candidate().version(), result.candidate().stage() == Stage.SHADOW ? ModelRole.SHADOW : ModelRole.CHAMPION,
              result.decision());
        }
      } catch (RuntimeException e) {
        // Handled, not retried in a loop: the monitor asks again (after its cooldown) if the need stays.
        log.accept("retraining failed, the champion stays: " + e.getMessage());
      }
    }
    if (!batch.isEmpty()) consumer.commitSync();
    return result;
  }

  @Override
  public void close() {
    consumer.close();
    if (quality != null) quality.close();
  }
}
