package io.donorstream.data.hdf5;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Values of one dataset appended as they are produced, in the file's byte order (little-endian),
 * through a small buffer: to a temporary file, which {@link #source()} copies into the HDF5 file
 * unchanged, or ({@link #inPlace}) straight into the HDF5 file being written, from an offset on,
 * for the one large dataset that can go first. Memory: the buffer, whatever the number of values.
 */
public final class ValueSpill implements AutoCloseable {
  private static final int BUFFER = 1 << 16;

  private final Path file;
  private final FileChannel channel;
  /** Where the values start in {@code channel}; 0 for a temporary file. */
  private final long start;
  private final boolean ownsChannel;
  private final ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER).order(ByteOrder.LITTLE_ENDIAN);
  private long bytes;

  public ValueSpill(Path dir, String name) {
    try {
      this.file = Files.createTempFile(dir, name, ".spill");
      this.channel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE, StandardOpenOption.DELETE_ON_CLOSE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary file in " + dir, e);
    }
    this.start = 0;
    this.ownsChannel = true;
  }

  private ValueSpill(Path file, FileChannel channel, long start) {
    this.file = file;
    this.channel = channel;
    this.start = start;
    this.ownsChannel = false;
  }

  /** Values written into {@code channel} (of {@code file}) from {@code start} on; their {@link #source()} is placed there. */
  public static ValueSpill inPlace(Path file, FileChannel channel, long start) {
    return new ValueSpill(file, channel, start);
  }

  public void putByte(int v) {
    room(1).put((byte) v);
  }

  public void putShort(int v) {
    room(2).putShort((short) v);
  }

  public void putInt(int v) {
    room(4).putInt(v);
  }

  public void putFloat(float v) {
    room(4).putFloat(v);
  }

  /** {@code count} floats of {@code v} from {@code from}. */
  public void putFloats(float[] v, int from, int count) {
    int done = 0;
    while (done < count) {
      int n = Math.min(count - done, BUFFER / 4);
      room(4 * n).asFloatBuffer().put(v, from + done, n);
      buf.position(buf.position() + 4 * n);
      done += n;
    }
  }

  /** Integers of {@code bytes} bytes each (1, 2 or 4). */
  public void putSigned(int v, int bytes) {
    switch (bytes) {
      case 1 -> putByte(v);
      case 2 -> putShort(v);
      case 4 -> putInt(v);
      default -> throw new IllegalArgumentException("integers of " + bytes + " bytes are not supported");
    }
  }

  public long bytes() {
    return bytes + buf.position();
  }

  private ByteBuffer room(int n) {
    if (buf.remaining() < n) flush();
    return buf;
  }

  private void flush() {
    buf.flip();
    try {
      while (buf.hasRemaining()) bytes += channel.write(buf, start + bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    buf.clear();
  }

  /** The values written so far, to be written once into an HDF5 file. */
  public Hdf5Tree.Source source() {
    flush();
    long total = bytes;
    if (!ownsChannel) return Hdf5Tree.Source.placed(start, total);
    return new Hdf5Tree.Source() {
      @Override
      public long bytes() {
        return total;
      }

      @Override
      public void writeTo(FileChannel out) throws IOException {
        long done = 0;
        while (done < total) done += channel.transferTo(done, total - done, out);
      }
    };
  }

  /** Deletes the temporary file (an in-place spill leaves its file to its owner). */
  @Override
  public void close() {
    if (!ownsChannel) return;
    try {
      channel.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
