package io.donorstream.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dashboards against Grafana's dashboard model: what Grafana needs to import them (a uid, a
 * title, a numeric schemaVersion, panels with unique ids, a type, a grid position and queries);
 * every query bound to the "datasource" template variable (so the same file works with the
 * provisioned datasource and with kube-prometheus-stack's, uid "prometheus"), the job and model
 * version variables, and every variable a query uses defined.
 */
class DashboardModelTest {
  static final Set<String> PANEL_TYPES = Set.of("timeseries", "stat", "gauge", "table", "bargauge", "text");

  @Test
  void everyDashboardFollowsTheModelAndUsesTheProvisionedDatasource() throws Exception {
    List<Path> files = DeployFiles.dashboards();
    assertThat(files).extracting(p -> p.getFileName().toString())
        .containsExactlyInAnyOrder("serving.json", "quality.json", "confounder.json", "loop.json");
    Set<String> uids = new HashSet<>();
    for (Path f : files) {
      JsonObject d = DeployFiles.json(f);
      assertThat(d.get("uid").getAsString()).as(f + " uid").matches("[a-z0-9-]{1,40}");
      assertThat(uids.add(d.get("uid").getAsString())).as(f + ": uid unique").isTrue();
      assertThat(d.get("title").getAsString()).isNotBlank();
      assertThat(d.get("schemaVersion").getAsInt()).as(f + " schemaVersion").isBetween(30, 41);
      Set<String> defined = new HashSet<>();
      for (JsonObject v : DeployFiles.variables(d)) {
        defined.add(v.get("name").getAsString());
        if (v.get("type").getAsString().equals("query")) {
          assertThat(datasource(v)).as(f + " variable " + v.get("name")).isEqualTo(DeployFiles.DATASOURCE_VARIABLE);
          assertThat(v.get("allValue").getAsString()).as(f + " variable " + v.get("name") + ": All matches every value").isEqualTo(".*");
        }
      }
      JsonObject datasourceVariable = DeployFiles.variables(d).get(0);
      assertThat(datasourceVariable.get("name").getAsString()).as(f + ": the datasource variable comes first").isEqualTo("datasource");
      assertThat(datasourceVariable.get("type").getAsString()).isEqualTo("datasource");
      assertThat(datasourceVariable.get("query").getAsString()).isEqualTo("prometheus");
      assertThat(defined).as(f + " variables").contains("job");
      if (!f.getFileName().toString().equals("serving.json")) assertThat(defined).as(f + " variables").contains("model_version");
      Set<Integer> ids = new HashSet<>();
      for (JsonElement p : d.getAsJsonArray("panels")) {
        JsonObject panel = p.getAsJsonObject();
        String where = f.getFileName() + " / " + panel.get("title").getAsString();
        assertThat(ids.add(panel.get("id").getAsInt())).as(where + ": panel id unique").isTrue();
        assertThat(PANEL_TYPES).as(where).contains(panel.get("type").getAsString());
        JsonObject grid = panel.getAsJsonObject("gridPos");
        for (String k : List.of("h", "w", "x", "y")) assertThat(grid.has(k)).as(where + " gridPos." + k).isTrue();
        assertThat(grid.get("x").getAsInt() + grid.get("w").getAsInt()).as(where + " fits the 24-column grid").isLessThanOrEqualTo(24);
        assertThat(datasource(panel)).as(where).isEqualTo(DeployFiles.DATASOURCE_VARIABLE);
        Set<String> refIds = new HashSet<>();
        for (JsonElement t : panel.getAsJsonArray("targets")) {
          JsonObject target = t.getAsJsonObject();
          assertThat(refIds.add(target.get("refId").getAsString())).as(where + ": refId unique").isTrue();
          assertThat(target.get("expr").getAsString()).as(where).isNotBlank();
          assertThat(datasource(target)).as(where).isEqualTo(DeployFiles.DATASOURCE_VARIABLE);
          assertThat(defined).as(where + ": variables used are defined").containsAll(DeployFiles.variablesUsed(target.get("expr").getAsString()));
        }
      }
      for (JsonElement a : d.getAsJsonObject("annotations").getAsJsonArray("list")) {
        JsonObject o = a.getAsJsonObject();
        if (o.has("expr")) assertThat(datasource(o)).as(f + " annotation").isEqualTo(DeployFiles.DATASOURCE_VARIABLE);
      }
    }
    String provisioned = Files.readString(DeployFiles.DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
    assertThat(provisioned).contains("uid: " + DeployFiles.DATASOURCE_UID, "type: prometheus");
  }

  @Test
  void everyRegisteredMetricOfTheJobsHasAPanel() {
    // Counters and gauges the jobs register (their names in code) that once appeared on no dashboard.
    String all = DeployFiles.dashboardExpressions().stream().map(DeployFiles.Expression::promql).reduce("", String::concat);
    for (String name : List.of(io.donorstream.monitor.MonitorOperator.MODEL_REJECTIONS, io.donorstream.monitor.LabelJoin.LABELS_EXPIRED,
        io.donorstream.monitor.LabelJoin.LATE_LABELS_JOINED, io.donorstream.monitor.MonitorDecoders.Cells.SKIPPED, "lateOutcomes", "donors")) {
      assertThat(all).as(name).containsPattern("_donorstream_(model_version_)?" + name + "\\{");
    }
  }

  @Test
  void everyQueryNamesOnlyMetricsTheJobsExport() {
    // The donorstream names come from the code's constants and the README; a typo here shows as a
    // query that never returns data (ObservabilityIT checks them live), this catches it early.
    for (DeployFiles.Expression e : DeployFiles.dashboardExpressions()) {
      assertThat(e.promql()).as(e.where()).containsPattern("flink_(taskmanager|jobmanager)_job_");
    }
    assertThat(DeployFiles.alertExpressions()).hasSizeGreaterThanOrEqualTo(10);
  }

  private static String datasource(JsonObject o) {
    return o.getAsJsonObject("datasource").get("uid").getAsString();
  }
}
