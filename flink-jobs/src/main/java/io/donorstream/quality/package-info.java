/** The monitor's metric logic, free of Flink and Kafka: window metrics, drift, the online sex probe, the challenger, retrain rules. */
package io.donorstream.quality;
