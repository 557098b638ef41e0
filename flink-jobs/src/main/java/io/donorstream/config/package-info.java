/** The jobs' settings as Flink ConfigOptions with dotted keys, and checkpointing. */
package io.donorstream.config;
