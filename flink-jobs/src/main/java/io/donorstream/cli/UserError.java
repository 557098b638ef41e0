package io.donorstream.cli;

/** A problem the user can fix; the launcher prints only its message and exits with code 2. */
public final class UserError extends RuntimeException {
  public UserError(String message) {
    super(message);
  }
}
