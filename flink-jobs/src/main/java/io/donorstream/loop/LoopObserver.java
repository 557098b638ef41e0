package io.donorstream.loop;

import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.kafka.OutputWatcher;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.schema.DonorPrediction;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Reads everything the loop writes, as it is committed (predictions, shadow predictions, dead
 * letters, quality reports, retrain requests, model updates) on a thread of its own, and keeps the
 * tallies the demo reports: answers per phase and model version, when each version first answered,
 * and the reports and decisions over time.
 */
final class LoopObserver implements AutoCloseable {
  /** Labelled answers of one model version in one phase: how many, how many right. */
  record Tally(long labelled, long right) {
    double accuracy() {
      return labelled == 0 ? Double.NaN : (double) right / labelled;
    }
  }

  private final long startMillis = System.currentTimeMillis();
  private final Map<String, Phase> phases = new ConcurrentHashMap<>();
  private final Map<Phase, Map<String, long[]>> tallies = new EnumMap<>(Phase.class);
  private final Map<String, Long> firstAnswer = new TreeMap<>();
  private final List<QualityReport> reports = new ArrayList<>();
  private final List<RetrainRequest> requests = new ArrayList<>();
  private final List<ModelUpdate> updates = new ArrayList<>();
  private final AvroSerde<DonorPrediction> predictionSerde = AvroSerde.of(DonorPrediction.class);
  private final AvroSerde<QualityReport> reportSerde = AvroSerde.of(QualityReport.class);
  private final AvroSerde<RetrainRequest> requestSerde = AvroSerde.of(RetrainRequest.class);
  private final AvroSerde<ModelUpdate> updateSerde = AvroSerde.of(ModelUpdate.class);
  private final AtomicBoolean stop = new AtomicBoolean();
  private final Thread thread;
  private long predictions;
  private long shadowPredictions;
  private long deadLetters;

  LoopObserver(String bootstrap) {
    OutputWatcher watcher = new OutputWatcher(KafkaEndpoint.of(bootstrap), List.of(ProjectTopics.PREDICTIONS, ProjectTopics.PREDICTIONS_SHADOW,
        ProjectTopics.CELLS_DLQ, ProjectTopics.QUALITY, ProjectTopics.RETRAIN_REQUESTS, ProjectTopics.MODEL_UPDATES));
    thread = new Thread(() -> {
      try (watcher) {
        while (!stop.get()) watcher.poll(200, this::take);
      }
    }, "loop-observer");
    thread.setDaemon(true);
    thread.start();
  }

  /** Tells the observer which phase a cell about to be published belongs to. */
  void expect(String cellId, Phase phase) {
    phases.put(cellId, phase);
  }

  private synchronized void take(ConsumerRecord<String, byte[]> r) {
    switch (r.topic()) {
      case ProjectTopics.PREDICTIONS -> {
        DonorPrediction p = predictionSerde.deserialize(r.value());
        predictions++;
        firstAnswer.putIfAbsent(p.getModelVersion(), p.getScoredAt().toEpochMilli());
        Phase phase = phases.get(p.getCellId());
        if (phase != null && p.getTrueDonorId() != null) {
          long[] t = tallies.computeIfAbsent(phase, x -> new TreeMap<>()).computeIfAbsent(p.getModelVersion(), v -> new long[2]);
          t[0]++;
          if (p.getTrueDonorId().equals(p.getPredictedDonor())) t[1]++;
        }
      }
      case ProjectTopics.PREDICTIONS_SHADOW -> shadowPredictions++;
      case ProjectTopics.CELLS_DLQ -> deadLetters++;
      case ProjectTopics.QUALITY -> reports.add(reportSerde.deserialize(r.value()));
      case ProjectTopics.RETRAIN_REQUESTS -> requests.add(requestSerde.deserialize(r.value()));
      case ProjectTopics.MODEL_UPDATES -> updates.add(updateSerde.deserialize(r.value()));
      default -> { }
    }
  }

  synchronized long predictions() {
    return predictions;
  }

  synchronized long shadowPredictions() {
    return shadowPredictions;
  }

  synchronized long deadLetters() {
    return deadLetters;
  }

  /** Labelled answers in {@code phase}, by the versions {@code version} accepts. */
  synchronized Tally tally(Phase phase, java.util.function.Predicate<String> version) {
    long n = 0;
    long right = 0;
    for (Map.Entry<String, long[]> e : tallies.getOrDefault(phase, Map.of()).entrySet()) {
      if (!version.test(e.getKey())) continue;
      n += e.getValue()[0];
      right += e.getValue()[1];
    }
    return new Tally(n, right);
  }

  /** Versions that answered on {@code predictions}, with when each answered first (epoch ms). */
  synchronized Map<String, Long> firstAnswers() {
    return new TreeMap<>(firstAnswer);
  }

  synchronized List<QualityReport> reports() {
    return List.copyOf(reports);
  }

  synchronized List<RetrainRequest> requests() {
    return List.copyOf(requests);
  }

  synchronized List<ModelUpdate> updates() {
    return List.copyOf(updates);
  }

  /** The newest report of a role ("champion" or "shadow") from the newest version that has one, or null. */
  synchronized QualityReport latest(String role) {
    QualityReport best = null;
    for (QualityReport q : reports) {
      if (!role.equals(q.getRole())) continue;
      if (best == null || Double.parseDouble(q.getModelVersion()) >= Double.parseDouble(best.getModelVersion())) best = q;
    }
    return best;
  }

  long startMillis() {
    return startMillis;
  }

  @Override
  public void close() throws InterruptedException {
    stop.set(true);
    thread.join(10_000);
  }
}
