package io.donorstream.cli;

import io.donorstream.kafka.ProjectTopics;
import io.donorstream.publish.ModelAnnouncer;
import io.donorstream.registry.Decision;
import io.donorstream.registry.ModelRegistry;
import io.donorstream.registry.RegisteredVersion;
import io.donorstream.registry.Stage;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** The model registry, for people: list, show, promote, roll back. */
@Command(
    name = "models",
    mixinStandardHelpOptions = true,
    description = {"The model registry (models/<name>/<version>/ and models/<name>/registry.json): versions, their stages",
      "(candidate, shadow, champion, retired), parents, data ranges, metrics and every decision that moved them."},
    subcommands = {ModelsCommand.ListVersions.class, ModelsCommand.Show.class, ModelsCommand.Register.class, ModelsCommand.Promote.class,
        ModelsCommand.Rollback.class})
public final class ModelsCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    throw new UserError("say what to do: models list | show NAME [VERSION] | register NAME DIR | promote NAME VERSION | rollback NAME"
        + " (see models --help)");
  }

  static class RegistryOption {
    @Option(names = "--registry", defaultValue = "models", description = "Registry folder (default ${DEFAULT-VALUE}).")
    Path registry;

    ModelRegistry open() {
      return new ModelRegistry(registry);
    }
  }

  static class Announce {
    @Option(names = "--bootstrap", description = "Also announce the change on model-updates at this Kafka, so running jobs swap to the champion, start or stop the shadow.")
    String bootstrap;

    @Option(names = "--kafka-config", paramLabel = "FILE", description = "Kafka client properties (SASL, TLS) for --bootstrap, as Kafka's tools take --command-config.")
    Path kafkaConfig;

    void announce(ModelRegistry r, String name, String version, io.donorstream.schema.ModelRole role, String reason) {
      if (bootstrap == null) {
        if (kafkaConfig != null) throw new UserError("--kafka-config is for the announcement: give --bootstrap too");
        return;
      }
      var u = ModelAnnouncer.announce(io.donorstream.kafka.KafkaEndpoint.of(bootstrap, kafkaConfig), ProjectTopics.MODEL_UPDATES, r.dir(name, version), role, reason);
      System.out.println("announced " + u.getModelName() + " v" + u.getVersion() + " as " + role + " on " + ProjectTopics.MODEL_UPDATES + " at "
          + bootstrap);
    }
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "Every model and its versions, a line each.")
  static final class ListVersions implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOption registry;

    @Override
    public Integer call() {
      ModelRegistry r = registry.open();
      if (r.names().isEmpty()) System.out.println("no models in " + r.root());
      for (String name : r.names()) {
        for (RegisteredVersion v : r.versions(name)) System.out.println(line(name, v));
      }
      return 0;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, description = "One model's versions, or one version, with every decision.")
  static final class Show implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOption registry;

    @Parameters(index = "0", description = "Model name.")
    String name;

    @Parameters(index = "1", arity = "0..1", description = "Version (default: all).")
    String version;

    @Override
    public Integer call() {
      ModelRegistry r = registry.open();
      var versions = version == null ? r.versions(name) : java.util.List.of(r.version(name, version));
      for (RegisteredVersion v : versions) {
        System.out.println(line(name, v));
        System.out.println("  folder " + r.dir(name, v.version()) + (v.dataFrom() != null ? "; data " + v.dataFrom() + " .. " + v.dataTo() : ""));
        for (Decision d : v.decisions()) {
          System.out.println("  " + d.at() + "  " + (d.from() == null ? "registered" : d.from() + " -> " + d.to()) + ": " + d.reason());
        }
      }
      return 0;
    }
  }

  @Command(name = "register", mixinStandardHelpOptions = true,
      description = {"Add a trained artifact (train --out DIR) to the registry as the next version of NAME: copied in, verified,",
        "renamed into place. --champion makes it champion at once (the way to give a new registry its first model)."})
  static final class Register implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOption registry;
    @picocli.CommandLine.Mixin Announce announce;

    @Parameters(index = "0", description = "Model name.")
    String name;

    @Parameters(index = "1", description = "The artifact folder (model.json, parameters, SHA256SUMS).")
    Path from;

    @Option(names = "--champion", description = "Make it champion (retiring the current one, if any).")
    boolean champion;

    @Option(names = "--reason", defaultValue = "registered by hand", description = "Recorded with the decision.")
    String reason;

    @Override
    public Integer call() {
      if (!java.nio.file.Files.isDirectory(from)) throw new UserError(from + " is not a folder; give the folder train --out wrote");
      ModelRegistry r = registry.open();
      RegisteredVersion v = r.register(name, null, null, null, reason, target -> ModelRegistry.copyAs(from, target, name));
      if (champion) v = r.move(name, v.version(), Stage.CHAMPION, reason);
      System.out.println(line(name, v));
      if (champion) announce.announce(r, name, v.version(), io.donorstream.schema.ModelRole.CHAMPION, reason);
      return 0;
    }
  }

  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Move a version to champion (retiring the current one), to shadow, or retire it.")
  static final class Promote implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOption registry;
    @picocli.CommandLine.Mixin Announce announce;

    @Parameters(index = "0", description = "Model name.")
    String name;

    @Parameters(index = "1", description = "Version.")
    String version;

    @Option(names = "--to", defaultValue = "champion", description = "champion, shadow or retired (default ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--reason", defaultValue = "promoted by hand", description = "Recorded with the decision.")
    String reason;

    @Override
    public Integer call() {
      Stage stage = switch (to) {
        case "champion" -> Stage.CHAMPION;
        case "shadow" -> Stage.SHADOW;
        case "retired" -> Stage.RETIRED;
        default -> throw new UserError("--to " + to + ": give champion, shadow or retired");
      };
      ModelRegistry r = registry.open();
      RegisteredVersion v = r.move(name, version, stage, reason);
      System.out.println(line(name, v));
      announce.announce(r, name, version, stage.role(), reason);
      return 0;
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true,
      description = {"Make the previous champion champion again: its artifact is registered again as a new version (so jobs",
        "that only take newer versions take it) and the current champion is retired."})
  static final class Rollback implements Callable<Integer> {
    @picocli.CommandLine.Mixin RegistryOption registry;
    @picocli.CommandLine.Mixin Announce announce;

    @Parameters(index = "0", description = "Model name.")
    String name;

    @Option(names = "--reason", description = "Recorded with the decision.")
    String reason;

    @Override
    public Integer call() {
      ModelRegistry r = registry.open();
      RegisteredVersion v = r.rollback(name, reason);
      System.out.println(line(name, v) + " (a copy of version " + v.parent() + ")");
      announce.announce(r, name, v.version(), io.donorstream.schema.ModelRole.CHAMPION, v.decisions().get(v.decisions().size() - 1).reason());
      return 0;
    }
  }

  static String line(String name, RegisteredVersion v) {
    StringBuilder m = new StringBuilder();
    for (Map.Entry<String, Double> e : v.metrics().entrySet()) m.append(' ').append(e.getKey()).append('=').append(String.format("%.3f", e.getValue()));
    return String.format("%s v%s  %-9s parent=%s created=%s%s", name, v.version(), v.stage(), v.parent() == null ? "-" : v.parent(), v.createdAt(), m);
  }
}
