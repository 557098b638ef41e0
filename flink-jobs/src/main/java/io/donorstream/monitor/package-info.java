/** The MonitoringJob: joins predictions with labels, runs the quality logic per model version, requests retraining, archives labelled cells. */
package io.donorstream.monitor;
