/** Client access to the project's topics: the endpoint and its credentials, the topics and their settings, reading a topic. Plain Kafka clients, no Flink. */
package io.donorstream.kafka;
