package io.donorstream.registry;

/** A registry operation that cannot be done, with what is wrong in words a user can act on. */
public class RegistryException extends RuntimeException {
  public RegistryException(String message) {
    super(message);
  }

  public RegistryException(String message, Throwable cause) {
    super(message, cause);
  }
}
