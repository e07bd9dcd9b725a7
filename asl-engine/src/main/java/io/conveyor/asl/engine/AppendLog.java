package io.conveyor.asl.engine;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.zip.CRC32;

/**
 * A file of entries, each appended with one {@code write} call: {@code [length][CRC-32][operation][strings]}, a
 * string being its UTF-8 length and bytes. Reading stops at the first entry that is cut short or whose checksum
 * does not match (the tail a crash of the machine can leave), and the file is cut there. {@link #rewrite} replaces
 * the whole file with the entries given (written to a new file, forced to disk, then renamed over the old one).
 *
 * <p>Durability: an entry is in the operating system once {@link #append} returns (a {@code kill -9} of the JVM
 * loses nothing appended), not forced to the disk (a power cut may lose the last ones). The file is written through
 * a {@link FileOutputStream}, which, unlike a {@code FileChannel}, is not closed when a writing thread is
 * interrupted. {@link #append} may be called on several threads at once; {@link #rewrite} and {@link #close} alone.
 */
final class AppendLog implements AutoCloseable {
  /** One entry: an operation code and its strings. */
  record Entry(int operation, List<String> strings) {
  }

  private final Path file;
  private volatile FileOutputStream out;
  private final AtomicLong length;

  private AppendLog(Path file, FileOutputStream out, long length) {
    this.file = file;
    this.out = out;
    this.length = new AtomicLong(length);
  }

  /** Opens (creating if needed) the file, handing every intact entry to {@code sink} in order. */
  static AppendLog open(Path file, Consumer<Entry> sink) {
    try {
      Files.createDirectories(file.getParent());
      long intact = 0;
      if (Files.exists(file)) {
        try (DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(Files.newInputStream(file)))) {
          for (Read r = read(in); r != null; r = read(in)) {
            sink.accept(r.entry());
            intact += 8 + r.payloadLength();
          }
        }
        if (intact < Files.size(file)) {
          // A torn last entry: cut it, so that the next ones follow the intact ones.
          try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            channel.truncate(intact);
          }
        }
      }
      return new AppendLog(file, new FileOutputStream(file.toFile(), true), intact);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open " + file, e);
    }
  }

  /** An entry read, and the length of its payload in the file. */
  private record Read(Entry entry, int payloadLength) {
  }

  /** The next intact entry, or null at the end or at a damaged entry. */
  private static Read read(DataInputStream in) throws IOException {
    int length;
    long crc;
    try {
      length = in.readInt();
      crc = in.readInt() & 0xffffffffL;
    } catch (EOFException end) {
      return null;
    }
    if (length < 1 || length > 64 * 1024 * 1024) {
      return null;
    }
    byte[] payload = new byte[length];
    try {
      in.readFully(payload);
    } catch (EOFException cut) {
      return null;
    }
    CRC32 check = new CRC32();
    check.update(payload);
    if (check.getValue() != crc) {
      return null;
    }
    ByteBuffer b = ByteBuffer.wrap(payload);
    int operation = b.get();
    List<String> strings = new ArrayList<>();
    while (b.hasRemaining()) {
      byte[] s = new byte[b.getInt()];
      b.get(s);
      strings.add(new String(s, StandardCharsets.UTF_8));
    }
    return new Read(new Entry(operation, strings), length);
  }

  /** The entry as written: length, checksum, payload. */
  private static byte[] encode(Entry e) {
    try {
      ByteArrayOutputStream payload = new ByteArrayOutputStream(128);
      DataOutputStream p = new DataOutputStream(payload);
      p.writeByte(e.operation());
      for (String s : e.strings()) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        p.writeInt(bytes.length);
        p.write(bytes);
      }
      byte[] body = payload.toByteArray();
      CRC32 crc = new CRC32();
      crc.update(body);
      ByteBuffer whole = ByteBuffer.allocate(8 + body.length);
      whole.putInt(body.length).putInt((int) crc.getValue()).put(body);
      return whole.array();
    } catch (IOException impossible) {
      throw new UncheckedIOException(impossible);
    }
  }

  /**
   * Appends an entry; once this returns, it is in the operating system's hands. Callers on several threads need not
   * wait for each other: the file is opened for appending, so each entry's single {@code write} lands whole at the
   * end, whatever else is being appended (not during a {@link #rewrite}, which its owner keeps apart).
   */
  void append(int operation, String... strings) {
    byte[] bytes = encode(new Entry(operation, List.of(strings)));
    try {
      out.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + file, e);
    }
    length.addAndGet(bytes.length);
  }

  /** The file's length in bytes. */
  long length() {
    return length.get();
  }

  /** Replaces the file's content with {@code entries}: written aside, forced to disk, renamed over the file. */
  void rewrite(Iterable<Entry> entries) {
    Path next = file.resolveSibling(file.getFileName() + ".next");
    try {
      long written = 0;
      try (FileOutputStream o = new FileOutputStream(next.toFile())) {
        java.io.BufferedOutputStream buffered = new java.io.BufferedOutputStream(o, 1 << 16);
        for (Entry e : entries) {
          byte[] bytes = encode(e);
          buffered.write(bytes);
          written += bytes.length;
        }
        buffered.flush();
        o.getFD().sync();
      }
      out.close();
      Files.move(next, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      out = new FileOutputStream(file.toFile(), true);
      length.set(written);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot rewrite " + file, e);
    }
  }

  @Override
  public void close() {
    try {
      out.close();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot close " + file, e);
    }
  }
}
