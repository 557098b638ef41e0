/** Development infrastructure: an in-process Kafka broker (KRaft) and a local Flink cluster, for the commands and tests that run everything on one machine. No stage a real cluster runs depends on it. */
package io.donorstream.local;
