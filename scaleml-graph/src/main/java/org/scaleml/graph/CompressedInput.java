package org.scaleml.graph;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZInputStream;

/**
 * Opens possibly compressed input, recognising the compression by its magic bytes (not the file name):
 * gzip ({@code 1f 8b}), xz ({@code fd 37 7a 58 5a 00}) or plain text. bzip2, zstd and zip are recognised and
 * refused with a clear message.
 *
 * <p>An xz header declares the dictionary size the decoder allocates before any data is decoded; a stream that
 * needs more than {@value #XZ_MEMORY_LIMIT_MIB} MiB (twice what {@code xz -9} needs) is refused, so a tiny hostile
 * file cannot make the reader allocate gigabytes.
 */
final class CompressedInput {
    static final int BUFFER = 1 << 16;
    /** Most memory the xz decoder may use, in MiB (its dictionary, as declared by the stream). */
    static final int XZ_MEMORY_LIMIT_MIB = 128;

    enum Compression {
        NONE("plain"), GZIP("gzip"), XZ("xz");

        final String label;

        Compression(String label) {
            this.label = label;
        }
    }

    /** A decompressed stream and the compression it had. */
    record Opened(InputStream in, Compression compression) {
    }

    private CompressedInput() {
    }

    static Opened open(Path file) throws IOException {
        InputStream raw = Files.newInputStream(file);
        try {
            return open(raw, file);
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    static Opened open(InputStream raw, Path file) throws IOException {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(8);
        byte[] head = new byte[6];
        int got = in.readNBytes(head, 0, head.length);
        in.reset();
        Compression c = sniff(head, got, file);
        try {
            switch (c) {
                case GZIP:
                    return new Opened(new GZIPInputStream(in, BUFFER), c);
                case XZ:
                    return new Opened(new BufferedInputStream(new XZInputStream(in, XZ_MEMORY_LIMIT_MIB << 10), BUFFER), c);
                default:
                    return new Opened(in, c);
            }
        } catch (EOFException | ZipException | XZIOException e) {
            throw new GraphFormatException(file, 0, corruption(c, e), e);
        }
    }

    static Compression sniff(byte[] h, int len, Path file) throws GraphFormatException {
        if (len >= 2 && (h[0] & 0xff) == 0x1f && (h[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (len >= 6 && (h[0] & 0xff) == 0xfd && h[1] == '7' && h[2] == 'z' && h[3] == 'X' && h[4] == 'Z' && h[5] == 0) {
            return Compression.XZ;
        }
        String refused = null;
        if (len >= 3 && h[0] == 'B' && h[1] == 'Z' && h[2] == 'h') {
            refused = "bzip2";
        } else if (len >= 4 && (h[0] & 0xff) == 0x28 && (h[1] & 0xff) == 0xb5 && (h[2] & 0xff) == 0x2f
                && (h[3] & 0xff) == 0xfd) {
            refused = "zstd";
        } else if (len >= 4 && h[0] == 'P' && h[1] == 'K' && h[2] == 3 && h[3] == 4) {
            refused = "zip";
        }
        if (refused != null) {
            throw new GraphFormatException(file, 0, refused
                    + "-compressed input is not supported; use plain text, gzip or xz");
        }
        return Compression.NONE;
    }

    /** @return "truncated or corrupt KIND data (reason)" for a decompressor's exception */
    static String corruption(Compression c, IOException e) {
        if (e instanceof MemoryLimitException m) {
            return "xz data that needs " + ((m.getMemoryNeeded() + 1023) >> 10) + " MiB of memory to decompress, more"
                    + " than the limit of " + XZ_MEMORY_LIMIT_MIB + " MiB (recompress with a smaller dictionary,"
                    + " e.g. xz -6)";
        }
        String reason = e.getMessage() != null ? e.getMessage()
                : e instanceof EOFException ? "unexpected end of input" : e.getClass().getSimpleName();
        return "truncated or corrupt " + c.label + " data (" + reason + ")";
    }

    /** True for the exceptions decompressors throw on truncated or corrupt data. */
    static boolean isCorruption(IOException e) {
        return e instanceof EOFException || e instanceof ZipException || e instanceof XZIOException;
    }
}
