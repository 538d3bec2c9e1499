package org.scaleml.graph;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;
import org.scaleml.common.io.CompressedInput;
import org.scaleml.common.io.Compression;
import org.scaleml.common.io.InputErrors;
import org.scaleml.common.io.TextScanner;
import org.tukaani.xz.MemoryLimitException;
import org.tukaani.xz.XZIOException;
import org.tukaani.xz.XZInputStream;

/**
 * The graph readers' text input: the shared {@link TextScanner} over a stream opened by magic bytes as plain
 * text, gzip or xz ({@code fd 37 7a 58 5a 00}, the one format this module adds, through
 * {@link Compression#of}); bzip2, zstd and zip are recognised and refused. Problems are
 * {@link GraphFormatException}s ({@code file:line: what}); other read failures are {@link IOException}s
 * {@code path:line: read failed: reason}.
 *
 * <p>An xz header declares the dictionary size the decoder allocates before any data is decoded; a stream that
 * needs more than {@value #XZ_MEMORY_LIMIT_MIB} MiB (twice what {@code xz -9} needs) is refused, so a tiny hostile
 * file cannot make the reader allocate gigabytes.
 */
final class GraphText {
    /** Most memory the xz decoder may use, in MiB (its dictionary, as declared by the stream). */
    static final int XZ_MEMORY_LIMIT_MIB = 128;

    static final Compression XZ = Compression.of("xz", new byte[] {(byte) 0xfd, '7', 'z', 'X', 'Z', 0},
            in -> new BufferedInputStream(new XZInputStream(in, XZ_MEMORY_LIMIT_MIB << 10), CompressedInput.BUFFER),
            e -> e instanceof XZIOException, GraphText::describeXz);

    /** Plain, gzip or xz; bzip2, zstd and zip refused. */
    static final CompressedInput OPENER = new CompressedInput(List.of(Compression.GZIP, XZ, Compression.BZIP2,
            Compression.ZSTD, Compression.ZIP));

    private GraphText() {
    }

    private static String describeXz(IOException e) {
        if (e instanceof MemoryLimitException m) {
            return "xz data that needs " + ((m.getMemoryNeeded() + 1023) >> 10) + " MiB of memory to decompress, more"
                    + " than the limit of " + XZ_MEMORY_LIMIT_MIB + " MiB (recompress with a smaller dictionary,"
                    + " e.g. xz -6)";
        }
        return null;
    }

    /** The error policy for {@code file} ({@code null} for an anonymous stream). */
    static InputErrors<IOException> errors(Path file) {
        return new InputErrors<>() {
            @Override
            public IOException malformed(long line, int token, String detail) {
                return new GraphFormatException(file, line, detail);
            }

            @Override
            public IOException corrupt(long line, Compression compression, IOException cause) {
                return new GraphFormatException(file, line, compression.describeCorruption(cause), cause);
            }

            @Override
            public IOException failed(long line, IOException cause) {
                return new IOException(file + ":" + line + ": read failed: " + cause.getMessage(), cause);
            }
        };
    }

    /** Opens {@code file} (decompressed) for the readers. */
    static TextScanner<IOException> open(Path file) throws IOException {
        InputErrors<IOException> errors = errors(file);
        return new TextScanner<>(OPENER.open(file, errors), errors);
    }

    /** Opens a stream (decompressed; closing the scanner closes {@code in}), naming it {@code name} in errors. */
    static TextScanner<IOException> open(InputStream in, Path name) throws IOException {
        InputErrors<IOException> errors = errors(name);
        return new TextScanner<>(OPENER.open(in, errors), errors);
    }
}
