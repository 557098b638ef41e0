/** Metric names of the scoring job and its operator's metrics. */
package io.donorstream.metrics;
