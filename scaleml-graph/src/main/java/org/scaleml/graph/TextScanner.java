package org.scaleml.graph;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A byte-level line and token scanner for the text graph formats: no per-line {@code String}, no regular
 * expressions; numbers are parsed straight from the buffer. Tracks the 1-based line number for messages.
 *
 * <p>Usage: {@code while (nextLine()) { int c = peek(); ... read tokens ...; endLine() or skipLine() }}.
 * Spaces, tabs and carriage returns separate tokens; blank lines are skipped by {@link #nextLine()}.
 */
final class TextScanner implements Closeable {
    private static final int MAX_TOKEN_ECHO = 40;

    private final InputStream in;
    private final Path file;
    private final CompressedInput.Compression compression;
    private final byte[] buf = new byte[CompressedInput.BUFFER];
    private int pos;
    private int lim;
    private boolean eof;
    private long line;

    TextScanner(CompressedInput.Opened opened, Path file) {
        this.in = opened.in();
        this.compression = opened.compression();
        this.file = file;
    }

    long line() {
        return line;
    }

    Path file() {
        return file;
    }

    GraphFormatException error(String detail) {
        return new GraphFormatException(file, line, detail);
    }

    private boolean fill() throws IOException {
        if (eof) {
            return false;
        }
        int r;
        try {
            do {
                r = in.read(buf, 0, buf.length);
            } while (r == 0);
        } catch (IOException e) {
            if (CompressedInput.isCorruption(e)) {
                throw new GraphFormatException(file, line, CompressedInput.corruption(compression, e), e);
            }
            throw new IOException(file + ":" + line + ": read failed: " + e.getMessage(), e);
        }
        if (r < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        lim = r;
        return true;
    }

    /** @return the next byte without consuming it, or -1 at end of input */
    int peek() throws IOException {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /** Consumes one byte (call only after {@link #peek()} returned a byte). */
    void advance() {
        pos++;
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isDelimiter(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == -1;
    }

    private int skipBlanks() throws IOException {
        for (;;) {
            if (pos == lim && !fill()) {
                return -1;
            }
            int c = buf[pos] & 0xff;
            if (!isBlank(c)) {
                return c;
            }
            pos++;
        }
    }

    /**
     * Moves to the first non-blank byte of the next non-blank line, counting lines.
     *
     * @return false at end of input
     */
    boolean nextLine() throws IOException {
        for (;;) {
            int c = skipBlanks();
            if (c == -1) {
                return false;
            }
            line++;
            if (c != '\n') {
                return true;
            }
            pos++;
        }
    }

    /** Consumes the rest of the current line including its newline. */
    void skipLine() throws IOException {
        for (;;) {
            if (pos == lim && !fill()) {
                return;
            }
            // Scan the buffer for the newline without per-byte method calls.
            byte[] b = buf;
            for (int i = pos; i < lim; i++) {
                if (b[i] == '\n') {
                    pos = i + 1;
                    return;
                }
            }
            pos = lim;
        }
    }

    /**
     * Requires that only blanks remain on the current line and consumes its newline.
     *
     * @throws GraphFormatException naming the unexpected token otherwise
     */
    void endLine() throws IOException {
        int c = skipBlanks();
        if (c == '\n') {
            pos++;
        } else if (c != -1) {
            throw error("unexpected extra token '" + readToken() + "'");
        }
    }

    /**
     * Consumes a one-letter line tag (such as {@code a} or {@code p}) and requires it to be followed by a
     * blank, so that {@code "abc"} is not taken for tag {@code a}.
     */
    void consumeTag() throws IOException {
        int tag = peek();
        pos++;
        int c = peek();
        if (!isDelimiter(c)) {
            throw error("unexpected line starting with '" + (char) tag + readToken() + "'");
        }
    }

    /** @return true if the current line has another token */
    boolean hasToken() throws IOException {
        int c = skipBlanks();
        return c != '\n' && c != -1;
    }

    /** Reads the rest of the current token as text (at most 40 characters kept, for messages). */
    private String readToken() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = peek();
            if (isDelimiter(c)) {
                return sb.toString();
            }
            if (sb.length() < MAX_TOKEN_ECHO) {
                sb.append((char) c); // control bytes are escaped by GraphFormatException
            } else if (sb.length() == MAX_TOKEN_ECHO) {
                sb.append("...");
            }
            pos++;
        }
    }

    /** @return the next token on the line as a string, or throws if the line has none */
    String nextWord(String what) throws IOException {
        int c = skipBlanks();
        if (c == '\n' || c == -1) {
            throw error("missing " + what);
        }
        byte[] tmp = new byte[16];
        int len = 0;
        for (;;) {
            c = peek();
            if (isDelimiter(c)) {
                return new String(tmp, 0, len, StandardCharsets.ISO_8859_1);
            }
            if (len == tmp.length) {
                if (len >= 4096) {
                    throw error("token longer than 4096 characters");
                }
                tmp = java.util.Arrays.copyOf(tmp, len * 2);
            }
            tmp[len++] = (byte) c;
            pos++;
        }
    }

    /**
     * Parses a decimal integer token (optional sign) directly from the buffer.
     *
     * @param what what the token is, for messages ("arc tail")
     * @throws GraphFormatException if the line has no more tokens, the token is not an integer, or it
     *     overflows a {@code long}
     */
    long nextLong(String what) throws IOException {
        int c = skipBlanks();
        if (c == '\n' || c == -1) {
            throw error("missing " + what);
        }
        boolean negative = false;
        if (c == '-' || c == '+') {
            negative = c == '-';
            pos++;
        }
        long value = 0;
        int digits = 0;
        for (;;) {
            if (pos == lim && !fill()) {
                break;
            }
            int d = buf[pos] - '0';
            if (d < 0 || d > 9) {
                break;
            }
            if (value > (Long.MAX_VALUE - d) / 10) {
                throw error(what + " '" + (negative ? "-" : "") + value + readToken() + "' is too large");
            }
            value = value * 10 + d;
            digits++;
            pos++;
        }
        c = peek();
        if (digits == 0 || !isDelimiter(c)) {
            String prefix = (negative ? "-" : "") + (digits > 0 ? Long.toString(value) : "");
            throw error("non-numeric " + what + " '" + prefix + readToken() + "'");
        }
        return negative ? -value : value;
    }

    /**
     * Parses an {@code int} token within {@code [min, max]}.
     *
     * @throws GraphFormatException if it is missing, non-numeric or out of range ("arc head 300000 outside 1..264346")
     */
    int nextInt(String what, long min, long max) throws IOException {
        long v = nextLong(what);
        if (v < min || v > max) {
            throw error(what + " " + v + " outside " + min + ".." + max);
        }
        return (int) v;
    }

    /** Parses a floating-point token (rare path: builds a short string). */
    /**
     * Reads the rest of a DIMACS-style problem line {@code p KIND N M} after its tag and the line end, checking
     * that the kind is {@code kind}; returns {@code {N, M}} with {@code M} named {@code countName} in errors.
     */
    long[] problemLine(String kind, String countName) throws IOException {
        String got = nextWord("problem type");
        if (!got.equals(kind)) {
            throw error("problem type '" + got + "', expected 'p " + kind + " N M'");
        }
        long n = nextInt("node count", 0, Integer.MAX_VALUE - 1);
        long m = nextLong(countName);
        if (m < 0) {
            throw error("negative " + countName + " " + m);
        }
        endLine();
        return new long[] {n, m};
    }

    double nextDouble(String what) throws IOException {
        String tok = nextWord(what);
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw error("non-numeric " + what + " '" + tok + "'");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
