package io.donorstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.donorstream.cli.Donorstream;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * deploy/kubernetes as `kubectl apply -k` sees it: `kubectl kustomize` renders it with the default
 * load restrictor (skips without kubectl); the rendered FlinkDeployments have Kubernetes HA with a
 * storage directory, fsGroup 9999, and checkpoint, savepoint and HA paths whose file system is
 * there (file:// on a mounted volume, or an object store whose plugin the image is told to enable);
 * the PrometheusRule and the dashboards are the files in deploy/prometheus and deploy/grafana;
 * the monitoring objects carry kube-prometheus-stack's release label; the Jobs create the project
 * topics and the first model with commands the CLI accepts and variables their env passes.
 */
class KubernetesFilesTest {
  static final Path KUBERNETES = DeployFiles.DEPLOY.resolve("kubernetes");
  /** Flink's file-system plugins (in the image's opt/) by URI scheme; file:// needs none. */
  static final Map<String, List<String>> PLUGINS = Map.of(
      "s3", List.of("flink-s3-fs-presto-", "flink-s3-fs-hadoop-"), "s3p", List.of("flink-s3-fs-presto-"),
      "s3a", List.of("flink-s3-fs-hadoop-"), "gs", List.of("flink-gs-fs-hadoop-"), "abfs", List.of("flink-azure-fs-hadoop-"),
      "abfss", List.of("flink-azure-fs-hadoop-"), "wasb", List.of("flink-azure-fs-hadoop-"), "wasbs", List.of("flink-azure-fs-hadoop-"),
      "oss", List.of("flink-oss-fs-hadoop-"));

  @Test
  @SuppressWarnings("unchecked")
  void theCopiesKustomizeReadsAreTheOriginals() throws Exception {
    Map<String, Object> rule = new Yaml().load(Files.readString(KUBERNETES.resolve("prometheus-rule.yaml")));
    Map<String, Object> alerts = new Yaml().load(Files.readString(DeployFiles.ALERTS));
    assertThat(rule.get("kind")).isEqualTo("PrometheusRule");
    assertThat(rule.get("spec")).as("prometheus-rule.yaml is alerts.yml: run deploy/kubernetes/sync.sh").isEqualTo(alerts);
    List<String> copies = names(KUBERNETES.resolve("dashboards"));
    assertThat(copies).as("deploy/kubernetes/dashboards: run sync.sh").isEqualTo(names(DeployFiles.DASHBOARDS));
    for (String f : copies) {
      assertThat(Files.readString(KUBERNETES.resolve("dashboards").resolve(f))).as(f + ": run sync.sh")
          .isEqualTo(Files.readString(DeployFiles.DASHBOARDS.resolve(f)));
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void kustomizeRendersFlinkDeploymentsWithHaFsGroupAndReachableStorage() throws Exception {
    List<Map<String, Object>> docs = render();
    List<Map<String, Object>> flink = ofKind(docs, "FlinkDeployment");
    assertThat(flink).hasSize(2);
    for (Map<String, Object> d : flink) {
      String name = (String) ((Map<String, Object>) d.get("metadata")).get("name");
      Map<String, Object> spec = (Map<String, Object>) d.get("spec");
      Map<String, Object> conf = (Map<String, Object>) spec.get("flinkConfiguration");
      Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("podTemplate")).get("spec");
      assertThat(conf).as(name).containsEntry("high-availability.type", "kubernetes").containsKey("high-availability.storageDir");
      assertThat(((Map<String, Object>) spec.get("job")).get("upgradeMode")).as(name).isEqualTo("last-state");
      assertThat((Map<String, Object>) pod.get("securityContext")).as(name + " pod securityContext").containsEntry("fsGroup", 9999);
      for (String key : List.of("execution.checkpointing.dir", "execution.checkpointing.savepoint-dir", "high-availability.storageDir")) {
        assertThat(storageFaults((String) conf.get(key), pod)).as(name + " " + key).isEmpty();
      }
    }
    // What the check refuses: S3 without its plugin, a file:// path on no volume.
    Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) flink.get(0).get("spec")).get("podTemplate")).get("spec");
    assertThat(storageFaults("s3://bucket/checkpoints", pod)).singleElement().asString().contains("flink-s3-fs-presto-");
    assertThat(storageFaults("file:///tmp/checkpoints", pod)).singleElement().asString().contains("no volume");
    Map<String, Object> withS3 = new Yaml().load("containers: [{name: flink-main-container, env: [{name: ENABLE_BUILT_IN_PLUGINS, value: flink-s3-fs-presto-2.2.1.jar}]}]");
    assertThat(storageFaults("s3p://bucket/checkpoints", withS3)).isEmpty();
  }

  @Test
  @SuppressWarnings("unchecked")
  void kustomizeRendersTheRulesDashboardsAndMonitorForKubePrometheusStack() throws Exception {
    List<Map<String, Object>> docs = render();
    Map<String, Object> alerts = new Yaml().load(Files.readString(DeployFiles.ALERTS));
    List<Map<String, Object>> rules = ofKind(docs, "PrometheusRule");
    assertThat(rules).singleElement().satisfies(r -> assertThat(r.get("spec")).isEqualTo(alerts));
    for (Map<String, Object> d : List.of(rules.get(0), ofKind(docs, "PodMonitor").get(0))) {
      assertThat((Map<String, Object>) ((Map<String, Object>) d.get("metadata")).get("labels")).containsKey("release");
    }
    assertThat(ofKind(docs, "ConfigMap")).noneMatch(c -> ((Map<String, Object>) c.get("data")).containsKey("alerts.yml"));
    Map<String, Object> dashboards = ofKind(docs, "ConfigMap").stream()
        .filter(c -> "1".equals(((Map<String, Object>) ((Map<String, Object>) c.get("metadata")).get("labels")).get("grafana_dashboard")))
        .findFirst().orElseThrow();
    Map<String, String> data = (Map<String, String>) dashboards.get("data");
    assertThat(data.keySet()).containsExactlyInAnyOrderElementsOf(names(DeployFiles.DASHBOARDS));
    for (String f : data.keySet()) assertThat(data.get(f)).as(f).isEqualTo(Files.readString(DeployFiles.DASHBOARDS.resolve(f)));
  }

  @Test
  @SuppressWarnings("unchecked")
  void theJobsCreateTheTopicsAndTheFirstModel() throws Exception {
    List<Map<String, Object>> jobs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(Files.readString(KUBERNETES.resolve("setup-jobs.yaml")))) jobs.add((Map<String, Object>) d);
    int commands = 0;
    for (Map<String, Object> job : jobs) {
      Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) ((Map<String, Object>) job.get("spec")).get("template")).get("spec");
      for (Object c : (List<Object>) pod.get("containers")) {
        Map<String, Object> container = (Map<String, Object>) c;
        String script = String.join("\n", (List<String>) container.get("args"));
        Map<String, String> env = new java.util.LinkedHashMap<>();
        for (Object e : (List<Object>) container.getOrDefault("env", List.of())) {
          env.put((String) ((Map<String, Object>) e).get("name"), String.valueOf(((Map<String, Object>) e).get("value")));
        }
        assertThat(ComposeFilesTest.undefinedShellVariables(script, env.keySet())).as(container.get("name") + ": variables no env passes").isEmpty();
        if (script.contains("kafka-topics.sh")) DeployNamesTest.assertCreatesTheProjectTopics(script);
        for (String line : script.split("\n")) {
          line = line.trim();
          if (!line.startsWith("/opt/donorstream/donorstream ")) continue;
          for (Map.Entry<String, String> e : env.entrySet()) line = line.replace("$" + e.getKey(), e.getValue());
          String[] args = line.substring("/opt/donorstream/donorstream ".length()).replaceAll("\"[^\"]*\"", "x").split("\\s+");
          String shown = line;
          assertThatCode(() -> Donorstream.commandLine().parseArgs(args)).as(shown).doesNotThrowAnyException();
          commands++;
        }
      }
    }
    assertThat(commands).as("train, models register").isEqualTo(2);
    assertThat(ComposeFilesTest.undefinedShellVariables("echo $DATA", Set.of())).containsExactly("DATA");
  }

  /** Why a Flink storage URI would fail in these pods: an object store whose plugin is not enabled, or a file:// path on no volume. */
  @SuppressWarnings("unchecked")
  static List<String> storageFaults(String uri, Map<String, Object> pod) {
    String scheme = uri.substring(0, uri.indexOf(':'));
    Map<String, Object> main = ((List<Map<String, Object>>) pod.get("containers")).stream()
        .filter(c -> "flink-main-container".equals(c.get("name"))).findFirst().orElseThrow();
    if (scheme.equals("file")) {
      String path = uri.substring("file://".length());
      List<Object> mounts = (List<Object>) main.getOrDefault("volumeMounts", List.of());
      boolean onVolume = mounts.stream().anyMatch(m -> path.startsWith(((Map<String, Object>) m).get("mountPath") + "/"));
      return onVolume ? List.of() : List.of(uri + ": no volume is mounted there: lost with the pod");
    }
    List<String> plugins = PLUGINS.get(scheme);
    if (plugins == null) return List.of(uri + ": no Flink file system for " + scheme);
    String enabled = Optional.ofNullable((List<Object>) main.get("env")).orElse(List.of()).stream().map(e -> (Map<String, Object>) e)
        .filter(e -> "ENABLE_BUILT_IN_PLUGINS".equals(e.get("name"))).map(e -> String.valueOf(e.get("value"))).findFirst().orElse("");
    boolean on = plugins.stream().anyMatch(p -> List.of(enabled.split(";")).stream().anyMatch(j -> j.startsWith(p)));
    return on ? List.of() : List.of(uri + ": ENABLE_BUILT_IN_PLUGINS on flink-main-container must name one of " + plugins);
  }

  @SuppressWarnings("unchecked")
  private static List<Map<String, Object>> render() throws Exception {
    Optional<Path> kubectl = Stream.of(System.getenv("PATH").split(File.pathSeparator)).map(d -> Path.of(d, "kubectl"))
        .filter(Files::isExecutable).findFirst();
    assumeTrue(kubectl.isPresent(), "kubectl is not installed here: `kubectl kustomize deploy/kubernetes` not run");
    Process p = new ProcessBuilder(kubectl.get().toString(), "kustomize", KUBERNETES.toString()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("kubectl kustomize deploy/kubernetes\n" + out).isZero();
    List<Map<String, Object>> docs = new ArrayList<>();
    for (Object d : new Yaml().loadAll(out)) docs.add((Map<String, Object>) d);
    return docs;
  }

  private static List<Map<String, Object>> ofKind(List<Map<String, Object>> docs, String kind) {
    return docs.stream().filter(d -> kind.equals(d.get("kind"))).toList();
  }

  private static List<String> names(Path dir) throws Exception {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")).sorted().toList();
    }
  }
}
