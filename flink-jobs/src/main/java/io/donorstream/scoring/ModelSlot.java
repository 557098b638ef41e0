package io.donorstream.scoring;

import java.util.List;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.OperatorStateStore;

/**
 * One model role a scoring subtask serves (the champion, or the shadow): its {@link ModelHolder},
 * the reference it checkpoints, and the reference it restores. The reference is union state: every
 * subtask sees each subtask's model after a restore, and takes the newest, which all of them served.
 */
final class ModelSlot implements AutoCloseable {
  private final String stateName;
  private ListState<ServingModelRef> state;
  private ServingModelRef restored;
  private ModelHolder holder;

  /** @param stateName the operator state's name (part of savepoint compatibility: never rename) */
  ModelSlot(String stateName) {
    this.stateName = stateName;
  }

  void initializeState(OperatorStateStore store) throws Exception {
    state = store.getUnionListState(new ListStateDescriptor<>(stateName, ServingModelRef.class));
    for (ServingModelRef r : state.get()) if (r.isNewerThan(restored)) restored = r;
  }

  /** The model this role served when the checkpoint restored from was taken; null on a fresh start. */
  ServingModelRef restored() {
    return restored;
  }

  /** Starts serving through {@code holder}; returns it. */
  ModelHolder open(ModelHolder holder) {
    this.holder = holder;
    return holder;
  }

  void snapshot() throws Exception {
    ServingModelRef ref = holder.servingRef();
    state.update(ref == null ? List.of() : List.of(ref));
  }

  @Override
  public void close() {
    if (holder != null) holder.close();
  }
}
