package io.donorstream.retrain.service;

import io.donorstream.data.CellTable;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.TopicReader;
import io.donorstream.promotion.Reason;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import io.donorstream.retrain.Retrainer;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.text.TextEncoder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * Consumes {@code retrain-requests} and retrains: every request pending is coalesced into one
 * retraining that answers the union of their reasons (a burst of triggers trains once, and a
 * leakage alarm and a drift alarm in the same minute get one model that answers both); the
 * {@link Retrainer} picks the recipe from the reasons, registers the candidate and sends it to
 * shadow or retires it; it is announced on {@code model-updates} in its role. Requests are kept,
 * not dropped, while a shadow is judged or while the archive cannot answer them yet (then they are
 * tried again once it has grown), and merged into the next retraining; a request about a champion
 * that was since replaced by a version answering its reasons counts as answered. Requests are
 * committed only once none is pending: a crash redelivers them, and the registry holds no half
 * version.
 *
 * <p>With {@link #judgeShadows} it also reads the MonitoringJob's {@code quality} reports and judges
 * the shadow by the {@link PromotionRule} on the live cells both models answered: promoted (announced
 * as champion: the ScoringJobs swap) or retired (announced as retired: they drop it), the decision
 * and its numbers recorded in the registry.
 */
public final class RetrainService implements AutoCloseable {
  private final KafkaEndpoint kafka;
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
  /** Requests read and not yet answered, oldest first. */
  private final List<RetrainRequest> pending = new ArrayList<>();
  private String waitingFor;
  private String archiveSeen;
  private long retryAfter;
  private String lastLogged;
  private volatile long received;
  private volatile boolean busy;

  /** @param base an optional data set every candidate also trains on (null for the archive alone) */
  public RetrainService(KafkaEndpoint kafka, String groupId, String requestsTopic, String modelUpdatesTopic, ModelRegistry registry, Path archive,
      CellTable base, Retrainer retrainer, TextEncoder encoder, Consumer<String> log) {
    this.kafka = kafka;
    this.modelUpdatesTopic = modelUpdatesTopic;
    this.registry = registry;
    this.archive = archive;
    this.base = base;
    this.retrainer = retrainer;
    this.encoder = encoder;
    this.log = log;
    Map<String, Object> config = new java.util.HashMap<>(TopicReader.consumerConfig(kafka));
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
    quality = new KafkaConsumer<>(TopicReader.consumerConfig(kafka));
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
      PromotionRule.Verdict v = rule.judge(q, latestChampionReports.get(q.getPairedChampionVersion()), shadow.reasons(),
          shadow.metrics().get("n_donors"));
      if (v.action() == PromotionRule.Action.WAIT) {
        if (q.getPairedCells() != lastWaitLogged) log.accept("shadow v" + shadow.version() + ": " + v.reason());
        lastWaitLogged = q.getPairedCells();
        continue;
      }
      Stage to = v.action() == PromotionRule.Action.PROMOTE ? Stage.CHAMPION : Stage.RETIRED;
      registry.move(retrainer.modelName(), shadow.version(), to, v.reason());
      log.accept("version " + shadow.version() + " " + v.reason());
      announce(shadow.version(), to.role(), v.reason());
    }
  }

  private void announce(String version, ModelRole role, String reason) {
    ModelAnnouncer.announce(kafka, modelUpdatesTopic, registry.dir(retrainer.modelName(), version), role, reason);
    log.accept("announced version " + version + " as " + role + " on " + modelUpdatesTopic);
  }

  /**
   * Judges the shadow on the newest quality reports (when {@link #judgeShadows} was called), then
   * waits up to {@code waitMillis} for requests and, unless a shadow is being judged or the archive
   * cannot answer yet, handles every one pending as one retraining.
   *
   * @return the retraining's result, or null when none was done
   */
  public Retrainer.Result pollOnce(long waitMillis) {
    judge();
    var records = consumer.poll(Duration.ofMillis(waitMillis));
    received += records.count();
    try {
      return handle(records);
    } finally {
      busy = false;
    }
  }

  /** Requests read so far (any model), for a caller that waits until the service has seen what was asked. */
  public long received() {
    return received;
  }

  /** True while the service settles on or trains for requests it read. */
  public boolean busy() {
    return busy;
  }

  private Retrainer.Result handle(org.apache.kafka.clients.consumer.ConsumerRecords<String, byte[]> first) {
    var records = first;
    // A shadow being judged holds the requests anyway: no need to wait for the archive then.
    if (!records.isEmpty() && settleMillis > 0 && registry.shadow(retrainer.modelName()) == null) {
      busy = true;
      try {
        Thread.sleep(settleMillis);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    int others = 0;
    while (!records.isEmpty()) {
      for (ConsumerRecord<String, byte[]> r : records) {
        RetrainRequest q;
        try {
          q = serde.deserialize(r.value());
        } catch (RuntimeException e) {
          log.accept("skipped a record on retrain-requests that is not a RetrainRequest (offset " + r.offset() + "): " + e.getMessage());
          continue;
        }
        if (q.getModelName().equals(retrainer.modelName())) {
          pending.add(q);
        } else {
          others++;
        }
      }
      records = consumer.poll(Duration.ofMillis(200));
      received += records.count();
    }
    if (others > 0) log.accept("ignored " + others + " request(s) for other models");
    dropAnswered();
    if (pending.isEmpty()) {
      consumer.commitSync();
      return null;
    }
    Set<Reason> reasons = reasons(pending);
    RegisteredVersion inShadow = registry.shadow(retrainer.modelName());
    if (inShadow != null) {
      noteWaiting("shadow v" + inShadow.version(), pending.size() + " retrain request(s) " + wire(reasons) + " kept for the next retraining: version "
          + inShadow.version() + " is in shadow, to be judged first");
      return null;
    }
    // Waiting for the archive to grow: tried again once it has, and no more often than the settle time.
    if (archiveSeen != null && (System.currentTimeMillis() < retryAfter || archiveSeen.equals(archiveFingerprint()))) return null;
    busy = true;
    String reason = pending.size() == 1 ? pending.get(0).getReason()
        : pending.size() + " requests coalesced: " + String.join(" | ", pending.stream().map(RetrainRequest::getReason).distinct().toList());
    if (!(reasons + reason).equals(lastLogged)) {
      log.accept("retrain requested for " + retrainer.modelName() + " v" + pending.get(pending.size() - 1).getModelVersion() + " " + wire(reasons)
          + ": " + reason);
      lastLogged = reasons + reason;
    }
    Retrainer.Result result = null;
    try {
      result = retrainer.retrain(registry, archive, base, reasons, reason, changeAt(pending), encoder, log);
      if (result.passed()) {
        announce(result.candidate().version(), result.candidate().stage().role(),
            result.decision());
      }
    } catch (Retrainer.NotYet e) {
      boolean firstTry = archiveSeen == null;
      archiveSeen = archiveFingerprint();
      retryAfter = System.currentTimeMillis() + Math.max(1_000, settleMillis);
      if (firstTry) log.accept("cannot answer " + wire(reasons) + " yet: " + e.getMessage() + "; trying again as the archive grows");
      return null;
    } catch (RuntimeException e) {
      // Handled, not retried in a loop: the monitor asks again (after its cooldown) if the need stays.
      log.accept("retraining failed, the champion stays: " + e.getMessage());
    }
    pending.clear();
    waitingFor = null;
    archiveSeen = null;
    lastLogged = null;
    consumer.commitSync();
    return result;
  }

  /**
   * Requests about a champion since replaced by a version that answers all their reasons are
   * answered; those it does not answer stay, to be answered by the next retraining.
   */
  private void dropAnswered() {
    RegisteredVersion champion = registry.champion(retrainer.modelName());
    if (champion == null) return;
    Set<Reason> answered = champion.reasons();
    pending.removeIf(q -> {
      if (q.getModelVersion().equals(champion.version())) return false;
      Set<Reason> asked = reasonsOf(q);
      if (!Reason.covers(answered, asked)) return false;
      log.accept("request for v" + q.getModelVersion() + " " + wire(asked) + " answered by champion v" + champion.version());
      return true;
    });
  }

  private void noteWaiting(String what, String line) {
    if (what.equals(waitingFor)) return;
    waitingFor = what;
    log.accept(line);
  }

  /**
   * When the regime the accuracy-type requests answer began: the latest {@code change_at} the monitor
   * put in their metrics (or, from a producer that does not, a while before the request). The latest:
   * requests pending together are about the current regime, and cells before it must not be taken
   * for it.
   */
  static long changeAt(List<RetrainRequest> requests) {
    return requests.stream().filter(q -> reasonsOf(q).stream().anyMatch(Reason::favoursRecentCells)).mapToLong(q -> {
      Double at = q.getMetrics().get(io.donorstream.quality.VersionMonitor.CHANGE_AT);
      return at != null ? at.longValue() : q.getRequestedAt().toEpochMilli() - Retrainer.RECENT_LEAD_MILLIS;
    }).max().orElse(Long.MIN_VALUE);
  }

  /** What a request asks for; a request that names no kind (an older producer, a person) counts as {@link Reason#OTHER}. */
  static Set<Reason> reasonsOf(RetrainRequest q) {
    Set<Reason> r = Reason.of(q.getKinds());
    if (r.isEmpty()) r.add(Reason.OTHER);
    return r;
  }

  private static Set<Reason> reasons(List<RetrainRequest> requests) {
    Set<Reason> all = EnumSet.noneOf(Reason.class);
    for (RetrainRequest q : requests) all.addAll(reasonsOf(q));
    return all;
  }

  private static String wire(Set<Reason> reasons) {
    return reasons.stream().map(Reason::wire).toList().toString();
  }

  /** The archive's files and sizes: it grew when this changes. */
  private String archiveFingerprint() {
    if (!Files.isDirectory(archive)) return "none";
    try (Stream<Path> files = Files.walk(archive)) {
      long[] count = new long[2];
      files.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().startsWith(".")).forEach(p -> {
        count[0]++;
        try {
          count[1] += Files.size(p);
        } catch (java.io.IOException e) {
          // Gone between listing and reading: it counts as a change next time.
        }
      });
      return count[0] + "/" + count[1];
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return "unreadable " + System.nanoTime();
    }
  }

  @Override
  public void close() {
    consumer.close();
    if (quality != null) quality.close();
  }
}
