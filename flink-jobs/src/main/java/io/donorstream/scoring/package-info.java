/** The ScoringJob: decode, drop duplicates, score in micro-batches with the serving model, hot-swap models, write predictions and dead letters. */
package io.donorstream.scoring;
