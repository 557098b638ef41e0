/**
 * The servable: a verified model artifact that turns cells into top-k donors, without Flink or
 * training code ({@link io.donorstream.servable.DonorScorer}). The ScoringJob, {@code predict} and
 * the retrainer all score through it; the Flink job that serves it is {@code io.donorstream.scoring}.
 */
package io.donorstream.servable;
