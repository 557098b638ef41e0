package io.donorstream.kafka;

import io.donorstream.local.LocalKafkaBroker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One real KRaft broker for a whole test class, with the project topics created. */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private final java.util.Map<String, String> users;
  private LocalKafkaBroker broker;
  private Path dir;

  public KafkaBrokerExtension() {
    this(java.util.Map.of());
  }

  private KafkaBrokerExtension(java.util.Map<String, String> users) {
    this.users = users;
  }

  /** A broker whose client port asks for a SASL/PLAIN login by one of {@code users} (name to password). */
  public static KafkaBrokerExtension withLogin(java.util.Map<String, String> users) {
    return new KafkaBrokerExtension(users);
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("donorstream-kafka-test");
    broker = users.isEmpty() ? LocalKafkaBroker.start(dir, 0) : LocalKafkaBroker.startWithLogin(dir, 0, users);
    broker.createTopics(ProjectTopics.all(2));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (broker != null) broker.close();
    LocalKafkaBroker.deleteData(dir);
  }

  public String bootstrap() {
    return broker.bootstrap();
  }

  public LocalKafkaBroker broker() {
    return broker;
  }
}
