package io.donorstream.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import org.apache.flink.api.common.operators.MailboxExecutor;
import org.apache.flink.util.function.ThrowingRunnable;
import org.junit.jupiter.api.Test;

/** Batches in flight on the scorer thread: how many, and in what order their answers come out. */
class ScorerThreadTest {
  /** Stands in for the task's mailbox: mails wait until the test runs them, as on the task thread. */
  private static final class Mails implements MailboxExecutor {
    final LinkedBlockingQueue<ThrowingRunnable<? extends Exception>> queue = new LinkedBlockingQueue<>();

    @Override
    public void execute(MailOptions options, ThrowingRunnable<? extends Exception> command, String description, Object... args) {
      queue.add(command);
    }

    @Override
    public void yield() {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean tryYield() {
      return false;
    }

    @Override
    public boolean shouldInterrupt() {
      return false;
    }

    void runAll() throws Exception {
      ThrowingRunnable<? extends Exception> m;
      while ((m = queue.poll()) != null) m.run();
    }
  }

  @Test
  void withTwoInFlightTheNextBatchIsHandedOverWhileOneIsScoredAndAnswersKeepTheirOrder() throws Exception {
    Mails mails = new Mails();
    List<String> emitted = new ArrayList<>();
    CountDownLatch scoringA = new CountDownLatch(1);
    try (ScorerThread<String> scorer = new ScorerThread<>("test-scorer", mails, 2, emitted::add)) {
      assertTimeoutPreemptively(Duration.ofMinutes(1), () -> {
        scorer.submit(() -> {
          awaitQuietly(scoringA);
          return "A";
        }, true);
        // A cannot finish yet: had this call waited for it, the test would never get past here.
        scorer.submit(() -> "B", true);
        assertThat(emitted).as("nothing answered while A is being scored").isEmpty();
        scoringA.countDown();
        scorer.submit(() -> "C", true);
        assertThat(emitted).as("room for C is made by answering the oldest").startsWith("A");
        scorer.await();
      });
      mails.runAll();
      assertThat(emitted).as("each batch once, in order, however the mails and the waits interleave").containsExactly("A", "B", "C");
    }
  }

  @Test
  void withOneInFlightTheNextBatchWaitsForTheLastAndACheapOneIsAnsweredAtOnce() throws Exception {
    Mails mails = new Mails();
    List<String> emitted = new ArrayList<>();
    try (ScorerThread<String> scorer = new ScorerThread<>("test-scorer", mails, 1, emitted::add)) {
      scorer.submit(() -> "A", true);
      scorer.submit(() -> "B", true);
      assertThat(emitted).as("A answered before B went in flight").containsExactly("A");
      scorer.submit(() -> "C", false);
      assertThat(emitted).as("a batch kept on the task thread comes after those in flight").containsExactly("A", "B", "C");
      mails.runAll();
      assertThat(emitted).containsExactly("A", "B", "C");
    }
  }

  private static void awaitQuietly(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
