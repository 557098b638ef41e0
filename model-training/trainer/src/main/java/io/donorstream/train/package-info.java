/** The training loop and its parts: resident cells, flat parameters, AdamW, losses, early stopping. */
package io.donorstream.train;
