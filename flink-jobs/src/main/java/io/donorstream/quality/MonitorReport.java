package io.donorstream.quality;

/**
 * One window's quality of one model version, with what the online learners said at its end and the
 * running totals since the monitor first saw the version.
 */
public record MonitorReport(QualitySnapshot quality, OnlineMetrics online, QualitySnapshot total) implements java.io.Serializable {}
