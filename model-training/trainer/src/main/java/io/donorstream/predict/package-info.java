/** {@code predict}: score an {@code .h5ad} with a model artifact, no Kafka or Flink. */
package io.donorstream.predict;
