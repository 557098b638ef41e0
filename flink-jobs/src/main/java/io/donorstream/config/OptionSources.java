package io.donorstream.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ReadableConfig;

/** Where a job's options come from: arguments first, then the cluster's configuration, then defaults. */
final class OptionSources {
  private OptionSources() {}

  /** The options of {@code all} set in {@code overrides}, else in {@code base}. */
  static Configuration merge(List<ConfigOption<?>> all, ReadableConfig overrides, ReadableConfig base) {
    Map<String, String> merged = new LinkedHashMap<>();
    for (ConfigOption<?> o : all) {
      ReadableConfig source = overrides.getOptional(o).isPresent() ? overrides : base;
      source.getOptional(o).ifPresent(v -> merged.put(o.key(), String.valueOf(v)));
    }
    return Configuration.fromMap(merged);
  }

  /** The options of {@code all} among {@code --key value} arguments. */
  static Configuration fromArguments(List<ConfigOption<?>> all, Map<String, String> arguments) {
    Map<String, String> set = new LinkedHashMap<>();
    for (ConfigOption<?> o : all) if (arguments.containsKey(o.key())) set.put(o.key(), arguments.get(o.key()));
    return Configuration.fromMap(set);
  }
}
