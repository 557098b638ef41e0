/** Accuracy, F1 and sex-leakage probes on held-out cells. */
package io.donorstream.eval;
