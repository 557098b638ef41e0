package io.donorstream.train;

import ai.djl.ndarray.NDArray;
import io.donorstream.model.NativeScalars;

/** The losses of donor training, written out so their weighting and masking are explicit. */
public final class Losses {
  private Losses() {}

  /**
   * Softmax cross-entropy against class indices, the mean over the batch, or with {@code weights}
   * the weighted mean.
   *
   * @param target [B, 1] class index per cell (int64)
   * @param weights [B] per-cell weights, or null for the plain mean
   */
  public static NDArray crossEntropy(NDArray logits, NDArray target, NDArray weights) {
    NDArray logLikelihood = logits.logSoftmax(-1).gather(target, 1);
    if (weights == null) return logLikelihood.mean().neg();
    return logLikelihood.reshape(-1).mul(weights).sum().div(weights.sum()).neg();
  }

  /**
   * Binary cross-entropy with logits over cells whose sex is known ({@code mask} 1), computed in
   * the stable form max(x,0) - x*y + log(1 + exp(-|x|)).
   */
  public static NDArray binaryCrossEntropy(NDArray logit, NDArray target, NDArray mask) {
    NDArray x = logit.reshape(-1);
    NDArray loss = NativeScalars.atLeast(x, 0f).sub(x.mul(target)).add(x.abs().neg().exp().add(1f).log());
    return loss.mul(mask).sum().div(NativeScalars.atLeast(mask.sum(), 1f));
  }

  /**
   * Symmetric InfoNCE (CLIP) between two sets of vectors, with in-batch negatives. Rows are
   * L2-normalised, similarities scaled by {@code scale} (the learned inverse temperature).
   * {@code positives[i, j]} is 1 where i and j share a cell type: with few distinct types, other
   * cells of the same type are positives, not negatives; each row of targets is normalised.
   */
  public static NDArray infoNce(NDArray a, NDArray b, NDArray scale, NDArray positives) {
    NDArray an = a.div(a.square().sum(new int[] {-1}, true).add(1e-12f).sqrt());
    NDArray bn = b.div(b.square().sum(new int[] {-1}, true).add(1e-12f).sqrt());
    NDArray logits = an.matMul(bn.transpose()).mul(scale);
    NDArray targets = positives.div(positives.sum(new int[] {1}, true));
    NDArray ab = logits.logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    // The same-type relation is symmetric, so the targets serve both directions.
    NDArray ba = logits.transpose().logSoftmax(1).mul(targets).sum(new int[] {1}).neg().mean();
    return NativeScalars.dividedBy(ab.add(ba), 2f);
  }
}
