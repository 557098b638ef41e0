package io.donorstream.quality;

import java.util.Map;

/**
 * A request for a new model: why, what the monitor saw, and the event-time range of the labelled
 * cells seen since the previous request (the data the next model should learn from).
 */
public record RetrainDecision(String modelName, String modelVersion, String reason, long eventTime, long dataFrom, long dataTo,
    Map<String, Double> metrics) {}
