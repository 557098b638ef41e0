/** {@code train}: split, prepare, train, evaluate, write the artifact; baselines; how hard to remove sex. */
package io.donorstream.pipeline;
