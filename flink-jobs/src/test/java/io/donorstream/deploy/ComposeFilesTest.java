package io.donorstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and the Dockerfiles read as the images and Docker read them (no Docker here):
 * variables reach the commands that use them, FLINK_PROPERTIES survives the Flink image's
 * entrypoint, Kafka logs to its volume, the Flink user may write what it writes, our images are
 * amd64, and every COPY takes a file the build makes and the build context keeps. Each check is also
 * run on the fault the issue found, to show it catches it.
 */
class ComposeFilesTest {
  static final Path ROOT = DeployFiles.DEPLOY.getParent();
  static final Path COMPOSE = DeployFiles.DEPLOY.resolve("compose");
  /** flink-docker 2.2/scala_2.12-java17-ubuntu/Dockerfile lines 36-37: groupadd/useradd --gid/--uid 9999, USER flink (line 73). */
  static final String FLINK_UID = "9999";
  /** apache/kafka docker/jvm/Dockerfile lines 73, 77-78: created, owned by appuser, group-writable; a VOLUME (line 93). */
  static final String KAFKA_IMAGE_LOG_DIR = "/var/lib/kafka/data";
  /** Variables the images define themselves (flink-docker's Dockerfile: FLINK_HOME, PATH). */
  static final Set<String> IMAGE_ENV = Set.of("FLINK_HOME", "PATH", "HOME");
  static final Pattern COMPOSE_VAR = Pattern.compile("(?<!\\$)\\$\\{?([A-Za-z_][A-Za-z0-9_]*)");
  static final Pattern DEFINED = Pattern.compile("(?:\\bfor\\s+([A-Za-z_]\\w*)\\s+in\\b|\\bread(?:\\s+-\\w+)*\\s+([A-Za-z_]\\w*)|(?:^|[\\s;])([A-Za-z_]\\w*)=)");

  @SuppressWarnings("unchecked")
  static Map<String, Map<String, Object>> services() throws IOException {
    Map<String, Object> compose = new Yaml().load(Files.readString(COMPOSE.resolve("docker-compose.yml")));
    return (Map<String, Map<String, Object>>) compose.get("services");
  }

  // ---- variables ----

  @Test
  void everyVariableACommandUsesIsPassedByTheServicesEnvironment() throws Exception {
    List<String> faults = new ArrayList<>();
    services().forEach((name, s) -> faults.addAll(variableFaults(name, s)));
    assertThat(faults).isEmpty();
    // The issue's fault: DATA read in the container's shell, with no environment: block.
    Map<String, Object> before = Map.of("command", List.of("train --data \"/input/$${DATA:-data.h5ad}\""));
    assertThat(variableFaults("model", before)).singleElement().asString().contains("DATA");
    assertThat(variableFaults("x", Map.of("command", List.of("for t in a b; do echo $${t%%:*}; done")))).isEmpty();
    assertThat(variableFaults("x", Map.of("command", "run --width ${EMBEDDING_WIDTH}"))).singleElement().asString().contains("Compose");
  }

  @SuppressWarnings("unchecked")
  static List<String> variableFaults(String service, Map<String, Object> s) {
    String script = String.join("\n", strings(s.get("entrypoint"))) + "\n" + String.join("\n", strings(s.get("command")));
    Set<String> passed = new TreeSet<>();
    Object env = s.get("environment");
    if (env instanceof Map<?, ?> m) m.keySet().forEach(k -> passed.add(k.toString()));
    if (env instanceof List<?> l) l.forEach(e -> passed.add(e.toString().split("=", 2)[0]));
    List<String> faults = new ArrayList<>();
    // $$ is the container's $; a lone $ is Compose's own interpolation (reported below).
    String shell = script.replaceAll("(?<!\\$)\\$(?!\\$)", "").replace("$$", "$");
    for (String v : undefinedShellVariables(shell, passed)) {
      faults.add(service + ": the command reads $" + v + " but no environment: entry passes it");
    }
    Matcher c = COMPOSE_VAR.matcher(script.replace("$$", ""));
    while (c.find()) faults.add(service + ": ${" + c.group(1) + "} in a command is replaced by Compose on the host; pass it through environment:");
    return faults;
  }

  /**
   * The variables a shell script reads ($X, ${X}, ${X:-...}) that neither {@code passed} nor the
   * script itself (for X in, X=, read X) nor the images (IMAGE_ENV) define.
   */
  static Set<String> undefinedShellVariables(String script, Set<String> passed) {
    Set<String> known = new TreeSet<>(passed);
    known.addAll(IMAGE_ENV);
    Matcher d = DEFINED.matcher(script);
    while (d.find()) for (int g = 1; g <= 3; g++) if (d.group(g) != null) known.add(d.group(g));
    Set<String> undefined = new TreeSet<>();
    Matcher v = Pattern.compile("\\$\\{?([A-Za-z_][A-Za-z0-9_]*)").matcher(script);
    while (v.find()) if (!known.contains(v.group(1))) undefined.add(v.group(1));
    return undefined;
  }

  // ---- FLINK_PROPERTIES ----

  @Test
  void flinkPropertiesSurviveTheFlinkEntrypoint() throws Exception {
    int checked = 0;
    for (Map.Entry<String, Map<String, Object>> e : services().entrySet()) {
      if (!(e.getValue().get("environment") instanceof Map<?, ?> env) || !env.containsKey("FLINK_PROPERTIES")) continue;
      assertThat(flinkPropertyFaults((String) env.get("FLINK_PROPERTIES"))).as(e.getKey()).isEmpty();
      checked++;
    }
    assertThat(checked).as("services with FLINK_PROPERTIES").isGreaterThanOrEqualTo(2);
    // The issue's fault: two JVM options in one value reach the JVM as one, and "10 s" becomes "10s".
    assertThat(flinkPropertyFaults("env.java.opts.taskmanager: -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1\n")).hasSize(1);
    assertThat(flinkPropertyFaults("execution.checkpointing.interval: 10 s\n")).hasSize(1);
  }

  /**
   * What flink-docker's docker-entrypoint.sh (2.2/scala_2.12-java17-ubuntu) does to each line:
   * `tr -d '[:space:]'` (line 104), split at the first ':' (line 110), `echo $value | envsubst`
   * (line 112: unquoted, so globs expand, and '$' is substituted). A line must come out as written.
   */
  static List<String> flinkPropertyFaults(String properties) {
    List<String> faults = new ArrayList<>();
    for (String line : properties.split("\n")) {
      if (line.isBlank()) continue;
      int colon = line.indexOf(':');
      if (colon < 0) {
        faults.add("'" + line.trim() + "' is not 'key: value'");
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      String squeezed = line.replaceAll("\\s", "");
      int c = squeezed.indexOf(':');
      String entryKey = squeezed.substring(0, c);
      String entryValue = squeezed.substring(c + 1);
      if (!entryKey.equals(key) || !entryValue.equals(value)) {
        faults.add("'" + line.trim() + "' reaches Flink as " + entryKey + "=" + entryValue + " (the entrypoint deletes whitespace)");
      } else if (value.matches(".*[$*?\\[].*")) {
        faults.add("'" + line.trim() + "': the entrypoint's envsubst and unquoted echo would change it");
      }
    }
    return faults;
  }

  // ---- Kafka's log ----

  @Test
  void kafkaLogsToItsVolume() throws Exception {
    assertThat(kafkaLogFaults(services().get("kafka"))).isEmpty();
    Map<String, Object> before = Map.of("environment", Map.of("KAFKA_NODE_ID", 1), "volumes", List.of("kafka-data:/var/lib/kafka/data"));
    assertThat(kafkaLogFaults(before)).isNotEmpty();
  }

  static List<String> kafkaLogFaults(Map<String, Object> kafka) {
    Object logDirs = ((Map<?, ?>) kafka.get("environment")).get("KAFKA_LOG_DIRS");
    if (logDirs == null) return List.of("no KAFKA_LOG_DIRS: the broker logs to /tmp/kafka-logs (or /tmp/kraft-combined-logs), not a volume");
    List<String> faults = new ArrayList<>();
    if (!mountPaths(kafka).contains(logDirs.toString())) faults.add("KAFKA_LOG_DIRS " + logDirs + " is no volume's mount path " + mountPaths(kafka));
    if (!logDirs.equals(KAFKA_IMAGE_LOG_DIR)) faults.add("KAFKA_LOG_DIRS " + logDirs + ": the image's user may write only " + KAFKA_IMAGE_LOG_DIR);
    return faults;
  }

  // ---- the Flink user's volume ----

  @Test
  @SuppressWarnings("unchecked")
  void theFlinkUserMayWriteWhereTheJobsWrite() throws Exception {
    Map<String, Map<String, Object>> services = services();
    Map<String, Object> init = services.get("volume-init");
    assertThat(init.get("user")).isEqualTo("root");
    String chown = String.join("\n", strings(init.get("command")));
    Matcher owned = Pattern.compile("chown " + FLINK_UID + ":" + FLINK_UID + "((?: /\\S+)+)").matcher(chown);
    assertThat(owned.find()).as(chown).isTrue();
    List<String> ownedDirs = List.of(owned.group(1).trim().split(" "));
    Set<String> written = new TreeSet<>();
    for (Map.Entry<String, Map<String, Object>> e : services.entrySet()) {
      Map<String, Object> s = e.getValue();
      if (e.getKey().equals("volume-init") || !String.valueOf(s.get("image")).startsWith("donorstream-flink")) continue;
      if (mountPaths(s).contains("/data")) {
        Map<String, Object> dependsOn = (Map<String, Object>) s.getOrDefault("depends_on", Map.of());
        assertThat((Map<String, Object>) dependsOn.get("volume-init")).as(e.getKey() + " mounts /data: it waits for volume-init")
            .containsEntry("condition", "service_completed_successfully");
      }
      if (s.get("environment") instanceof Map<?, ?> env && env.get("FLINK_PROPERTIES") instanceof String props) {
        Matcher m = Pattern.compile("(?m)^execution\\.checkpointing\\.(?:savepoint-)?dir:\\s*file://(\\S+)$").matcher(props);
        while (m.find()) written.add(m.group(1));
      }
      Matcher archive = Pattern.compile("--archive file://(\\S+)").matcher(String.join("\n", strings(s.get("command"))));
      while (archive.find()) written.add(archive.group(1));
    }
    assertThat(written).as("paths the Flink user writes").contains("/data/checkpoints", "/data/archive");
    assertThat(ownedDirs).as("made uid " + FLINK_UID + "'s by volume-init").containsAll(written);
  }

  // ---- architecture ----

  @Test
  void ourImagesRunAsAmd64AndTheReadmeSaysSo() throws Exception {
    services().forEach((name, s) -> {
      if (String.valueOf(s.get("image")).startsWith("donorstream-")) assertThat(s.get("platform")).as(name).isEqualTo("linux/amd64");
    });
    String readme = Files.readString(ROOT.resolve("README.md"));
    String requirements = readme.substring(readme.indexOf("Requirements:"), readme.indexOf("\n\n", readme.indexOf("Requirements:")));
    assertThat(requirements).contains("x86-64");
    assertThat(Files.readString(ROOT.resolve("pom.xml"))).as("the reason: libtorch for linux-x86_64 only").contains("<classifier>linux-x86_64</classifier>");
  }

  // ---- Dockerfiles and the build context ----

  @Test
  void dockerfileFlinkCopiesWhatTheContextKeepsAndNothingElse() throws Exception {
    DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));
    assertThat(COMPOSE.resolve("Dockerfile.flink.dockerignore")).as("Dockerfile.flink uses the root .dockerignore").doesNotExist();
    List<String> sources = copySources(Files.readString(COMPOSE.resolve("Dockerfile.flink")));
    assertThat(sources).hasSizeGreaterThanOrEqualTo(8);
    for (String src : sources) assertThat(copyFaults(src, null, ignore)).as(src).isEmpty();
    assertThat(copyFaults("flink-jobs/target/flink-jobs-0.1.0-SNAPSHOT.jar", null, ignore)).as("not the jar the build makes").isNotEmpty();
    for (String out : List.of(".git/HEAD", "target/djl-cache/pytorch/libtorch.so", "flink-jobs/target/classes/x.class",
        "deploy/standalone/target/lib/flink-runtime-2.2.1.jar", "deploy/local/run/stream.h5ad", "deploy/compose/input/data.h5ad",
        "clients/python/donorstream_client/__pycache__/client.cpython-311.pyc", "model-training/trainer/target/x.jar")) {
      assertThat(ignore.excludes(out)).as(out + " stays out of the context").isTrue();
    }
  }

  @Test
  void dockerfileFlinkCopiesJarsTheStandaloneBuildMakes() throws Exception {
    Path lib = DeployFiles.DEPLOY.resolve("standalone/target/lib");
    assumeTrue(Files.isDirectory(lib), "deploy/standalone/target/lib not built (mvn -B -f deploy/standalone/pom.xml package; .ci/run does):"
        + " the jars Dockerfile.flink copies from it not checked");
    List<String> jars;
    try (Stream<Path> files = Files.list(lib)) {
      jars = files.map(p -> p.getFileName().toString()).toList();
    }
    DockerIgnore ignore = DockerIgnore.read(ROOT.resolve(".dockerignore"));
    for (String src : copySources(Files.readString(COMPOSE.resolve("Dockerfile.flink")))) assertThat(copyFaults(src, jars, ignore)).as(src).isEmpty();
    assertThat(copyFaults("deploy/standalone/target/lib/onnxruntime-*.jar", jars, ignore)).as("a jar the build does not make").isNotEmpty();
    // Every DJL jar of the cluster's lib/ reaches the image (libtorch must load from lib/, never from the job jar).
    for (String jar : jars) {
      if (jar.matches("(api|pytorch-.*)-[0-9].*\\.jar")) assertThat(copyFaults("deploy/standalone/target/lib/" + jar, jars, ignore)).isEmpty();
    }
  }

  @Test
  void dockerfileCliBuildsFromTheSourcesAlone() throws Exception {
    String dockerfile = Files.readString(COMPOSE.resolve("Dockerfile.cli"));
    assertThat(copySources(dockerfile.substring(0, dockerfile.indexOf("FROM", dockerfile.indexOf("FROM") + 1)))).containsExactly(".");
    DockerIgnore ignore = DockerIgnore.read(COMPOSE.resolve("Dockerfile.cli.dockerignore"));
    List<String> kept = new ArrayList<>(List.of("pom.xml", "donorstream"));
    for (String module : List.of("schemas", "model-training", "flink-jobs")) {
      try (Stream<Path> files = Files.walk(ROOT.resolve(module))) {
        files.filter(Files::isRegularFile).map(p -> ROOT.relativize(p).toString().replace('\\', '/'))
            .filter(p -> !p.contains("/target/")).forEach(kept::add);
      }
    }
    for (String p : kept) assertThat(ignore.excludes(p)).as(p + " is a source Maven builds from").isFalse();
    for (String out : List.of(".git/HEAD", "target/djl-cache/x", "flink-jobs/target/flink-jobs-0.1.0-SNAPSHOT-cluster.jar",
        "deploy/standalone/target/lib/pytorch-native-cpu-2.5.1-linux-x86_64.jar", "deploy/compose/input/data.h5ad", "deploy/local/run/x")) {
      assertThat(ignore.excludes(out)).as(out + " stays out of the context").isTrue();
    }
  }

  /**
   * What is wrong with one COPY source: not made by the build (checked for lib/ globs only when
   * {@code libJars}, the standalone build's lib/, is given), or left out of the build context.
   */
  static List<String> copyFaults(String src, List<String> libJars, DockerIgnore ignore) throws IOException {
    List<String> concrete = new ArrayList<>();
    String lib = "deploy/standalone/target/lib/";
    if (src.startsWith(lib) && libJars == null) {
      concrete.add(src.replace("*", "0"));
    } else if (src.startsWith(lib)) {
      Pattern glob = Pattern.compile(src.substring(lib.length()).replace(".", "\\.").replace("*", "[^/]*"));
      libJars.stream().filter(j -> glob.matcher(j).matches()).forEach(j -> concrete.add(lib + j));
      if (concrete.isEmpty()) return List.of(src + ": the standalone build's lib/ has no such jar");
    } else if (src.startsWith("flink-jobs/target/")) {
      String pom = Files.readString(ROOT.resolve("flink-jobs/pom.xml"));
      String made = "flink-jobs/target/flink-jobs-" + first("<version>([^<]+)</version>", pom) + "-"
          + first("<shadedClassifierName>([^<]+)</shadedClassifierName>", pom) + ".jar";
      if (!src.equals(made)) return List.of(src + ": the build makes " + made);
      concrete.add(src);
    } else {
      if (!Files.exists(ROOT.resolve(src))) return List.of(src + ": no such file in the repository");
      concrete.add(src);
    }
    List<String> faults = new ArrayList<>();
    for (String c : concrete) if (ignore.excludes(c)) faults.add(c + " is left out of the build context by .dockerignore");
    return faults;
  }

  /** The source paths of every COPY (continuation lines joined; flags and the destination dropped). */
  static List<String> copySources(String dockerfile) {
    List<String> out = new ArrayList<>();
    for (String instruction : dockerfile.replaceAll("\\\\\\s*\n", " ").split("\n")) {
      String t = instruction.trim();
      if (!t.startsWith("COPY ")) continue;
      List<String> words = new ArrayList<>(List.of(t.substring(5).trim().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      out.addAll(words.subList(0, words.size() - 1));
    }
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<String> mountPaths(Map<String, Object> service) {
    List<String> out = new ArrayList<>();
    for (Object v : (List<Object>) service.getOrDefault("volumes", List.of())) out.add(v.toString().split(":")[1]);
    return out;
  }

  @SuppressWarnings("unchecked")
  static List<String> strings(Object o) {
    if (o == null) return List.of();
    if (o instanceof String s) return List.of(s);
    return ((List<Object>) o).stream().map(Object::toString).toList();
  }

  private static String first(String regex, String text) {
    Matcher m = Pattern.compile(regex).matcher(text);
    assertThat(m.find()).as(regex).isTrue();
    return m.group(1);
  }
}
