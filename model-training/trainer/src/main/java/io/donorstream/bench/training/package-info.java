/** {@code bench training} and its PyTorch reference. */
package io.donorstream.bench.training;
