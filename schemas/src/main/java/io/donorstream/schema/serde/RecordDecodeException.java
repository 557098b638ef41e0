package io.donorstream.schema.serde;

/** Bytes that cannot be read as the expected record, with the specific reason. */
public final class RecordDecodeException extends RuntimeException {
  private final DecodeFailure failure;

  public RecordDecodeException(DecodeFailure failure, String message, Throwable cause) {
    super(failure.code() + ": " + message, cause);
    this.failure = failure;
  }

  public DecodeFailure failure() {
    return failure;
  }
}
