package io.donorstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules: promtool accepts them and their unit tests pass (alerts_test.yml: every rule fires
 * where it should, with its rendered annotations, and stays silent where it should not), every rule
 * has such tests, a severity, a description and a runbook section in docs/runbooks.md. Without
 * promtool (Debian's prometheus) the promtool part skips, unless DONORSTREAM_REQUIRE_PROMTOOL=1
 * (.ci/run sets it once it has installed prometheus).
 */
class PromtoolRulesTest {
  static final Path PROMTOOL = Path.of("/usr/bin/promtool");
  static final Path RULE_TESTS = DeployFiles.DEPLOY.resolve("prometheus/alerts_test.yml");
  static final Path RUNBOOKS = DeployFiles.DEPLOY.resolve("../docs/runbooks.md").normalize();

  @Test
  void promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws Exception {
    boolean required = "1".equals(System.getenv("DONORSTREAM_REQUIRE_PROMTOOL"));
    if (required) assertThat(PROMTOOL).as("DONORSTREAM_REQUIRE_PROMTOOL=1 but promtool is missing").isExecutable();
    assumeTrue(Files.isExecutable(PROMTOOL), "promtool is not installed here (apt-get install prometheus): alert unit tests not run");
    assertThat(run(PROMTOOL.toString(), "check", "rules", DeployFiles.ALERTS.toString())).contains("SUCCESS");
    assertThat(run(PROMTOOL.toString(), "test", "rules", RULE_TESTS.toString())).contains("SUCCESS");
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRuleHasATestWhereItFiresAndOneWhereItDoesNot() throws Exception {
    Map<String, Object> file = new Yaml().load(Files.readString(RULE_TESTS));
    Set<String> fires = new HashSet<>();
    Set<String> silent = new HashSet<>();
    for (Object t : (List<Object>) file.get("tests")) {
      for (Object c : (List<Object>) ((Map<String, Object>) t).get("alert_rule_test")) {
        Map<String, Object> check = (Map<String, Object>) c;
        List<Object> expected = (List<Object>) check.get("exp_alerts");
        (expected == null || expected.isEmpty() ? silent : fires).add((String) check.get("alertname"));
      }
    }
    List<String> names = DeployFiles.alertRules().stream().map(r -> (String) r.get("alert")).toList();
    assertThat(fires).as("rules with a test where they fire").containsAll(names);
    assertThat(silent).as("rules with a test where they stay silent").containsAll(names);
  }

  @Test
  @SuppressWarnings("unchecked")
  void everyRuleHasASeverityADescriptionAndARunbookSection() throws Exception {
    String runbooks = Files.readString(RUNBOOKS);
    List<String> critical = new ArrayList<>();
    for (Map<String, Object> rule : DeployFiles.alertRules()) {
      String name = (String) rule.get("alert");
      String severity = (String) ((Map<String, Object>) rule.get("labels")).get("severity");
      assertThat(severity).as(name).isIn("critical", "warning", "info");
      if (severity.equals("critical")) critical.add(name);
      Map<String, String> annotations = (Map<String, String>) rule.get("annotations");
      assertThat(annotations).as(name).containsKeys("summary", "description", "runbook_url");
      assertThat(annotations.get("runbook_url")).as(name).isEqualTo("docs/runbooks.md#" + name.toLowerCase(Locale.ROOT));
      int at = runbooks.indexOf("\n## " + name + "\n");
      assertThat(at).as(name + ": a '## " + name + "' section in docs/runbooks.md").isPositive();
      int next = runbooks.indexOf("\n## ", at + 1);
      String section = runbooks.substring(at, next < 0 ? runbooks.length() : next);
      assertThat(section).as(name + " runbook").contains("**What it means.**", "**What to look at.**", "**What to do.**");
    }
    // The README's "worth a page": the jobs gone or looping, checkpoints failing, answers near chance;
    // a single restart is not among them.
    assertThat(critical).containsExactlyInAnyOrder("DonorstreamScoringJobMissing", "DonorstreamMonitoringJobMissing",
        "DonorstreamJobRestartLoop", "DonorstreamCheckpointFailures", "DonorstreamAccuracyBelowFloor");
  }

  private static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(String.join(" ", command) + "\n" + out).isZero();
    return out;
  }
}
