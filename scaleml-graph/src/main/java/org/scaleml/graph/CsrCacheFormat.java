package org.scaleml.graph;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * The file format of {@link GraphCache} (version 2, laid out in its class comment): writing a graph through one
 * direct buffer with a running CRC32C, and reading one back with every check made before the data is trusted
 * (magic, version, lengths before any allocation, the source fields the caller expects, the checksum, the CSR
 * invariants). Stateless and thread-safe; each call uses its own buffers.
 */
final class CsrCacheFormat {
    static final byte[] MAGIC = "SCALECSR".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 2;
    static final int HEADER = 80;
    private static final int FLAG_DIRECTED = 1;
    private static final int FLAG_WEIGHTS = 2;
    private static final int FLAG_COORDS = 4;
    private static final int FLAG_FILE_IDS = 8;
    private static final int CHUNK = 1 << 22;

    private CsrCacheFormat() {
    }

    // ------------------------------------------------------------------------------------------ writing

    /** Writes {@code g} to {@code file} atomically (temporary file, force, move) with the given header fields. */
    static void write(CsrGraph g, Path file, long sourceSize, long sourceMtime, long key, long contentHash)
            throws IOException {
        Path abs = file.toAbsolutePath();
        Path tmp = Files.createTempFile(abs.getParent(), abs.getFileName() + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ChunkWriter w = new ChunkWriter(ch);
                int n = g.nodes();
                int flags = (g.isDirected() ? FLAG_DIRECTED : 0) | (g.hasWeights() ? FLAG_WEIGHTS : 0)
                        | (g.hasCoordinates() ? FLAG_COORDS : 0) | (g.hasFileIds() ? FLAG_FILE_IDS : 0);
                ByteBuffer h = ByteBuffer.allocate(HEADER).order(ByteOrder.LITTLE_ENDIAN);
                h.put(MAGIC).putInt(VERSION).putInt(flags).putInt(n).putInt(g.idOffset()).putLong(g.arcs())
                        .putLong(g.edges()).putLong(sourceSize).putLong(sourceMtime).putLong(key)
                        .putLong(payloadBytes(flags, n, g.arcs())).putLong(contentHash);
                h.flip();
                w.putBytes(h);
                w.putLongs(g.offsets());
                w.putInts(g.targets());
                if (g.hasWeights()) {
                    w.putInts(g.rawWeights());
                }
                if (g.hasCoordinates()) {
                    w.putInts(g.rawX());
                    w.putInts(g.rawY());
                }
                if (g.hasFileIds()) {
                    w.putLongs(g.rawFileIds());
                }
                w.finish();
                ch.force(true);
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            GraphCache.deleteQuietly(tmp);
        }
    }

    static long payloadBytes(int flags, int n, long m) {
        long bytes = 8L * (n + 1L) + 4L * m;
        if ((flags & FLAG_WEIGHTS) != 0) {
            bytes += 4L * m;
        }
        if ((flags & FLAG_COORDS) != 0) {
            bytes += 8L * n;
        }
        if ((flags & FLAG_FILE_IDS) != 0) {
            bytes += 8L * n;
        }
        return bytes;
    }

    /** Streams arrays through one direct buffer, computing the checksum on the way. */
    private static final class ChunkWriter {
        private final FileChannel ch;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        private final CRC32C crc = new CRC32C();

        ChunkWriter(FileChannel ch) {
            this.ch = ch;
        }

        private void flush() throws IOException {
            buf.flip();
            crc.update(buf.duplicate());
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            buf.clear();
        }

        void putBytes(ByteBuffer b) throws IOException {
            if (buf.remaining() < b.remaining()) {
                flush();
            }
            buf.put(b);
        }

        void putLongs(long[] a) throws IOException {
            int done = 0;
            while (done < a.length) {
                if (buf.remaining() < 8) {
                    flush();
                }
                int k = Math.min(buf.remaining() / 8, a.length - done);
                buf.asLongBuffer().put(a, done, k);
                buf.position(buf.position() + 8 * k);
                done += k;
            }
        }

        void putInts(int[] a) throws IOException {
            int done = 0;
            while (done < a.length) {
                if (buf.remaining() < 4) {
                    flush();
                }
                int k = Math.min(buf.remaining() / 4, a.length - done);
                buf.asIntBuffer().put(a, done, k);
                buf.position(buf.position() + 4 * k);
                done += k;
            }
        }

        void finish() throws IOException {
            flush();
            ByteBuffer t = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            t.putInt((int) crc.getValue()).flip();
            while (t.hasRemaining()) {
                ch.write(t);
            }
        }
    }

    // ------------------------------------------------------------------------------------------ reading

    /** Reads and, unless an expected value is -1, checks the recorded source size, mtime, key and content hash. */
    static CsrGraph read(Path file, long expectSize, long expectMtime, long expectKey, long expectContent)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long fileSize = ch.size();
            if (fileSize < HEADER + 4) {
                throw bad(file, "too short for a graph cache (" + fileSize + " bytes)");
            }
            ChunkReader r = new ChunkReader(ch, fileSize - 4, file);
            ByteBuffer h = r.bytes(HEADER);
            byte[] magic = new byte[MAGIC.length];
            h.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw bad(file, "not a graph cache file (bad magic)");
            }
            int version = h.getInt();
            if (version != VERSION) {
                throw bad(file, "cache version " + version + ", this code reads version " + VERSION);
            }
            int flags = h.getInt();
            int n = h.getInt();
            int idOffset = h.getInt();
            long m = h.getLong();
            long edges = h.getLong();
            long srcSize = h.getLong();
            long srcMtime = h.getLong();
            long key = h.getLong();
            long payload = h.getLong();
            long content = h.getLong();
            if ((flags & ~15) != 0 || n < 0 || n > Integer.MAX_VALUE - 1 || m < 0 || m > CsrGraph.MAX_ARCS) {
                throw bad(file, "invalid header (flags " + flags + ", n " + n + ", m " + m + ")");
            }
            if (payload != payloadBytes(flags, n, m) || fileSize != HEADER + payload + 4) {
                throw bad(file, "length " + fileSize + " does not match the header (truncated?)");
            }
            if ((expectSize != -1 && srcSize != expectSize) || (expectMtime != -1 && srcMtime != expectMtime)
                    || (expectKey != -1 && key != expectKey)
                    || (expectContent != -1 && content != expectContent)) {
                throw bad(file, "cache was made from another version of the source");
            }
            long[] offsets = r.longs(n + 1);
            int[] targets = r.ints((int) m);
            int[] weights = (flags & FLAG_WEIGHTS) != 0 ? r.ints((int) m) : null;
            int[] x = null;
            int[] y = null;
            if ((flags & FLAG_COORDS) != 0) {
                x = r.ints(n);
                y = r.ints(n);
            }
            long[] fileIds = (flags & FLAG_FILE_IDS) != 0 ? r.longs(n) : null;
            ByteBuffer t = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            while (t.hasRemaining()) {
                if (ch.read(t, fileSize - 4 + t.position()) < 0) {
                    throw bad(file, "truncated checksum");
                }
            }
            int stored = t.getInt(0);
            if (stored != (int) r.crc.getValue()) {
                throw bad(file, "checksum mismatch (corrupt cache file)");
            }
            validate(file, n, m, offsets, targets, fileIds);
            return new CsrGraph(n, (flags & FLAG_DIRECTED) != 0, edges, offsets, targets, weights, x, y, idOffset,
                    fileIds);
        }
    }

    private static void validate(Path file, int n, long m, long[] off, int[] tgt, long[] fileIds)
            throws GraphFormatException {
        if (off[0] != 0 || off[n] != m) {
            throw bad(file, "offsets do not span the arcs");
        }
        for (int u = 0; u < n; u++) {
            if (off[u + 1] < off[u]) {
                throw bad(file, "offsets decrease at node " + u);
            }
        }
        for (int t : tgt) {
            if (t < 0 || t >= n) {
                throw bad(file, "arc target " + t + " outside 0.." + (n - 1));
            }
        }
        if (fileIds != null) {
            for (int i = 1; i < n; i++) {
                if (fileIds[i] <= fileIds[i - 1]) {
                    throw bad(file, "file ids not increasing at node " + i);
                }
            }
        }
    }

    private static GraphFormatException bad(Path file, String what) {
        return new GraphFormatException(file, 0, what);
    }

    /** Reads the file sequentially through one direct buffer, updating the checksum for every byte read. */
    private static final class ChunkReader {
        private final FileChannel ch;
        private final long end;
        private final Path file;
        private final ByteBuffer buf = ByteBuffer.allocateDirect(CHUNK).order(ByteOrder.LITTLE_ENDIAN);
        final CRC32C crc = new CRC32C();
        private long filePos;

        ChunkReader(FileChannel ch, long end, Path file) {
            this.ch = ch;
            this.end = end;
            this.file = file;
            buf.limit(0);
        }

        /** Ensures at least {@code need} bytes are buffered. */
        private void fill(int need) throws IOException {
            if (buf.remaining() >= need) {
                return;
            }
            buf.compact();
            while (buf.position() < need) {
                int want = (int) Math.min(buf.remaining(), end - filePos);
                if (want <= 0) {
                    throw bad(file, "truncated cache file");
                }
                ByteBuffer slice = buf.duplicate();
                slice.limit(slice.position() + want);
                int r = ch.read(slice, filePos);
                if (r < 0) {
                    throw bad(file, "truncated cache file");
                }
                ByteBuffer fresh = buf.duplicate();
                fresh.limit(buf.position() + r);
                crc.update(fresh);
                filePos += r;
                buf.position(buf.position() + r);
            }
            buf.flip();
        }

        ByteBuffer bytes(int len) throws IOException {
            fill(len);
            ByteBuffer out = ByteBuffer.allocate(len).order(ByteOrder.LITTLE_ENDIAN);
            ByteBuffer src = buf.duplicate();
            src.limit(src.position() + len);
            out.put(src).flip();
            buf.position(buf.position() + len);
            return out;
        }

        long[] longs(int count) throws IOException {
            long[] a = new long[count];
            int done = 0;
            while (done < count) {
                fill(8);
                int k = Math.min(buf.remaining() / 8, count - done);
                buf.asLongBuffer().get(a, done, k);
                buf.position(buf.position() + 8 * k);
                done += k;
            }
            return a;
        }

        int[] ints(int count) throws IOException {
            int[] a = new int[count];
            int done = 0;
            while (done < count) {
                fill(4);
                int k = Math.min(buf.remaining() / 4, count - done);
                buf.asIntBuffer().get(a, done, k);
                buf.position(buf.position() + 4 * k);
                done += k;
            }
            return a;
        }
    }
}
