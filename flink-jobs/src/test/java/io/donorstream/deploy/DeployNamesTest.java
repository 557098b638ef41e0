package io.donorstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import io.donorstream.cli.Donorstream;
import io.donorstream.kafka.ProjectTopics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The Compose and Kubernetes files parse, and every name in them is one the build produces: main
 * classes, the cluster jar, the image paths between the Dockerfiles and the files that use them, the
 * project topics, and every donorstream command line (parsed by the CLI itself).
 */
class DeployNamesTest {
  static final Path COMPOSE = DeployFiles.DEPLOY.resolve("compose");
  static final Path KUBERNETES = DeployFiles.DEPLOY.resolve("kubernetes");
  static final String JOB_JAR_IN_IMAGE = "/opt/flink/usrlib/donorstream-jobs.jar";

  @SuppressWarnings("unchecked")
  static Map<String, Object> compose() throws Exception {
    return (Map<String, Object>) new Yaml().load(Files.readString(COMPOSE.resolve("docker-compose.yml")));
  }

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> kubernetes() throws Exception {
    List<Map<String, Object>> docs = new ArrayList<>();
    try (var files = Files.list(KUBERNETES)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        for (Object d : new Yaml().loadAll(Files.readString(f))) docs.add((Map<String, Object>) d);
      }
    }
    return docs;
  }

  @Test
  void theDockerfileCopiesTheJarTheBuildMakesToWhereTheJobsLookForIt() throws Exception {
    String flinkJobsPom = Files.readString(DeployFiles.DEPLOY.resolve("../flink-jobs/pom.xml").normalize());
    String version = first(Pattern.compile("<version>([^<]+)</version>"), flinkJobsPom);
    String classifier = first(Pattern.compile("<shadedClassifierName>([^<]+)</shadedClassifierName>"), flinkJobsPom);
    String dockerfile = Files.readString(COMPOSE.resolve("Dockerfile.flink"));
    assertThat(dockerfile).contains("COPY flink-jobs/target/flink-jobs-" + version + "-" + classifier + ".jar " + JOB_JAR_IN_IMAGE);
    assertThat(dockerfile).contains("deploy/standalone/target/lib/");
    assertThat(Files.readString(DeployFiles.DEPLOY.resolve("standalone/pom.xml"))).contains("<outputDirectory>${project.build.directory}/lib</outputDirectory>");
    assertThat(Files.readString(COMPOSE.resolve("Dockerfile.cli"))).contains("ENTRYPOINT [\"/opt/donorstream/donorstream\"]");
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeSubmitsClassesThatExistWithCommandsTheCliAccepts() throws Exception {
    Map<String, Object> services = (Map<String, Object>) compose().get("services");
    assertThat(services).containsKeys("kafka", "topics", "jobmanager", "taskmanager", "submit", "retrain", "prometheus", "grafana");
    String submit = String.join("\n", (List<String>) ((Map<String, Object>) services.get("submit")).get("command"));
    Matcher classes = Pattern.compile("-c (\\S+) (\\S+)").matcher(submit);
    List<String> submitted = new ArrayList<>();
    while (classes.find()) {
      assertThatCode(() -> Class.forName(classes.group(1))).as(classes.group(1)).doesNotThrowAnyException();
      assertThat(classes.group(2)).isEqualTo(JOB_JAR_IN_IMAGE);
      submitted.add(classes.group(1));
    }
    assertThat(submitted).containsExactly("io.donorstream.scoring.ScoringJobMain", "io.donorstream.monitor.MonitoringJobMain");
    List<String> retrain = (List<String>) ((Map<String, Object>) services.get("retrain")).get("command");
    assertThatCode(() -> Donorstream.commandLine().parseArgs(retrain.toArray(String[]::new))).doesNotThrowAnyException();
    int parsed = 0;
    for (String name : List.of("model", "publish")) {
      Map<String, Object> service = (Map<String, Object>) services.get(name);
      String script = String.join("\n", (List<String>) service.get("command"));
      // Each $${VAR} as the container sees it by default: the ${VAR:-default} its environment passes.
      for (Map.Entry<String, Object> env : ((Map<String, Object>) service.get("environment")).entrySet()) {
        script = script.replace("$${" + env.getKey() + "}", env.getValue().toString().replaceAll("^\\$\\{\\w+:-(.*)}$", "$1"));
      }
      for (String line : script.split("\n")) {
        line = line.trim().replaceFirst("^exec ", "");
        if (!line.startsWith("/opt/donorstream/donorstream ")) continue;
        String[] args = line.substring("/opt/donorstream/donorstream ".length()).replaceAll("\"[^\"]*\"", "x").split("\\s+");
        assertThatCode(() -> Donorstream.commandLine().parseArgs(args)).as(line).doesNotThrowAnyException();
        parsed++;
      }
    }
    assertThat(parsed).as("train, models register, publish").isEqualTo(3);
  }

  @Test
  @SuppressWarnings("unchecked")
  void composeCreatesExactlyTheProjectTopics() throws Exception {
    Map<String, Object> topicsService = (Map<String, Object>) ((Map<String, Object>) compose().get("services")).get("topics");
    String script = String.join("\n", (List<String>) topicsService.get("command"));
    assertCreatesTheProjectTopics(script);
  }

  /** A script that creates exactly ProjectTopics.all(2), and gives model-updates its infinite retention. */
  static void assertCreatesTheProjectTopics(String script) {
    Map<String, Integer> created = new TreeMap<>();
    Matcher m = Pattern.compile("([a-z-]+):(\\d+)").matcher(first(Pattern.compile("for t in ([^;]+);"), script));
    while (m.find()) created.put(m.group(1), Integer.parseInt(m.group(2)));
    Map<String, Integer> project = new TreeMap<>();
    for (NewTopic t : ProjectTopics.all(2)) project.put(t.name(), t.numPartitions());
    assertThat(created).isEqualTo(project);
    String retention = ProjectTopics.MODEL_UPDATES_CONFIG.entrySet().stream().sorted(Map.Entry.comparingByKey(java.util.Comparator.reverseOrder()))
        .map(e -> e.getKey() + "=" + e.getValue()).collect(java.util.stream.Collectors.joining(","));
    assertThat(script).as("model-updates keeps its history").contains("--entity-name model-updates --add-config " + retention);
  }

  @Test
  @SuppressWarnings("unchecked")
  void kubernetesRunsClassesThatExistFromTheImagesJarAndTheRetrainServiceTheCliAccepts() throws Exception {
    List<Map<String, Object>> docs = kubernetes();
    assertThat(docs).extracting(d -> d.get("kind")).contains("FlinkDeployment", "Deployment", "PersistentVolumeClaim", "PodMonitor");
    List<String> entries = new ArrayList<>();
    for (Map<String, Object> d : docs) {
      Map<String, Object> spec = (Map<String, Object>) d.get("spec");
      if ("FlinkDeployment".equals(d.get("kind"))) {
        Map<String, Object> job = (Map<String, Object>) spec.get("job");
        assertThat(job.get("jarURI")).isEqualTo("local://" + JOB_JAR_IN_IMAGE);
        String entry = (String) job.get("entryClass");
        assertThatCode(() -> Class.forName(entry)).as(entry).doesNotThrowAnyException();
        entries.add(entry);
        Map<String, Object> conf = (Map<String, Object>) spec.get("flinkConfiguration");
        assertThat(conf).containsEntry("state.backend.type", "rocksdb").containsKey("execution.checkpointing.dir")
            .containsEntry("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
      }
      if ("Deployment".equals(d.get("kind"))) {
        Map<String, Object> pod = (Map<String, Object>) ((Map<String, Object>) spec.get("template")).get("spec");
        for (Object c : (List<Object>) pod.get("containers")) {
          List<String> args = (List<String>) ((Map<String, Object>) c).get("args");
          assertThatCode(() -> Donorstream.commandLine().parseArgs(args.toArray(String[]::new))).doesNotThrowAnyException();
        }
      }
    }
    assertThat(entries).containsExactlyInAnyOrder("io.donorstream.scoring.ScoringJobMain", "io.donorstream.monitor.MonitoringJobMain");
    Map<String, Object> kustomization = new Yaml().load(Files.readString(KUBERNETES.resolve("kustomization.yaml")));
    for (Object gen : (List<Object>) kustomization.get("configMapGenerator")) {
      for (Object file : (List<Object>) ((Map<String, Object>) gen).get("files")) {
        assertThat(KUBERNETES.resolve((String) file)).as("kustomize file").exists();
      }
    }
  }

  private static String first(Pattern p, String text) {
    Matcher m = p.matcher(text);
    assertThat(m.find()).as(p.pattern()).isTrue();
    return m.group(1);
  }
}
