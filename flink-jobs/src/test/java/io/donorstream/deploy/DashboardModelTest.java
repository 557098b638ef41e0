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
 * title, a numeric schemaVersion, panels with unique ids, a type, a grid position and queries) and
 * every query bound to the datasource the provisioning files create.
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
      assertThat(d.getAsJsonObject("templating").getAsJsonArray("list")).isNotNull();
      Set<Integer> ids = new HashSet<>();
      for (JsonElement p : d.getAsJsonArray("panels")) {
        JsonObject panel = p.getAsJsonObject();
        String where = f.getFileName() + " / " + panel.get("title").getAsString();
        assertThat(ids.add(panel.get("id").getAsInt())).as(where + ": panel id unique").isTrue();
        assertThat(PANEL_TYPES).as(where).contains(panel.get("type").getAsString());
        JsonObject grid = panel.getAsJsonObject("gridPos");
        for (String k : List.of("h", "w", "x", "y")) assertThat(grid.has(k)).as(where + " gridPos." + k).isTrue();
        assertThat(grid.get("x").getAsInt() + grid.get("w").getAsInt()).as(where + " fits the 24-column grid").isLessThanOrEqualTo(24);
        assertThat(datasource(panel)).as(where).isEqualTo(DeployFiles.DATASOURCE_UID);
        Set<String> refIds = new HashSet<>();
        for (JsonElement t : panel.getAsJsonArray("targets")) {
          JsonObject target = t.getAsJsonObject();
          assertThat(refIds.add(target.get("refId").getAsString())).as(where + ": refId unique").isTrue();
          assertThat(target.get("expr").getAsString()).as(where).isNotBlank();
          assertThat(datasource(target)).as(where).isEqualTo(DeployFiles.DATASOURCE_UID);
        }
      }
      for (JsonElement a : d.getAsJsonObject("annotations").getAsJsonArray("list")) {
        JsonObject o = a.getAsJsonObject();
        if (o.has("expr")) assertThat(datasource(o)).as(f + " annotation").isEqualTo(DeployFiles.DATASOURCE_UID);
      }
    }
    String provisioned = Files.readString(DeployFiles.DEPLOY.resolve("grafana/provisioning/datasources/prometheus.yml"));
    assertThat(provisioned).contains("uid: " + DeployFiles.DATASOURCE_UID, "type: prometheus");
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
