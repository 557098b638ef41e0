package io.donorstream.monitor;

import io.donorstream.flink.KeyedBytes;
import io.donorstream.quality.MonitorReport;
import io.donorstream.quality.OnlineMetrics;
import io.donorstream.quality.QualitySnapshot;
import io.donorstream.quality.RetrainDecision;
import io.donorstream.schema.QualityReport;
import io.donorstream.schema.RetrainRequest;
import io.donorstream.schema.serde.AvroSerde;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/** The monitor's outputs as Avro records keyed by model version. */
final class MonitorEncoders {
  private final AvroSerde<QualityReport> reports = AvroSerde.of(QualityReport.class);
  private final AvroSerde<RetrainRequest> requests = AvroSerde.of(RetrainRequest.class);

  KeyedBytes report(MonitorReport r) {
    return new KeyedBytes(key(r.quality().modelVersion()), reports.serialize(qualityReport(r)));
  }

  static QualityReport qualityReport(MonitorReport r) {
    QualitySnapshot q = r.quality();
    OnlineMetrics o = r.online();
    return QualityReport.newBuilder()
        .setModelName(q.modelName()).setModelVersion(q.modelVersion())
        .setWindowStart(Instant.ofEpochMilli(q.windowStart())).setWindowEnd(Instant.ofEpochMilli(q.windowEnd()))
        .setNPredictions(q.predictions()).setNLabeled(q.labelled())
        .setAccuracy(q.accuracy()).setMacroF1(q.macroF1()).setBalancedAccuracy(q.balancedAccuracy())
        .setSexLeakage(o.sexLeakage()).setSexLeakageGrouped(o.sexLeakageGrouped()).setSexProbeAuc(o.sexProbeAuc())
        .setCrossSexErrorRate(q.crossSexErrorRate()).setUnknownDonorRate(q.unknownDonorRate()).setMeanConfidence(q.meanConfidence())
        .setEce(q.ece()).setDriftDetected(o.driftDetected()).setDriftDetections(o.driftDetections())
        .setChallengerAccuracy(o.challengerAccuracy()).setChampionOnlineAccuracy(o.championAccuracy())
        .setPerCellTypeAccuracy(new java.util.HashMap<>(q.perCellTypeAccuracy())).setPerSexAccuracy(new java.util.HashMap<>(q.perSexAccuracy()))
        .setSexAccuracyGap(q.sexAccuracyGap()).setEstimatedAccuracy(q.estimatedAccuracy()).setEstimationError(q.estimationError())
        .setEstimatedAccuracyCbpe(q.estimatedAccuracyCbpe()).setUnknownDonorShare(q.unknownDonorShare())
        .setUnknownDonorShareSe(q.unknownDonorShareSe())
        .setSexLeakageGroupedSe(o.groupedReading().standardError()).setSexProbeCells(o.groupedReading().cells())
        .setSexProbeDonors(o.groupedReading().donors())
        .setUnseenDonorLabelShare(q.unseenDonorLabelShare()).setCellTypePsi(q.cellTypePsi())
        .setNPredictionsTotal(r.total().predictions()).setNLabeledTotal(r.total().labelled()).setAccuracyTotal(r.total().accuracy())
        .setRole(r.shadow() ? "shadow" : "champion")
        .setPairedChampionVersion(r.paired() == null ? null : r.paired().championVersion())
        .setPairedCells(r.paired() == null ? 0 : r.paired().cells())
        .setPairedShadowAccuracy(r.paired() == null || r.paired().comparison() == null ? null : r.paired().comparison().candidateAccuracy())
        .setPairedChampionAccuracy(r.paired() == null || r.paired().comparison() == null ? null : r.paired().comparison().championAccuracy())
        .setPairedDifferenceLowerBound(r.paired() == null || r.paired().comparison() == null ? null : r.paired().comparison().lowerBound())
        .build();
  }

  KeyedBytes request(RetrainDecision d) {
    RetrainRequest r = RetrainRequest.newBuilder()
        .setRequestId(UUID.nameUUIDFromBytes((d.modelName() + "/" + d.modelVersion() + "@" + d.eventTime() + ":" + d.reason())
            .getBytes(StandardCharsets.UTF_8)).toString())
        .setRequestedAt(Instant.ofEpochMilli(d.eventTime()))
        .setReason(d.reason()).setModelName(d.modelName()).setModelVersion(d.modelVersion())
        .setMetrics(new java.util.HashMap<>(d.metrics()))
        .setDataFrom(Instant.ofEpochMilli(d.dataFrom())).setDataTo(Instant.ofEpochMilli(d.dataTo()))
        .setKinds(d.kinds().stream().map(io.donorstream.promotion.Reason::wire).toList())
        .build();
    return new KeyedBytes(key(d.modelVersion()), requests.serialize(r));
  }

  private static byte[] key(String version) {
    return version.getBytes(StandardCharsets.UTF_8);
  }
}
