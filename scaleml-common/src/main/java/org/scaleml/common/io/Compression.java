package org.scaleml.common.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * A compression format recognised by its magic bytes: a label for messages, the magic, and (unless the format is
 * only recognised in order to refuse it) how to decode it. {@link #PLAIN}, {@link #GZIP} (JDK), and the refused
 * {@link #BZIP2}, {@link #ZSTD} and {@link #ZIP} are defined here; a module that needs another format defines
 * its own with {@link #of} (the graph module adds xz this way, keeping this module free of dependencies).
 *
 * <p>Immutable and thread-safe.
 */
public final class Compression {
    /** Decodes a compressed stream. */
    @FunctionalInterface
    public interface Decoder {
        /** @return the decompressed view of {@code in}, which is buffered and positioned at the magic bytes */
        InputStream decode(InputStream in) throws IOException;
    }

    /** Describes a decompressor's exception for a message; {@code null} means the generic description. */
    @FunctionalInterface
    public interface Describer {
        String describe(IOException e);
    }

    /** Uncompressed input (no magic). */
    public static final Compression PLAIN = new Compression("plain", new byte[0], in -> in, e -> false, null);
    /** gzip ({@code 1f 8b}), decoded by {@link GZIPInputStream} with a {@value CompressedInput#BUFFER}-byte buffer. */
    public static final Compression GZIP = new Compression("gzip", new byte[] {0x1f, (byte) 0x8b},
            in -> new GZIPInputStream(in, CompressedInput.BUFFER), e -> false, null);
    /** bzip2 ({@code BZh}), recognised to be refused. */
    public static final Compression BZIP2 = refused("bzip2", new byte[] {'B', 'Z', 'h'});
    /** zstd ({@code 28 b5 2f fd}), recognised to be refused. */
    public static final Compression ZSTD = refused("zstd", new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd});
    /** zip ({@code PK 03 04}), recognised to be refused. */
    public static final Compression ZIP = refused("zip", new byte[] {'P', 'K', 3, 4});

    /** Longest magic this class can match. */
    static final int MAX_MAGIC = 8;

    private final String label;
    private final byte[] magic;
    private final Decoder decoder;
    private final java.util.function.Predicate<IOException> corruption;
    private final Describer describer;

    private Compression(String label, byte[] magic, Decoder decoder,
                        java.util.function.Predicate<IOException> corruption, Describer describer) {
        if (magic.length > MAX_MAGIC) {
            throw new IllegalArgumentException("magic longer than " + MAX_MAGIC + " bytes");
        }
        this.label = label;
        this.magic = magic.clone();
        this.decoder = decoder;
        this.corruption = corruption;
        this.describer = describer;
    }

    /**
     * A decodable format.
     *
     * @param label      its name in messages ("xz")
     * @param magic      the bytes every such stream starts with (at most 8)
     * @param decoder    how to decode it
     * @param corruption which of the decoder's exceptions, besides {@link EOFException} and {@link ZipException},
     *                   mean truncated or corrupt data
     * @param describer  a description of some of those exceptions for messages (returns {@code null} for the
     *                   generic one), or {@code null}
     */
    public static Compression of(String label, byte[] magic, Decoder decoder,
                                 java.util.function.Predicate<IOException> corruption, Describer describer) {
        return new Compression(label, magic, decoder, corruption, describer);
    }

    /** A format recognised only to be refused with a clear message. */
    public static Compression refused(String label, byte[] magic) {
        return new Compression(label, magic, null, e -> false, null);
    }

    /** @return the name used in messages ("gzip") */
    public String label() {
        return label;
    }

    /** @return false for a format recognised only to be refused */
    public boolean decodable() {
        return decoder != null;
    }

    boolean matches(byte[] head, int length) {
        if (length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if (head[i] != magic[i]) {
                return false;
            }
        }
        return true;
    }

    InputStream decode(InputStream in) throws IOException {
        return decoder.decode(in);
    }

    /**
     * True for the exceptions a decompressor throws on truncated or corrupt data: {@link EOFException},
     * {@link ZipException} and those the format adds.
     */
    public boolean isCorruption(IOException e) {
        return e instanceof EOFException || e instanceof ZipException || corruption.test(e);
    }

    /**
     * @return {@code truncated or corrupt LABEL data (reason)}, the reason being the exception's message (or
     *     "unexpected end of input" for an {@link EOFException} without one), unless the format describes
     *     the exception itself
     */
    public String describeCorruption(IOException e) {
        String own = describer == null ? null : describer.describe(e);
        if (own != null) {
            return own;
        }
        String reason = e.getMessage() != null ? e.getMessage()
                : e instanceof EOFException ? "unexpected end of input" : e.getClass().getSimpleName();
        return "truncated or corrupt " + label + " data (" + reason + ")";
    }

    @Override
    public String toString() {
        return label;
    }
}
