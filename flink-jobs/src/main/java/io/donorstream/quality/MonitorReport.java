package io.donorstream.quality;

/** One window's quality of one model version, with what the online learners said at its end. */
public record MonitorReport(QualitySnapshot quality, OnlineMetrics online) implements java.io.Serializable {}
