package io.donorstream.bench.scoring;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where the process's CPU went while a job ran, by kind of thread: sampled while it runs (a
 * bounded job's task threads are gone by the time it returns), then reported as shares of the
 * machine's cores over the window. What no Java thread accounts for (JIT compilers, GC, native
 * threads such as RocksDB's) is the process total minus the threads.
 */
final class ThreadCpu {
  private static final String[][] KINDS = {
    {"donorstream-scorer", "scorer-thread"}, {"score", "score"}, {"Source Data Fetcher", "source-fetch"}, {"Source:", "source"}, {"identity", "passthrough-task"},
    {"kafka-producer-network-thread", "producer-io"}, {"data-plane-kafka", "broker"}, {"kafka-", "broker"}, {"broker-", "broker"},
    {"flink-", "flink-runtime"},
  };
  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final com.sun.management.OperatingSystemMXBean os =
      (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
  private final Map<Long, String> names = new LinkedHashMap<>();
  private final Map<Long, Long> first = new LinkedHashMap<>();
  private final Map<Long, Long> last = new LinkedHashMap<>();
  private final long process0;
  private final long wall0;

  /** Starts the window: every live thread's CPU time so far is left out. */
  ThreadCpu() {
    for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
      long cpu = t == null ? -1 : threads.getThreadCpuTime(t.getThreadId());
      if (cpu >= 0) first.put(t.getThreadId(), cpu);
    }
    process0 = os.getProcessCpuTime();
    wall0 = System.nanoTime();
  }

  /** Records every live thread's CPU time; threads born in the window count from zero. Names are looked up once per thread. */
  void sample() {
    for (long id : threads.getAllThreadIds()) {
      long cpu = threads.getThreadCpuTime(id);
      if (cpu < 0) continue;
      if (!names.containsKey(id)) {
        ThreadInfo t = threads.getThreadInfo(id);
        if (t == null) continue;
        names.put(id, t.getThreadName());
        first.putIfAbsent(id, 0L);
      }
      last.put(id, cpu);
    }
  }

  /** e.g. {@code score=1.10 broker=0.21 ... other=0.30 total=1.95 of 2 cores}. */
  String report() {
    double seconds = wallSeconds();
    Map<String, Double> byKind = new TreeMap<>();
    double threadsTotal = 0;
    for (Map.Entry<Long, Long> e : last.entrySet()) {
      double used = (e.getValue() - first.get(e.getKey())) / 1e9 / seconds;
      byKind.merge(kind(names.get(e.getKey())), used, Double::sum);
      threadsTotal += used;
    }
    double total = (os.getProcessCpuTime() - process0) / 1e9 / seconds;
    StringBuilder out = new StringBuilder();
    byKind.entrySet().stream().sorted((a, b) -> Double.compare(b.getValue(), a.getValue()))
        .forEach(e -> out.append(String.format("%s=%.2f ", e.getKey(), e.getValue())));
    out.append(String.format("jit+gc+native=%.2f total=%.2f cores_of=%d", Math.max(0, total - threadsTotal), total,
        Runtime.getRuntime().availableProcessors()));
    return out.toString();
  }

  private double wallSeconds() {
    return (System.nanoTime() - wall0) / 1e9;
  }

  static String kind(String name) {
    if (name.equals("main")) return "bench";
    for (String[] k : KINDS) if (name.contains(k[0])) return k[1];
    return "other-java";
  }
}
