/** {@code bench scoring}: end to end through Kafka and Flink beside raw scoring and a passthrough job. */
package io.donorstream.bench.scoring;
