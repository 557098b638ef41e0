package io.donorstream.data;

/** Cell embedding rows from {@code obsm}, row-major. */
public record Embedding(String key, int rows, int width, float[] values) {}
