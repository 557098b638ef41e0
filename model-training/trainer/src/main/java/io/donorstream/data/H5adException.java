package io.donorstream.data;

import java.nio.file.Path;

/** An h5ad file that cannot be used as asked, with the file, what is wrong and what exists. */
public final class H5adException extends RuntimeException {
  public H5adException(Path file, String message) {
    super(file + ": " + message);
  }

  public H5adException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
  }
}
