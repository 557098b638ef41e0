/** Synthetic cells with known Bayes-optimal and sex-blind accuracy. */
package io.donorstream.synth;
