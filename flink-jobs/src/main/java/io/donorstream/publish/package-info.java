/** The publishing stage: cells from an {@code .h5ad} onto {@code cell-events}, model versions onto {@code model-updates}. */
package io.donorstream.publish;
