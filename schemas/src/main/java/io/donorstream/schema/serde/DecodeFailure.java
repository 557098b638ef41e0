package io.donorstream.schema.serde;

/** Why bytes could not be read as a record; the codes double as dead-letter reasons. */
public enum DecodeFailure {
  /** No bytes at all (a tombstone or an empty value). */
  EMPTY("empty"),
  /** Bytes that are not Avro single-object encoded, or whose body is malformed. */
  CORRUPT("corrupt"),
  /** A valid header and fingerprint, but the body ends early. */
  TRUNCATED("truncated"),
  /** Single-object encoded, but with a schema fingerprint this reader does not know. */
  FOREIGN_SCHEMA("foreign_schema");

  private final String code;

  DecodeFailure(String code) {
    this.code = code;
  }

  /** The stable lower-case code used in dead letters and metric labels. */
  public String code() {
    return code;
  }
}
