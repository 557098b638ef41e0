package io.donorstream.publish;

import io.donorstream.artifact.ModelManifest;
import io.donorstream.artifact.VerifiedArtifact;
import io.donorstream.kafka.KafkaAccessException;
import io.donorstream.kafka.KafkaEndpoint;
import io.donorstream.schema.ModelRole;
import io.donorstream.schema.ModelUpdate;
import io.donorstream.schema.serde.AvroSerde;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/** Announces a model artifact on {@code model-updates}: what makes running jobs swap to it. */
public final class ModelAnnouncer {
  private ModelAnnouncer() {}

  /** Announces the verified artifact in {@code dir} as the champion; returns the update. */
  public static ModelUpdate announce(String bootstrap, String topic, Path dir) {
    return announce(KafkaEndpoint.of(bootstrap), topic, dir, ModelRole.CHAMPION, null);
  }

  public static ModelUpdate announce(String bootstrap, String topic, Path dir, ModelRole role, String reason) {
    return announce(KafkaEndpoint.of(bootstrap), topic, dir, role, reason);
  }

  /** The {@link ModelUpdate} that gives the verified artifact in {@code dir} a role (its files hashed once, here). */
  public static ModelUpdate update(Path dir, ModelRole role, String reason) {
    VerifiedArtifact artifact = VerifiedArtifact.open(dir, null);
    ModelManifest m = artifact.manifest();
    Map<String, Double> metrics = new HashMap<>();
    if (m.metrics != null) m.metrics.forEach((k, v) -> {
      if (v instanceof Number n) metrics.put(k, n.doubleValue());
    });
    return ModelUpdate.newBuilder().setModelName(m.name).setVersion(m.version).setArtifactUri(dir.toAbsolutePath().toUri().toString())
        .setSha256(artifact.sumsSha256()).setCreatedAt(Instant.now()).setMetrics(metrics).setRole(role).setReason(reason).build();
  }

  /** Publishes a {@link ModelUpdate} giving the verified artifact in {@code dir} a role; returns the update. */
  public static ModelUpdate announce(KafkaEndpoint kafka, String topic, Path dir, ModelRole role, String reason) {
    ModelUpdate u = update(dir, role, reason);
    CellPublisher.checkTopicExists(kafka, topic);
    try (KafkaProducer<String, byte[]> p = new KafkaProducer<>(CellPublisher.producerConfig(kafka))) {
      p.send(new ProducerRecord<>(topic, u.getVersion(), AvroSerde.of(ModelUpdate.class).serialize(u))).get(CellPublisher.REACH_TIMEOUT_MS,
          TimeUnit.MILLISECONDS);
    } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new KafkaAccessException("announcing model " + u.getModelName() + " v" + u.getVersion() + " as " + role + " on " + topic + " at " + kafka.bootstrap() + " failed: "
          + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaAccessException("interrupted while announcing a model");
    }
    return u;
  }
}
