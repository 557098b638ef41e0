package io.donorstream.bench.training;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resident memory of this process, split into Java heap and the rest (native: libtorch, arrays). */
public final class ProcessMemory {
  private ProcessMemory() {}

  public static long residentBytes() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Resident memory not accounted for by the committed Java heap, in MiB. */
  public static long nativeMiB() {
    long rss = residentBytes();
    return rss < 0 ? -1 : (rss - Runtime.getRuntime().totalMemory()) >> 20;
  }
}
