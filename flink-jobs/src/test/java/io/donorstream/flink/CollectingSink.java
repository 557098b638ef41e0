package io.donorstream.flink;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

/**
 * A sink that keeps what every subtask wrote, for jobs run on a MiniCluster in the test's own JVM:
 * the sink travels to the tasks serialised, so its records are kept in a static map under the
 * sink's id and read back with {@link #records()}.
 */
public final class CollectingSink<T> implements Sink<T> {
  private static final Map<String, Queue<Object>> WRITTEN = new ConcurrentHashMap<>();
  private final String id = UUID.randomUUID().toString();

  public CollectingSink() {
    WRITTEN.put(id, new ConcurrentLinkedQueue<>());
  }

  @Override
  public SinkWriter<T> createWriter(WriterInitContext context) {
    Queue<Object> written = WRITTEN.get(id);
    return new SinkWriter<>() {
      @Override
      public void write(T element, Context c) {
        written.add(element);
      }

      @Override
      public void flush(boolean endOfInput) {}

      @Override
      public void close() {}
    };
  }

  /** Everything written so far, across subtasks. */
  @SuppressWarnings("unchecked")
  public List<T> records() {
    return new ArrayList<>((Queue<T>) (Queue<?>) WRITTEN.get(id));
  }
}
