/** Kafka inside Flink: the sources and sinks both jobs use, and the raw records that carry Avro bytes through them. */
package io.donorstream.flink;
