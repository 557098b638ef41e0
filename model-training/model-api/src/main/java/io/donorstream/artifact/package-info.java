/** The versioned model artifact: {@code model.json}, weights and {@code SHA256SUMS}, verified once when loaded. */
package io.donorstream.artifact;
