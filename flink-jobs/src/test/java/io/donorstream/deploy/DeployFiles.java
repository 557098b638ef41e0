package io.donorstream.deploy;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.yaml.snakeyaml.Yaml;

/** The files in {@code deploy/} as the tests read them: dashboards, their PromQL, the alert rules. */
public final class DeployFiles {
  public static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  public static final Path DASHBOARDS = DEPLOY.resolve("grafana/dashboards");
  public static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");
  /** The provisioned datasource (Compose, deploy/local); the dashboards pick theirs with the "datasource" variable. */
  public static final String DATASOURCE_UID = "donorstream-prometheus";
  public static final String DATASOURCE_VARIABLE = "${datasource}";
  /** "<expression> <comparison> <number>", the form every alert rule and annotation query has. */
  private static final Pattern COMPARISON = Pattern.compile("^(.*\\S)\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+)$");
  private static final Pattern LABEL_VALUES = Pattern.compile("^label_values\\((.*),\\s*(\\w+)\\)$");
  private static final Pattern VARIABLE = Pattern.compile("\\$(?:\\{(\\w+)}|(\\w+))");
  private static final Pattern ABSENT = Pattern.compile("^absent\\((.*)\\)$");
  private static final Pattern GUARDED = Pattern.compile("^\\((.*)\\)\\s+and on \\([^)]*\\)\\s+(.*)$");

  /** One PromQL expression and where it is used. */
  public record Expression(String where, String promql) {}

  private DeployFiles() {}

  public static List<Path> dashboards() {
    try (Stream<Path> files = Files.list(DASHBOARDS)) {
      return files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static JsonObject json(Path file) {
    try {
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Every panel query, annotation query (without its comparison) and template-variable query of every
   * dashboard, as Grafana sends them with every variable at "All" (its allValue, ".*"). A variable's
   * label_values(M, L) becomes M{L!=""}: its metric must carry the label.
   */
  public static List<Expression> dashboardExpressions() {
    List<Expression> out = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonObject d = json(file);
      Map<String, String> all = new java.util.HashMap<>();
      for (JsonObject v : variables(d)) {
        if (v.has("allValue")) all.put(v.get("name").getAsString(), v.get("allValue").getAsString());
      }
      for (JsonObject v : variables(d)) {
        if (!v.get("type").getAsString().equals("query")) continue;
        Matcher m = LABEL_VALUES.matcher(v.get("definition").getAsString());
        if (!m.matches()) throw new IllegalArgumentException(file + " variable " + v.get("name") + ": not label_values(metric, label)");
        String selector = m.group(1).contains("}") ? m.group(1).replaceFirst("}$", ", " + m.group(2) + "!=\"\"}") : m.group(1) + "{" + m.group(2) + "!=\"\"}";
        out.add(new Expression(file.getFileName() + " / variable " + v.get("name").getAsString(), substitute(selector, all)));
      }
      for (JsonElement p : d.getAsJsonArray("panels")) {
        JsonObject panel = p.getAsJsonObject();
        for (JsonElement t : panel.getAsJsonArray("targets")) {
          out.add(new Expression(file.getFileName() + " / " + panel.get("title").getAsString(), substitute(t.getAsJsonObject().get("expr").getAsString(), all)));
        }
      }
      JsonArray annotations = d.getAsJsonObject("annotations").getAsJsonArray("list");
      for (JsonElement a : annotations) {
        JsonObject o = a.getAsJsonObject();
        if (o.has("expr")) out.add(new Expression(file.getFileName() + " / annotation " + o.get("name").getAsString(), substitute(lhs(o.get("expr").getAsString()), all)));
      }
    }
    return out;
  }

  /** A dashboard's template variables. */
  public static List<JsonObject> variables(JsonObject dashboard) {
    List<JsonObject> out = new ArrayList<>();
    dashboard.getAsJsonObject("templating").getAsJsonArray("list").forEach(v -> out.add(v.getAsJsonObject()));
    return out;
  }

  /** The variables ($name or ${name}) a query uses. */
  public static java.util.Set<String> variablesUsed(String query) {
    java.util.Set<String> names = new java.util.TreeSet<>();
    Matcher m = VARIABLE.matcher(query);
    while (m.find()) names.add(m.group(1) != null ? m.group(1) : m.group(2));
    return names;
  }

  private static String substitute(String query, Map<String, String> values) {
    String out = query;
    for (Map.Entry<String, String> e : values.entrySet()) out = out.replace("${" + e.getKey() + "}", e.getValue()).replace("$" + e.getKey(), e.getValue());
    return out;
  }

  /** The alert rules of alerts.yml, in file order, as parsed YAML maps (alert, expr, for, labels, annotations). */
  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> alertRules() {
    List<Map<String, Object>> rules = new ArrayList<>();
    try {
      Map<String, Object> file = new Yaml().load(Files.readString(ALERTS));
      for (Object g : (List<Object>) file.get("groups")) rules.addAll((List<Map<String, Object>>) ((Map<String, Object>) g).get("rules"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rules;
  }

  /**
   * What must return data on a live scrape for each rule to mean anything: for "X cmp N", X; for
   * "(X cmp N) and on (...) G", X and the guard G; for "absent(X)", X (the series whose vanishing it
   * watches exist while the jobs run).
   */
  public static List<Expression> alertExpressions() {
    List<Expression> out = new ArrayList<>();
    for (Map<String, Object> rule : alertRules()) {
      String where = "alert " + rule.get("alert");
      String expr = ((String) rule.get("expr")).trim();
      Matcher absent = ABSENT.matcher(expr);
      Matcher guarded = GUARDED.matcher(expr);
      if (absent.matches()) {
        out.add(new Expression(where + " (what absent() watches)", absent.group(1)));
      } else if (guarded.matches()) {
        out.add(new Expression(where, lhs(guarded.group(1))));
        out.add(new Expression(where + " (guard)", guarded.group(2)));
      } else {
        out.add(new Expression(where, lhs(expr)));
      }
    }
    return out;
  }

  public static String lhs(String expr) {
    Matcher m = COMPARISON.matcher(expr);
    if (!m.matches()) throw new IllegalArgumentException("not '<expression> <comparison> <number>': " + expr);
    return m.group(1);
  }
}
