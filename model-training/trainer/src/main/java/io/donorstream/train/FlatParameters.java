package io.donorstream.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All of a block's parameters in one contiguous tensor, the technique of apex's and FSDP's flat
 * parameters. A model has many small parameter tensors (the multimodal one 66) and every optimiser
 * kernel costs a fixed dispatch overhead per tensor, which at batch 32 outweighed the arithmetic;
 * over one flat tensor the AdamW update is a handful of kernels whatever the model.
 *
 * <p>Each parameter's array is re-pointed at its slice of the flat tensor, so evaluation, best
 * snapshots and saving see exactly what training updates. During a step the network reads
 * differentiable views of a fresh leaf that shares the flat storage ({@link #viewsFor}): one
 * {@code split} per step, whose backward writes every parameter's gradient into that leaf's
 * gradient in one concatenation. The leaf dies with the step, so gradients are never zeroed or
 * accumulated into (PyTorch's {@code zero_grad(set_to_none=True)}).
 */
final class FlatParameters implements AutoCloseable {
  private final NDManager manager;
  private final NDArray flat;
  private final List<Parameter> parameters = new ArrayList<>();
  private final List<Shape> shapes = new ArrayList<>();
  private final long[] cuts;
  private NDArray stepLeaf;

  FlatParameters(Block block, NDManager parent) {
    manager = parent.newSubManager();
    NDList pieces = new NDList();
    for (Pair<String, Parameter> p : block.getParameters()) {
      if (!p.getValue().requiresGradient()) continue;
      NDArray a = p.getValue().getArray();
      parameters.add(p.getValue());
      shapes.add(a.getShape());
      try (NDArray detached = a.stopGradient()) {
        NDArray piece = detached.reshape(-1);
        piece.attach(manager);
        pieces.add(piece);
      }
    }
    cuts = new long[Math.max(0, pieces.size() - 1)];
    long offset = 0;
    for (int i = 0; i < cuts.length; i++) {
      offset += pieces.get(i).size();
      cuts[i] = offset;
    }
    flat = pieces.size() == 1 ? pieces.get(0).duplicate() : NDArrays.concat(pieces);
    flat.attach(manager);
    try (NDManager scratch = manager.newSubManager()) {
      pieces.forEach(a -> a.attach(scratch));
      NDArray detached = flat.stopGradient();
      detached.attach(scratch);
      NDList aliases = split(detached);
      for (int i = 0; i < parameters.size(); i++) {
        NDArray alias = aliases.get(i).reshape(shapes.get(i));
        // The parameter's array now wraps a view of the flat tensor (its old storage is released).
        parameters.get(i).getArray().intern(alias);
      }
      aliases.forEach(a -> a.attach(scratch));
    }
  }

  /** The flat tensor the optimiser updates. */
  NDArray flat() {
    return flat;
  }

  /** The gradient of the last step's backward pass, flat (in the step's manager). */
  NDArray gradient() {
    NDArray g = stepLeaf.getGradient();
    g.attach(stepLeaf.getManager());
    return g;
  }

  /**
   * A parameter store for one step: every parameter read as a differentiable view of a new leaf
   * sharing the flat storage, all living in the step's manager {@code step}; after the backward
   * pass, {@link #gradient} is the step's gradient. Call inside gradient recording.
   */
  ParameterStore viewsFor(NDManager step) {
    stepLeaf = flat.stopGradient();
    stepLeaf.attach(step);
    stepLeaf.setRequiresGradient(true);
    NDList pieces = split(stepLeaf);
    Map<String, NDArray> byId = new HashMap<>();
    for (int i = 0; i < parameters.size(); i++) {
      NDArray piece = pieces.get(i);
      piece.attach(step);
      NDArray view = shapes.get(i).dimension() == 1 ? piece : piece.reshape(shapes.get(i));
      view.attach(step);
      byId.put(parameters.get(i).getId(), view);
    }
    return new StepViews(step, byId);
  }

  private NDList split(NDArray a) {
    return cuts.length == 0 ? new NDList(a) : a.split(cuts, 0);
  }

  @Override
  public void close() {
    manager.close();
  }

  /** Hands the network the step's views; parameters outside the flat tensor as usual. */
  private static final class StepViews extends ParameterStore {
    private final Map<String, NDArray> byId;

    StepViews(NDManager manager, Map<String, NDArray> byId) {
      super(manager, false);
      this.byId = byId;
    }

    @Override
    public NDArray getValue(Parameter parameter, Device device, boolean training) {
      NDArray view = parameter == null ? null : byId.get(parameter.getId());
      return view != null ? view : super.getValue(parameter, device, training);
    }
  }
}
