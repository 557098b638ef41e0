/** {@code compare}: every variant over seeds with baselines, leakage and figures. */
package io.donorstream.experiments;
