package org.scaleml.common.io;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Opens possibly compressed input, recognising the compression by its magic bytes, never by the file name: each
 * opener knows a list of {@link Compression}s; input that starts with none of their magics is plain text. A
 * format recognised only to be refused stops with {@code KIND-compressed input is not supported; use plain
 * text, A or B} (the decodable formats this opener knows).
 *
 * <p>Immutable and thread-safe; each {@link #open} returns a new stream.
 */
public final class CompressedInput {
    /** Buffer size of the raw and decoded streams, in bytes. */
    public static final int BUFFER = 1 << 16;

    /** Opens gzip and plain text only, refusing nothing (a bzip2 file, say, reads as plain text). */
    public static final CompressedInput GZIP_ONLY = new CompressedInput(List.of(Compression.GZIP));

    private final List<Compression> formats;
    private final String supported;

    /**
     * @param formats the formats to recognise, decodable or refused, tried in order
     */
    public CompressedInput(List<Compression> formats) {
        this.formats = List.copyOf(formats);
        List<String> names = new ArrayList<>();
        for (Compression c : this.formats) {
            if (c.decodable()) {
                names.add(c.label());
            }
        }
        StringBuilder sb = new StringBuilder("plain text");
        for (int i = 0; i < names.size(); i++) {
            sb.append(i == names.size() - 1 ? " or " : ", ").append(names.get(i));
        }
        this.supported = sb.toString();
    }

    /** A decompressed stream (closing it closes the source) and the compression it had. */
    public record Opened(InputStream in, Compression compression) {
    }

    /**
     * Opens {@code file}.
     *
     * @param errors builds the exception for a refused format ({@code malformed(0, 0, ...)}) and for a corrupt
     *     compressed header ({@code corrupt(0, ...)})
     * @throws IOException if the file cannot be opened (propagated unchanged)
     */
    public <E extends Exception> Opened open(Path file, InputErrors<E> errors) throws IOException, E {
        InputStream raw = Files.newInputStream(file);
        try {
            return open(raw, errors);
        } catch (Exception e) {
            raw.close();
            throw e;
        }
    }

    /**
     * Opens {@code raw}, which the returned stream then owns (closing it closes {@code raw}).
     *
     * @see #open(Path, InputErrors)
     */
    public <E extends Exception> Opened open(InputStream raw, InputErrors<E> errors) throws IOException, E {
        BufferedInputStream in = new BufferedInputStream(raw, BUFFER);
        in.mark(Compression.MAX_MAGIC);
        byte[] head = new byte[Compression.MAX_MAGIC];
        int got = in.readNBytes(head, 0, head.length);
        in.reset();
        Compression c = detect(head, got);
        if (!c.decodable()) {
            throw errors.malformed(0, 0, c.label() + "-compressed input is not supported; use " + supported);
        }
        try {
            return new Opened(c.decode(in), c);
        } catch (IOException e) {
            if (c.isCorruption(e)) {
                throw errors.corrupt(0, c, e);
            }
            throw e;
        }
    }

    /** @return the first format whose magic starts {@code head[0..length)}, else {@link Compression#PLAIN} */
    Compression detect(byte[] head, int length) {
        for (Compression c : formats) {
            if (c.matches(head, length)) {
                return c;
            }
        }
        return Compression.PLAIN;
    }
}
