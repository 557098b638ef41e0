package io.donorstream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/** One real KRaft broker for a whole test class, with the project topics created. */
public final class KafkaBrokerExtension implements BeforeAllCallback, AfterAllCallback {
  private LocalKafkaBroker broker;
  private Path dir;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    dir = Files.createTempDirectory("donorstream-kafka-test");
    broker = LocalKafkaBroker.start(dir, 0);
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
