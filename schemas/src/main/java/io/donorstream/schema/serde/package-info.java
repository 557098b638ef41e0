/** Avro single-object encoding of every record on Kafka, and the reasons a record can be refused ({@link io.donorstream.schema.serde.DecodeFailure}). */
package io.donorstream.schema.serde;
