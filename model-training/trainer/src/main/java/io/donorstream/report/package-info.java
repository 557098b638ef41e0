/** Plots (XChart) for reports. */
package io.donorstream.report;
