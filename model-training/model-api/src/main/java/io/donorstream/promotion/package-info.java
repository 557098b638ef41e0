/** What may replace a champion, by reason: the one gate both the held-out and the live shadow comparison apply, and the leakage reading it relies on. Free of Flink and Kafka so the monitor, the service and the trainer share it. */
package io.donorstream.promotion;
