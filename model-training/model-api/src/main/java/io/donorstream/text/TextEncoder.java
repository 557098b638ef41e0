package io.donorstream.text;

/** Turns a piece of text into a fixed-width, L2-normalised vector. */
public interface TextEncoder extends AutoCloseable {
  /** A name that identifies the encoder and its weights, stored in model artifacts. */
  String name();

  int dimension();

  float[] encode(String text);

  @Override
  void close();
}
