package org.scaleml.graph;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/**
 * A binary cache of parsed graphs, so that reloading a big graph costs a file read instead of a text parse
 * (New York: a few tens of milliseconds instead of several hundred).
 *
 * <h2>Where and when</h2>
 * {@link #load(Path, GraphFormat, ReadOptions)} looks for the cache file {@code <source name>.<size>-<mtime
 * ms>.<key>.csrcache}, where {@code key} hashes the requested format and the {@link ReadOptions} (and the
 * source's absolute path when the cache lives elsewhere). {@link #besideSource()} puts it in the source's
 * directory, or, if that is not writable (like the read-only shared data folder), in {@link
 * #defaultDirectory()}; {@link #inDirectory(Path)} uses a given directory. A changed source (size or
 * modification time) gets a new name; writing the new cache deletes the stale ones for the same source and key.
 *
 * <h2>Content key</h2>
 * Size and modification time alone do not identify a source: a file rewritten with the same size within the
 * file system's timestamp resolution (or with its time set back, as {@code cp -p}, {@code rsync -t} or a
 * build tool may do) would look unchanged. So the cache also records a 64-bit hash of the source's bytes as
 * stored (compressed, if the file is compressed), computed from the very bytes the parser consumed while it
 * parsed them, and {@code load} uses a cache only if the source hashes to the same value now. The hash is the
 * CRC32C of the bytes in the high 32 bits and their CRC32 in the low 32 bits (both intrinsics of the JDK):
 * it detects any accidental change, not a deliberate collision, which a local cache does not need to resist.
 *
 * <p>Why the whole file and not, say, its first and last 64 KiB: sampling misses an edit in the middle (a
 * changed weight keeps the size), and hashing all of it is cheap next to what the cache saves. Measured on the
 * New York road network ({@code USA-road-d.NY.gr.gz}, 3.7 MB gzip, 264,346 nodes; 2-core machine, warm page
 * cache, medians of 15; {@code GraphLoadBenchmark} in scaleml-bench): hashing the file takes 2.6 ms,
 * reading the cache 4 to 12 ms, parsing the file about 90 ms; hashing the same graph as uncompressed text (14 MB)
 * takes 10 ms. Verifying thus costs less than a cache read for a compressed source and about a tenth of a parse
 * for a plain one, and the cache stays several times faster than parsing. The price is one extra sequential
 * read of the source per cached load, which on a cold page cache is bounded by the disk's read speed.
 *
 * <h2>Failure policy</h2>
 * A corrupt, truncated or incompatible cache file is <b>silently rebuilt</b>: {@code load} deletes it, parses
 * the source and writes a fresh cache. If the cache cannot be written (read-only, disk full) {@code load}
 * still returns the parsed graph. The low-level {@link #read(Path)} instead throws {@link
 * GraphFormatException} naming what is wrong. Writes are atomic: the data goes to a temporary file in the
 * same directory, is forced to disk, then moved over the target, so a crash never leaves a half-written
 * cache under the final name.
 *
 * <h2>File format (version 2, little-endian)</h2>
 * <pre>
 * offset size
 *  0      8   magic "SCALECSR"
 *  8      4   version (2; version 1 had no content hash and is treated as outdated: rebuilt by load)
 * 12      4   flags: 1 directed, 2 weights, 4 coordinates, 8 file ids
 * 16      4   n (nodes)
 * 20      4   idOffset
 * 24      8   m (arcs)
 * 32      8   edges
 * 40      8   source size in bytes (0 if none)
 * 48      8   source modification time, ms (0 if none)
 * 56      8   key (hash of format and options, 0 if none)
 * 64      8   payload length in bytes
 * 72      8   content hash of the source's bytes (see above; 0 if none)
 * 80          offsets long[n+1], targets int[m], [weights int[m]], [x int[n], y int[n]], [file ids long[n]]
 * end     4   CRC32C of all preceding bytes
 * </pre>
 * Reading checks the magic, version, lengths (before allocating anything), the checksum and the CSR
 * invariants (monotone offsets, targets in range), so a bad file cannot cause a huge allocation or an
 * out-of-bounds access later.
 *
 * <p>Thread safety: instances are immutable; concurrent loads of the same source are safe (each writer uses
 * its own temporary file; the last move wins, and both files are complete). *
 * <p>This class decides where a cache lives, when it is valid and what the source hashes to; writing and reading
 * the file format is the package's {@code CsrCacheFormat}.
 */
public final class GraphCache {
    /** The cache file format's header length, in bytes. */
    static final int HEADER = CsrCacheFormat.HEADER;
    static final String SUFFIX = ".csrcache";

    private final Path directory; // null: beside the source

    private GraphCache(Path directory) {
        this.directory = directory;
    }

    /** @return a cache that stores files beside their source, or in {@link #defaultDirectory()} if that is read-only */
    public static GraphCache besideSource() {
        return new GraphCache(null);
    }

    /** @return a cache that stores its files in {@code directory} (created when first needed) */
    public static GraphCache inDirectory(Path directory) {
        return new GraphCache(directory.toAbsolutePath());
    }

    /** @return {@code $XDG_CACHE_HOME/scaleml/graphs}, else {@code ~/.cache/scaleml/graphs} */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("scaleml").resolve("graphs");
    }

    /**
     * The outcome of {@link #loadDetailed}.
     *
     * @param graph the graph
     * @param fromCache true if it was read from the cache, false if the source was parsed
     * @param cacheFile the cache file read or written, or {@code null} if none could be written
     */
    public record Loaded(CsrGraph graph, boolean fromCache, Path cacheFile) {
    }

    /** Same as {@code loadDetailed(source, format, options).graph()}. */
    public CsrGraph load(Path source, GraphFormat format, ReadOptions options) throws IOException {
        return loadDetailed(source, format, options).graph();
    }

    /**
     * Loads a graph from its cache if a valid one exists, else parses the source with {@link GraphReader}
     * and writes the cache (see the class comment for the failure policy).
     *
     * @throws GraphFormatException if the source is malformed
     * @throws IOException if the source cannot be read
     */
    public Loaded loadDetailed(Path source, GraphFormat format, ReadOptions options) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class);
        long size = attrs.size();
        long mtime = attrs.lastModifiedTime().toMillis();
        Path cache = cacheFileFor(source, format, options);
        long key = key(source, format, options);
        if (Files.isRegularFile(cache)) {
            try {
                return new Loaded(CsrCacheFormat.read(cache, size, mtime, key, contentHash(source)), true, cache);
            } catch (IOException | RuntimeException e) {
                deleteQuietly(cache); // corrupt, outdated or of other content: rebuild below
            }
        }
        CsrGraph g;
        long hash;
        try (ContentHashingStream in = new ContentHashingStream(Files.newInputStream(source))) {
            g = GraphReader.read(in, source, format.resolve(source), options);
            in.transferTo(OutputStream.nullOutputStream()); // whatever the parser left unread counts too
            hash = in.hash();
        }
        BasicFileAttributes after = Files.readAttributes(source, BasicFileAttributes.class);
        if (after.size() != size || after.lastModifiedTime().toMillis() != mtime) {
            return new Loaded(g, false, null); // source changed while parsing: do not cache
        }
        try {
            Files.createDirectories(cache.getParent());
            CsrCacheFormat.write(g, cache, size, mtime, key, hash);
            deleteStale(cache, source, key);
            return new Loaded(g, false, cache);
        } catch (IOException | RuntimeException e) {
            return new Loaded(g, false, null);
        }
    }

    /**
     * @return the cache file that {@link #load} uses for this source, format and options (it may not exist)
     * @throws IOException if the source's attributes cannot be read
     */
    public Path cacheFileFor(Path source, GraphFormat format, ReadOptions options) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(source, BasicFileAttributes.class);
        String name = source.getFileName() + "." + attrs.size() + "-" + attrs.lastModifiedTime().toMillis() + "."
                + String.format("%08x", key(source, format, options)) + SUFFIX;
        return directoryFor(source).resolve(name);
    }

    private Path directoryFor(Path source) {
        if (directory != null) {
            return directory;
        }
        Path parent = source.toAbsolutePath().getParent();
        return parent != null && permitsWriting(parent) ? parent : defaultDirectory();
    }

    /**
     * Whether a cache may be written into {@code dir}: it must be writable for this process and its permission
     * bits must grant someone write access. The second test matters for root, for whom
     * {@link Files#isWritable} is true even on a directory whose mode marks it read-only (a shared data folder).
     */
    static boolean permitsWriting(Path dir) {
        if (!Files.isWritable(dir)) {
            return false;
        }
        try {
            java.util.Set<java.nio.file.attribute.PosixFilePermission> p = Files.getPosixFilePermissions(dir);
            return p.contains(java.nio.file.attribute.PosixFilePermission.OWNER_WRITE)
                    || p.contains(java.nio.file.attribute.PosixFilePermission.GROUP_WRITE)
                    || p.contains(java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
        } catch (UnsupportedOperationException | IOException e) {
            return true;
        }
    }

    private long key(Path source, GraphFormat format, ReadOptions options) {
        String k = "v" + CsrCacheFormat.VERSION + "|" + format + "|" + options;
        Path dir = directoryFor(source);
        Path parent = source.toAbsolutePath().getParent();
        if (parent == null || !dir.equals(parent)) {
            k += "|" + source.toAbsolutePath().normalize();
        }
        CRC32C crc = new CRC32C();
        crc.update(k.getBytes(StandardCharsets.UTF_8));
        return crc.getValue();
    }

    private static void deleteStale(Path fresh, Path source, long key) {
        String prefix = source.getFileName() + ".";
        String end = "." + String.format("%08x", key) + SUFFIX;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(fresh.getParent(), prefix + "*" + end)) {
            for (Path p : ds) {
                String middle = p.getFileName().toString();
                middle = middle.substring(prefix.length(), middle.length() - end.length());
                if (!p.equals(fresh) && middle.matches("\\d+-\\d+")) {
                    deleteQuietly(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // best effort
        }
    }

    // ------------------------------------------------------------------------------------------ cache files

    /**
     * Writes {@code g} to {@code file} in the cache format, atomically (temporary file, force, move).
     *
     * @throws IOException if it cannot be written
     */
    public static void write(CsrGraph g, Path file) throws IOException {
        CsrCacheFormat.write(g, file, 0, 0, 0, 0);
    }

    /**
     * Reads a cache file written by {@link #write(CsrGraph, Path)} or {@link #load}.
     *
     * @throws GraphFormatException if it is not a cache file, has another version, is truncated, fails its
     *     checksum or holds an invalid graph
     */
    public static CsrGraph read(Path file) throws IOException {
        return CsrCacheFormat.read(file, -1, -1, -1, -1);
    }

    // ------------------------------------------------------------------------------------------ content hash

    /**
     * The content hash of a file's bytes as {@link #load} records it: CRC32C in the high and CRC32 in the low 32
     * bits (see the class comment).
     *
     * @throws IOException if the file cannot be read
     */
    static long contentHash(Path file) throws IOException {
        CRC32C c = new CRC32C();
        CRC32 d = new CRC32();
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (ch.read(buf) >= 0) {
                buf.flip();
                c.update(buf.duplicate());
                d.update(buf);
                buf.clear();
            }
        }
        return c.getValue() << 32 | d.getValue();
    }

    /** Hashes every byte read through it, as {@link #contentHash(Path)} does for a whole file. */
    static final class ContentHashingStream extends FilterInputStream {
        private final CRC32C c = new CRC32C();
        private final CRC32 d = new CRC32();

        ContentHashingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                c.update(b);
                d.update(b);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int r = in.read(b, off, len);
            if (r > 0) {
                c.update(b, off, r);
                d.update(b, off, r);
            }
            return r;
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] scratch = new byte[(int) Math.min(Math.max(n, 0), 8192)];
            int r = read(scratch, 0, scratch.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        long hash() {
            return c.getValue() << 32 | d.getValue();
        }
    }
}
