/** The retrainer: a recipe per retrain reason, the training corpus, the candidate judged by the promotion gate. The service that runs it on Kafka is {@code io.donorstream.retrain.service} in flink-jobs. */
package io.donorstream.retrain;
