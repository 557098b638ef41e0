package io.donorstream.quality;

import io.donorstream.promotion.Reason;
import java.util.List;
import java.util.Map;

/**
 * A request for a new model: why (machine-readable {@code kinds} and the words), what the monitor saw,
 * and the event-time range of the labelled cells seen since the previous request (the data the next
 * model should learn from).
 */
public record RetrainDecision(String modelName, String modelVersion, String reason, List<Reason> kinds, long eventTime, long dataFrom,
    long dataTo, Map<String, Double> metrics) {}
