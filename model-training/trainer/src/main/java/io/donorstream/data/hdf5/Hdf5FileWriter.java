package io.donorstream.data.hdf5;

import io.jhdf.checksum.JenkinsLookup3HashLittle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes an {@link Hdf5Tree} as an HDF5 file (superblock version 2, version 2 object headers,
 * compact links and attributes, contiguous datasets), streaming each dataset's values from its
 * {@link Hdf5Tree.Source}: memory holds the small structures, never a dataset. jHDF's writer, which
 * reads the rest of the project's HDF5, needs every dataset whole in memory before it writes.
 *
 * <p>Layout, as jHDF lays out its files: the superblock, then each object depth-first, a group's
 * header before its children and a dataset's values right after its header; except values
 * already {@link Hdf5Tree.Source#placed placed} in the file, which stay where they are (written
 * there as they were produced, they need no second copy).
 */
public final class Hdf5FileWriter {
  private static final byte[] SIGNATURE = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
  private static final long UNDEFINED = -1L;
  /** The superblock's size: the first byte a file's contents can use. */
  public static final long FIRST_FREE = 48;
  private static final int DATASPACE = 0x01;
  private static final int LINK_INFO = 0x02;
  private static final int DATATYPE = 0x03;
  private static final int FILL_VALUE = 0x05;
  private static final int LINK = 0x06;
  private static final int LAYOUT = 0x08;
  private static final int GROUP_INFO = 0x0A;
  private static final int ATTRIBUTE = 0x0C;
  private static final int ATTRIBUTE_INFO = 0x15;
  /** HDF5's default link phase change: above this many links a group would normally switch to dense storage. */
  private static final int DEFAULT_MAX_COMPACT = 8;

  private final FileChannel out;

  private Hdf5FileWriter(FileChannel out) {
    this.out = out;
  }

  public static void write(Path file, Hdf5Tree.Group root) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
      write(ch, FIRST_FREE, root);
    }
  }

  /**
   * Writes the tree into {@code ch} from {@code start} on, and the superblock at 0: the bytes between
   * hold values already written there ({@link Hdf5Tree.Source#placed}).
   */
  public static void write(FileChannel ch, long start, Hdf5Tree.Group root) throws IOException {
    if (start < FIRST_FREE) throw new IllegalArgumentException("the tree cannot start inside the superblock (" + start + ")");
    Hdf5FileWriter w = new Hdf5FileWriter(ch);
    long end = w.write(root, start);
    w.put(superblock(end, start), 0);
  }

  private long write(Hdf5Tree.Node node, long at) throws IOException {
    return node instanceof Hdf5Tree.Group g ? writeGroup(g, at) : writeDataset((Hdf5Tree.Dataset) node, at);
  }

  private long writeGroup(Hdf5Tree.Group g, long at) throws IOException {
    List<Long> addresses = new ArrayList<>();
    for (int i = 0; i < g.children().size(); i++) addresses.add(0L);
    // Addresses are fixed-width, so the header's size is known before the children are placed.
    long next = at + groupHeader(g, addresses).length;
    for (int i = 0; i < g.children().size(); i++) {
      addresses.set(i, next);
      next = write(g.children().get(i), next);
    }
    put(groupHeader(g, addresses), at);
    return next;
  }

  private long writeDataset(Hdf5Tree.Dataset d, long at) throws IOException {
    long bytes = d.values().bytes();
    long expected = Math.multiplyExact(d.elements(), d.type().size());
    if (bytes != expected) {
      throw new IllegalStateException("dataset " + d.name() + ": " + bytes + " bytes of values for " + expected + " expected");
    }
    if (d.values() instanceof Hdf5Tree.Placed p) {
      byte[] header = datasetHeader(d, bytes == 0 ? UNDEFINED : p.address(), bytes);
      put(header, at);
      return at + header.length;
    }
    long dataAt = at + datasetHeader(d, 0, bytes).length;
    put(datasetHeader(d, bytes == 0 ? UNDEFINED : dataAt, bytes), at);
    out.position(dataAt);
    d.values().writeTo(out);
    if (out.position() != dataAt + bytes) {
      throw new IllegalStateException("dataset " + d.name() + ": its source wrote " + (out.position() - dataAt) + " bytes, not " + bytes);
    }
    return dataAt + bytes;
  }

  private static byte[] groupHeader(Hdf5Tree.Group g, List<Long> addresses) {
    List<byte[]> messages = new ArrayList<>();
    messages.add(message(LINK_INFO, new LeBytes().u8(0).u8(0).u64(UNDEFINED).u64(UNDEFINED).toArray()));
    int links = g.children().size();
    // Compact storage (links in the header) for any number of links: the maximum is raised to fit.
    messages.add(message(GROUP_INFO, links <= DEFAULT_MAX_COMPACT ? new LeBytes().u8(0).u8(0).toArray()
        : new LeBytes().u8(0).u8(1).u16(links).u16(DEFAULT_MAX_COMPACT - 2).toArray()));
    for (int i = 0; i < links; i++) messages.add(message(LINK, link(g.children().get(i).name(), addresses.get(i))));
    addAttributes(messages, g.attributes());
    return objectHeader(messages);
  }

  private static byte[] datasetHeader(Hdf5Tree.Dataset d, long dataAddress, long bytes) {
    List<byte[]> messages = new ArrayList<>();
    messages.add(message(DATATYPE, d.type().message()));
    messages.add(message(DATASPACE, dataspace(d.dims())));
    // Version 3, no fill value defined, space allocated early (as jHDF writes it).
    messages.add(message(FILL_VALUE, new LeBytes().u8(3).u8(0x11).toArray()));
    messages.add(message(LAYOUT, new LeBytes().u8(3).u8(1).u64(dataAddress).u64(bytes).toArray()));
    addAttributes(messages, d.attributes());
    return objectHeader(messages);
  }

  private static void addAttributes(List<byte[]> messages, List<Hdf5Tree.Attribute> attributes) {
    if (attributes.isEmpty()) return;
    messages.add(message(ATTRIBUTE_INFO, new LeBytes().u8(0).u8(0).u64(UNDEFINED).u64(UNDEFINED).toArray()));
    for (Hdf5Tree.Attribute a : attributes) {
      byte[] name = Hdf5Types.utf8(a.name());
      byte[] space = dataspace(a.dims());
      messages.add(message(ATTRIBUTE, new LeBytes().u8(3).u8(0).u16(name.length + 1).u16(a.type().message().length).u16(space.length)
          .u8(1).bytes(name).u8(0).bytes(a.type().message()).bytes(space).bytes(a.values()).toArray()));
    }
  }

  private static byte[] link(String name, long address) {
    byte[] n = Hdf5Types.utf8(name);
    boolean wide = n.length > 255;
    // Version 1; flags: name length in 1 or 2 bytes, character set present (UTF-8); a hard link.
    LeBytes b = new LeBytes().u8(1).u8(0x10 | (wide ? 1 : 0)).u8(1);
    if (wide) b.u16(n.length); else b.u8(n.length);
    return b.bytes(n).u64(address).toArray();
  }

  private static byte[] dataspace(long[] dims) {
    LeBytes b = new LeBytes().u8(2).u8(dims.length).u8(0).u8(dims.length == 0 ? 0 : 1);
    for (long d : dims) b.u64(d);
    return b.toArray();
  }

  private static byte[] message(int type, byte[] body) {
    if (body.length > 0xFFFF) throw new IllegalArgumentException("header message of " + body.length + " bytes is too large");
    return new LeBytes().u8(type).u16(body.length).u8(0).bytes(body).toArray();
  }

  private static byte[] objectHeader(List<byte[]> messages) {
    int size = 0;
    for (byte[] m : messages) size += m.length;
    LeBytes b = new LeBytes().bytes(new byte[] {'O', 'H', 'D', 'R'}).u8(2).u8(0x02).u32(size); // flags: chunk size in 4 bytes
    for (byte[] m : messages) b.bytes(m);
    return checksummed(b);
  }

  private static byte[] superblock(long endOfFile, long rootAddress) {
    return checksummed(new LeBytes().bytes(SIGNATURE).u8(2).u8(8).u8(8).u8(0).u64(0).u64(UNDEFINED).u64(endOfFile).u64(rootAddress));
  }

  private static byte[] checksummed(LeBytes b) {
    byte[] body = b.toArray();
    return b.u32(JenkinsLookup3HashLittle.hash(body) & 0xFFFFFFFFL).toArray();
  }

  private void put(byte[] bytes, long at) throws IOException {
    ByteBuffer buf = ByteBuffer.wrap(bytes);
    while (buf.hasRemaining()) at += out.write(buf, at);
  }
}
