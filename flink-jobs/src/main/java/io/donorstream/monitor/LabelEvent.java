package io.donorstream.monitor;

/** A label that arrived on its own (topic {@code labels}), possibly long after its prediction. */
public record LabelEvent(String cellId, String donorId, String sex, long eventTime) {}
