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
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The files in {@code deploy/} as the tests read them: dashboards, their PromQL, the alert rules. */
public final class DeployFiles {
  public static final Path DEPLOY = Path.of("..", "deploy").toAbsolutePath().normalize();
  public static final Path DASHBOARDS = DEPLOY.resolve("grafana/dashboards");
  public static final Path ALERTS = DEPLOY.resolve("prometheus/alerts.yml");
  public static final String DATASOURCE_UID = "donorstream-prometheus";
  /** "<expression> <comparison> <number>", the form every alert rule and annotation query has. */
  private static final Pattern COMPARISON = Pattern.compile("^(.*\\S)\\s*(>=|<=|==|!=|>|<)\\s*(-?[0-9.]+)$");

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

  /** Every panel query and annotation query of every dashboard (annotations without their comparison). */
  public static List<Expression> dashboardExpressions() {
    List<Expression> out = new ArrayList<>();
    for (Path file : dashboards()) {
      JsonObject d = json(file);
      for (JsonElement p : d.getAsJsonArray("panels")) {
        JsonObject panel = p.getAsJsonObject();
        for (JsonElement t : panel.getAsJsonArray("targets")) {
          out.add(new Expression(file.getFileName() + " / " + panel.get("title").getAsString(), t.getAsJsonObject().get("expr").getAsString()));
        }
      }
      JsonArray annotations = d.getAsJsonObject("annotations").getAsJsonArray("list");
      for (JsonElement a : annotations) {
        JsonObject o = a.getAsJsonObject();
        if (o.has("expr")) out.add(new Expression(file.getFileName() + " / annotation " + o.get("name").getAsString(), lhs(o.get("expr").getAsString())));
      }
    }
    return out;
  }

  /** Every alert rule's expression, without its threshold: the part that must return data. */
  public static List<Expression> alertExpressions() {
    List<Expression> out = new ArrayList<>();
    String alert = null;
    try {
      for (String line : Files.readAllLines(ALERTS)) {
        String t = line.trim();
        if (t.startsWith("- alert:")) alert = t.substring("- alert:".length()).trim();
        if (t.startsWith("expr:")) out.add(new Expression("alert " + alert, lhs(t.substring("expr:".length()).trim())));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  public static String lhs(String expr) {
    Matcher m = COMPARISON.matcher(expr);
    if (!m.matches()) throw new IllegalArgumentException("not '<expression> <comparison> <number>': " + expr);
    return m.group(1);
  }
}
