package io.donorstream.loop;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads metrics from the Flink Prometheus reporter as Prometheus would: the text exposition on
 * {@code /metrics} of the first port in a range that serves the given job's metrics.
 */
public final class PrometheusScrape {
  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final int port;
  private final String body;

  private PrometheusScrape(int port, String body) {
    this.port = port;
    this.body = body;
  }

  /** The port that served it. */
  public int port() {
    return port;
  }

  /**
   * @param ports e.g. "9249-9259" or "9249"
   * @return the scrape, or null when no port in the range serves metrics of {@code jobId}
   */
  public static PrometheusScrape of(String ports, String jobId) {
    String[] range = ports.split("-");
    int from = Integer.parseInt(range[0].trim());
    int to = range.length > 1 ? Integer.parseInt(range[1].trim()) : from;
    for (int port = from; port <= to; port++) {
      try {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
            .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200 && r.body().contains("job_id=\"" + jobId + "\"")) return new PrometheusScrape(port, r.body());
      } catch (java.io.IOException e) {
        // nothing on this port: try the next
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
    return null;
  }

  /** The values of every series of {@code metric} that belongs to {@code jobId} (one per subtask, for operator metrics). */
  public List<Double> values(String metric, String jobId) {
    List<Double> out = new ArrayList<>();
    for (String line : body.split("\n")) {
      if (!line.startsWith(metric + "{") || !line.contains("job_id=\"" + jobId + "\"")) continue;
      out.add(Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)));
    }
    return out;
  }
}
