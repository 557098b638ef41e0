package io.donorstream.registry;

/** One move of a version between stages, with when and why. */
public record Decision(String at, Stage from, Stage to, String reason) {}
