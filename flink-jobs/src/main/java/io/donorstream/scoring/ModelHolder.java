package io.donorstream.scoring;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.apache.flink.metrics.Counter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The model a scoring subtask serves, and the one waiting to replace it. An announced model is
 * loaded and verified on a loader thread (reading and hashing an artifact takes far longer than a
 * batch), then swapped in by the scoring thread between batches. The staleness rule refuses a
 * model that is not newer than the one served; a model that fails to load or verify is refused
 * and the served one stays. A withdrawn model (a retired shadow, or one the champion caught up with)
 * stops serving at once and is discarded if it is still loading.
 */
final class ModelHolder implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ModelHolder.class);

  private final int expectedWidth;
  private final boolean refuseOlder;
  private final Counter swaps;
  private final Counter rejections;
  private final AtomicReference<ServingModel> ready = new AtomicReference<>();
  private final Set<String> withdrawn = ConcurrentHashMap.newKeySet();
  private volatile ServingModelRef floor;
  private final ExecutorService loader = Executors.newSingleThreadExecutor(r -> new Thread(r, "donorstream-model-loader"));
  private ServingModel serving;
  private Future<?> loading;

  ModelHolder(int expectedWidth, boolean refuseOlder, Counter swaps, Counter rejections) {
    this.expectedWidth = expectedWidth;
    this.refuseOlder = refuseOlder;
    this.swaps = swaps;
    this.rejections = rejections;
  }

  /** Loads the model to start with, on the calling thread (the subtask cannot score before it). */
  void start(ServingModelRef ref) {
    serving = ServingModel.load(ref, expectedWidth);
    LOG.info("serving model {} from {}", serving.version(), ref.artifactUri());
  }

  /** Starts loading an announced model, unless the staleness rule refuses it. */
  void offer(ServingModelRef candidate) {
    ServingModelRef current = servingRef();
    if (refuseOlder && !candidate.isNewerThan(current)) {
      rejections.inc();
      LOG.warn("refused model {}: not newer than the serving model {}", candidate.version(), current == null ? null : current.version());
      return;
    }
    loading = loader.submit(() -> {
      try {
        ServingModel loaded = ServingModel.load(candidate, expectedWidth);
        if (isWithdrawn(loaded.ref())) {
          loaded.close();
          return;
        }
        ServingModel previous = ready.getAndSet(loaded);
        if (previous != null) previous.close();
      } catch (RuntimeException e) {
        rejections.inc();
        LOG.warn("refused model {}: {}; still serving {}", candidate.version(), e.getMessage(), current == null ? null : current.version());
      }
    });
  }

  /**
   * Swaps in a loaded model, if one is ready and still newer. {@code beforeSwap} runs first with
   * the outgoing model (to score what it accepted: every batch is scored by one version).
   *
   * @return true when the model changed
   */
  boolean swapIfReady(Consumer<ServingModel> beforeSwap) {
    // Asked once per cell: a plain read first, the atomic exchange only when a model is waiting.
    if (ready.get() == null) return false;
    ServingModel next = ready.getAndSet(null);
    if (next == null) return false;
    if (isWithdrawn(next.ref())) {
      next.close();
      return false;
    }
    if (serving != null && refuseOlder && !next.ref().isNewerThan(serving.ref())) {
      next.close();
      return false;
    }
    if (serving != null) {
      beforeSwap.accept(serving);
      serving.close();
    }
    LOG.info("swapped to model {} from {}", next.version(), next.ref().artifactUri());
    serving = next;
    swaps.inc();
    return true;
  }

  /** Stops serving {@code version}, and discards it should it still be loading. */
  void withdraw(String version) {
    withdrawn.add(version);
    if (serving != null && serving.version().equals(version)) stopServing();
  }

  /** Withdraws every model not newer than {@code ref}: shadows the champion has caught up with. */
  void withdrawNotNewerThan(ServingModelRef ref) {
    floor = ref;
    if (serving != null && isWithdrawn(serving.ref())) stopServing();
  }

  private boolean isWithdrawn(ServingModelRef ref) {
    ServingModelRef f = floor;
    return withdrawn.contains(ref.version()) || (f != null && !ref.isNewerThan(f));
  }

  private void stopServing() {
    LOG.info("stopped serving model {}", serving.version());
    serving.close();
    serving = null;
  }

  /** Waits for a model being loaded (bounded runs that end right after an announcement). */
  void awaitLoading() throws InterruptedException, ExecutionException {
    if (loading != null) loading.get();
  }

  ServingModel serving() {
    return serving;
  }

  ServingModelRef servingRef() {
    return serving == null ? null : serving.ref();
  }

  @Override
  public void close() {
    loader.shutdownNow();
    if (serving != null) serving.close();
    ServingModel pending = ready.getAndSet(null);
    if (pending != null) pending.close();
  }
}
