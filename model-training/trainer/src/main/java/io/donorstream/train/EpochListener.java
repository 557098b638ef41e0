package io.donorstream.train;

/**
 * Told about every finished epoch. A listener stops training by throwing (e.g. a tuner pruning a
 * hopeless trial); the trainer closes the model and lets the exception through.
 */
@FunctionalInterface
public interface EpochListener {
  EpochListener NONE = r -> {};

  void epochDone(EpochRecord record);
}
