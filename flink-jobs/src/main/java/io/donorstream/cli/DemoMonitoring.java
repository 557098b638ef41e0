package io.donorstream.cli;

import io.donorstream.artifact.ModelArtifact;
import io.donorstream.config.MonitorOptions;
import io.donorstream.data.CellTableReader;
import io.donorstream.data.H5adReadOptions;
import io.donorstream.kafka.ProjectTopics;
import io.donorstream.kafka.TopicReader;
import io.donorstream.monitor.KafkaMonitoringJob;
import io.donorstream.quality.ModelInfo;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import io.donorstream.scoring.LocalFlink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/** The demo's monitoring stage: the MonitoringJob, bounded to what is on the topics, then its reports read back. */
final class DemoMonitoring {
  record Result(QualityReport last, int reports, List<RetrainRequest> requests, int archived, double seconds) {}

  private DemoMonitoring() {}

  static Result monitorTopics(String bootstrap, Path modelDir, Path archive, Path checkpoints) throws Exception {
    StreamExecutionEnvironment env = LocalFlink.environment(checkpoints, 1000, 2, 0, null);
    KafkaMonitoringJob.onProjectTopics(bootstrap, "demo-monitor-" + UUID.randomUUID(), true)
        .job(MonitorOptions.defaults(), List.of(ModelInfo.of(ModelArtifact.readVerified(modelDir))), archive.toAbsolutePath().toUri().toString())
        .build(env);
    long t0 = System.nanoTime();
    env.execute("donorstream-demo-monitoring");
    double seconds = (System.nanoTime() - t0) / 1e9;
    AvroSerde<QualityReport> qs = AvroSerde.of(QualityReport.class);
    List<QualityReport> reports = new ArrayList<>();
    TopicReader.readToEnd(bootstrap, ProjectTopics.QUALITY, 60_000, r -> reports.add(qs.deserialize(r.value())));
    AvroSerde<RetrainRequest> rs = AvroSerde.of(RetrainRequest.class);
    List<RetrainRequest> requests = new ArrayList<>();
    TopicReader.readToEnd(bootstrap, ProjectTopics.RETRAIN_REQUESTS, 60_000, r -> requests.add(rs.deserialize(r.value())));
    int archived = Files.exists(archive) ? CellTableReader.read(archive, H5adReadOptions.of("")).size() : 0;
    return new Result(reports.isEmpty() ? null : reports.get(reports.size() - 1), reports.size(), requests, archived, seconds);
  }

  static String describe(Result r, Path archive) {
    if (r.last() == null) return "MonitoringJob reported no window";
    QualityReport q = r.last();
    return String.format("MonitoringJob: %d window reports for model %s; last: accuracy %s on %,d labelled cells, training cells among"
        + " them (label-free estimate %s), macro F1 %s, ECE %s, sex leakage %s (on held-out donors %s), sex accuracy gap %s, online challenger %s; %d retrain"
        + " request(s)%s; %,d labelled cells archived in %s", r.reports(), q.getModelVersion(), f(q.getAccuracy()), q.getNLabeled(),
        f(q.getEstimatedAccuracy()), f(q.getMacroF1()), f(q.getEce()), f(q.getSexLeakage()), f(q.getSexLeakageGrouped()),
        f(q.getSexAccuracyGap()), f(q.getChallengerAccuracy()), r.requests().size(),
        r.requests().isEmpty() ? "" : " (" + r.requests().get(0).getReason() + ")", r.archived(), archive);
  }

  private static String f(Double v) {
    return v == null ? "n/a" : String.format("%.3f", v);
  }
}
