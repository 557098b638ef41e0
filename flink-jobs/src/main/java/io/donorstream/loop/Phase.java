package io.donorstream.loop;

/** The demo stream's phases: donors the first model knows, then donors it never saw, then after the swap. */
public enum Phase {
  BEFORE_DRIFT, DRIFT, AFTER_SWAP
}
