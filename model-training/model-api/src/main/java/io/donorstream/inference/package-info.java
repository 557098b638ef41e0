/** Batches of encoded cells into predictions, shared by the trainer and the servable; confidence calibration and donor novelty (stored in the manifest). */
package io.donorstream.inference;
