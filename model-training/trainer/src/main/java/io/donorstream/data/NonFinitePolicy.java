package io.donorstream.data;

/** What to do with cells whose embedding holds NaN or infinity. */
public enum NonFinitePolicy {
  /** Stop with an error naming how many rows and the first one. */
  REFUSE,
  /** Leave those cells out and report how many. */
  DROP
}
