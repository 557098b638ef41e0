package io.donorstream.data.hdf5;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/** What {@link Hdf5FileWriter} writes: groups and datasets with attributes; a dataset's values come from a {@link Source} when written. */
public final class Hdf5Tree {
  private Hdf5Tree() {}

  public sealed interface Node permits Group, Dataset {
    String name();

    List<Attribute> attributes();
  }

  public record Group(String name, List<Attribute> attributes, List<Node> children) implements Node {
    public static Group named(String name) {
      return new Group(name, new ArrayList<>(), new ArrayList<>());
    }

    public Group attribute(Attribute a) {
      attributes.add(a);
      return this;
    }

    public <T extends Node> T add(T child) {
      children.add(child);
      return child;
    }
  }

  /** @param dims the shape; empty for a scalar */
  public record Dataset(String name, List<Attribute> attributes, Hdf5Types.Type type, long[] dims, Source values) implements Node {
    public Dataset(String name, Hdf5Types.Type type, long[] dims, Source values) {
      this(name, new ArrayList<>(), type, dims, values);
    }

    /** A scalar string. */
    public static Dataset string(String name, String value) {
      return new Dataset(name, Hdf5Types.fixedString(Hdf5Types.utf8(value).length), new long[0], Source.string(value));
    }

    /** A 1-d array of strings held in memory (a few: categories, not cells). */
    public static Dataset strings(String name, List<String> values) {
      int max = 0;
      for (String v : values) max = Math.max(max, Hdf5Types.utf8(v).length);
      Hdf5Types.Type t = Hdf5Types.fixedString(max);
      return new Dataset(name, t, new long[] {values.size()}, Source.strings(values, t));
    }

    public Dataset attribute(Attribute a) {
      attributes.add(a);
      return this;
    }

    long elements() {
      long n = 1;
      for (long d : dims) n = Math.multiplyExact(n, d);
      return n;
    }
  }

  /** A small attribute held in memory: {@code dims} empty for a scalar. */
  public record Attribute(String name, Hdf5Types.Type type, long[] dims, byte[] values) {
    public static Attribute string(String name, String value) {
      byte[] v = Hdf5Types.utf8(value);
      Hdf5Types.Type t = Hdf5Types.fixedString(v.length);
      ByteBuffer b = ByteBuffer.allocate(t.size());
      Hdf5Types.putFixed(b, v, t.size());
      return new Attribute(name, t, new long[0], b.array());
    }

    public static Attribute strings(String name, List<String> values) {
      if (values.isEmpty()) throw new IllegalArgumentException("attribute " + name + ": an empty string array is not supported");
      byte[][] v = values.stream().map(Hdf5Types::utf8).toArray(byte[][]::new);
      int max = 0;
      for (byte[] s : v) max = Math.max(max, s.length);
      Hdf5Types.Type t = Hdf5Types.fixedString(max);
      ByteBuffer b = ByteBuffer.allocate(t.size() * v.length);
      for (byte[] s : v) Hdf5Types.putFixed(b, s, t.size());
      return new Attribute(name, t, new long[] {v.length}, b.array());
    }

    public static Attribute bool(String name, boolean value) {
      return new Attribute(name, Hdf5Types.bool(), new long[0], new byte[] {(byte) (value ? 1 : 0)});
    }
  }

  /** A dataset's values, written once, in order, as the file is assembled. */
  public interface Source {
    long bytes();

    /** Writes exactly {@link #bytes()} bytes at {@code out}'s position. */
    void writeTo(FileChannel out) throws IOException;

    static Source of(byte[] values) {
      return new Source() {
        @Override
        public long bytes() {
          return values.length;
        }

        @Override
        public void writeTo(FileChannel out) throws IOException {
          ByteBuffer b = ByteBuffer.wrap(values);
          while (b.hasRemaining()) out.write(b);
        }
      };
    }

    /** Values already in the file being written, at {@code address}: written in place, never copied. */
    static Source placed(long address, long bytes) {
      return new Placed(address, bytes);
    }

    /** A scalar string dataset's value. */
    static Source string(String value) {
      byte[] v = Hdf5Types.utf8(value);
      ByteBuffer b = ByteBuffer.allocate(v.length + 1);
      Hdf5Types.putFixed(b, v, v.length + 1);
      return of(b.array());
    }

    /** Strings as fixed-length elements of {@code type}. */
    static Source strings(List<String> values, Hdf5Types.Type type) {
      ByteBuffer b = ByteBuffer.allocate(type.size() * values.size());
      for (String s : values) Hdf5Types.putFixed(b, Hdf5Types.utf8(s), type.size());
      return of(b.array());
    }
  }

  /** See {@link Source#placed}. */
  record Placed(long address, long bytes) implements Source {
    @Override
    public void writeTo(FileChannel out) {
      throw new IllegalStateException("placed values are already in the file");
    }
  }
}
