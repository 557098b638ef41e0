package io.donorstream.service;

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
 * promoted or retired by the {@link Retrainer}, and a promoted champion is announced on
 * {@code model-updates} so running ScoringJobs swap to it. Requests are committed only after their
 * retraining finished: a crash mid-training redelivers them, and the registry holds no half version.
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
   * Waits up to {@code waitMillis} for requests; handles every one pending as one retraining.
   *
   * @return the retraining's result, or null when no request for this service's model came
   */
  public Retrainer.Result pollOnce(long waitMillis) {
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
    if (!ours.isEmpty()) {
      String reason = ours.size() == 1 ? ours.get(0).getReason()
          : ours.size() + " requests coalesced: " + String.join(" | ", ours.stream().map(RetrainRequest::getReason).distinct().toList());
      log.accept("retrain requested for " + retrainer.modelName() + " v" + ours.get(ours.size() - 1).getModelVersion() + ": " + reason);
      result = retrainer.retrain(registry, archive, base, reason, encoder, log);
      if (result.promoted()) {
        ModelAnnouncer.announce(bootstrap, modelUpdatesTopic, registry.dir(retrainer.modelName(), result.candidate().version()));
        log.accept("announced version " + result.candidate().version() + " on " + modelUpdatesTopic);
      }
    }
    if (!batch.isEmpty()) consumer.commitSync();
    return result;
  }

  @Override
  public void close() {
    consumer.close();
  }
}
