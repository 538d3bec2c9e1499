package org.scaleml.bp.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/**
 * Reads whitespace-separated tokens from a text stream once, tracking the line and the token's position on it, so
 * every reader in this library reports malformed input as {@code file:line: token k: reason}
 * ({@link ModelFormatException}).
 *
 * <p>Whitespace is any character {@code <= ' '} (spaces, tabs, {@code \r}, {@code \n}); lines end at {@code \n}, so
 * CRLF files work. A token longer than {@value #MAX_TOKEN} characters is an error (no unbounded buffering). Files whose
 * name ends in {@code .gz} are gunzipped. Not thread-safe; close it (it owns the stream).
 */
public final class TokenScanner implements Closeable {
    /** Longest token accepted. */
    public static final int MAX_TOKEN = 128;

    private final Reader in;
    private final String name;
    private final char[] buf = new char[1 << 16];
    private int pos;
    private int lim;
    private final char[] tok = new char[MAX_TOKEN];
    private int tokLen;
    private boolean peeked;
    private long line = 1;
    private int tokenOnLine;
    private long tokLine;
    private int tokPos;
    private long charsRead;

    /** Scans {@code in} (UTF-8 / ASCII) under the label {@code name}. */
    public TokenScanner(InputStream in, String name) {
        this.in = new InputStreamReader(in, StandardCharsets.UTF_8);
        this.name = name;
    }

    /** Opens {@code file}, gunzipping it if its name ends in {@code .gz}; the label is the path as given. */
    public static TokenScanner open(Path file) throws IOException {
        InputStream s = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
        try {
            if (file.getFileName() != null && file.getFileName().toString().endsWith(".gz")) {
                s = new GZIPInputStream(s, 1 << 16);
            }
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return new TokenScanner(s, file.toString());
    }

    /** The label used in error messages. */
    public String name() {
        return name;
    }

    /** Line of the last token returned (or the current line before any). */
    public long line() {
        return peeked || tokLine == 0 ? line : tokLine;
    }

    /** Line of the last token read (0 before any). */
    public long tokenLine() {
        return tokLine;
    }

    /** 1-based position on its line of the last token read (0 before any). */
    public int tokenPosition() {
        return tokPos;
    }

    /** Characters consumed so far. */
    public long charsRead() {
        return charsRead;
    }

    private int read() {
        if (pos == lim) {
            try {
                lim = in.read(buf, 0, buf.length);
            } catch (IOException e) {
                throw new UncheckedIOException(name + ":" + line + ": read failed: " + e.getMessage(), e);
            }
            pos = 0;
            if (lim <= 0) {
                lim = 0;
                return -1;
            }
        }
        charsRead++;
        return buf[pos++];
    }

    private void unread() {
        pos--;
        charsRead--;
    }

    /**
     * If the next non-blank line starts with {@code prefix} (e.g. {@code "#"}), skips that whole line. Call before any
     * token is read. Returns true if a line was skipped.
     */
    public boolean skipLineIfStartsWith(char prefix) {
        if (peeked) {
            throw new IllegalStateException("a token was already read");
        }
        int c;
        do {
            c = read();
            if (c == '\n') {
                line++;
                tokenOnLine = 0;
            }
        } while (c >= 0 && c <= ' ');
        if (c < 0) {
            return false;
        }
        if (c != prefix) {
            unread();
            return false;
        }
        while ((c = read()) >= 0 && c != '\n') {
            // skip the rest
        }
        if (c == '\n') {
            line++;
            tokenOnLine = 0;
        }
        return true;
    }

    private boolean fill() {
        if (peeked) {
            return true;
        }
        int c;
        do {
            c = read();
            if (c == '\n') {
                line++;
                tokenOnLine = 0;
            }
        } while (c >= 0 && c <= ' ');
        if (c < 0) {
            return false;
        }
        tokenOnLine++;
        tokLine = line;
        tokPos = tokenOnLine;
        tokLen = 0;
        while (c > ' ') {
            if (tokLen == MAX_TOKEN) {
                throw error("token longer than " + MAX_TOKEN + " characters");
            }
            tok[tokLen++] = (char) c;
            c = read();
        }
        if (c >= 0) {
            unread();
        }
        peeked = true;
        return true;
    }

    /** True if another token follows and its text equals {@code text} (the token is not consumed). */
    public boolean peekEquals(String text) {
        if (!fill() || tokLen != text.length()) {
            return false;
        }
        for (int i = 0; i < tokLen; i++) {
            if (tok[i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** True if another token follows. */
    public boolean hasNext() {
        return fill();
    }

    /** An error at the current (last read or peeked) token. */
    public ModelFormatException error(String reason) {
        return tokLine == 0 ? new ModelFormatException(name, line, 0, reason)
                : new ModelFormatException(name, tokLine, tokPos, reason);
    }

    /** An error at end of input, with no token: reported at the line of the last token (where the data stops). */
    public ModelFormatException errorAtEnd(String reason) {
        return new ModelFormatException(name, tokLine > 0 ? tokLine : line, 0, reason);
    }

    private void need(String what) {
        if (!fill()) {
            throw errorAtEnd("unexpected end of input, expected " + what);
        }
        peeked = false;
    }

    /** The next token as a string. */
    public String next(String what) {
        need(what);
        return new String(tok, 0, tokLen);
    }

    /** The next token, which must be a decimal integer (optional sign) in {@code [min, max]}. */
    public long nextLong(String what, long min, long max) {
        need(what);
        long v = 0;
        int i = 0;
        boolean neg = false;
        if (tok[0] == '-' || tok[0] == '+') {
            neg = tok[0] == '-';
            i = 1;
        }
        if (i == tokLen) {
            throw error("expected " + what + " (an integer), got '" + current() + "'");
        }
        for (; i < tokLen; i++) {
            char c = tok[i];
            if (c < '0' || c > '9') {
                throw error("expected " + what + " (an integer), got '" + current() + "'");
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                throw error(what + " is " + current() + ", out of range " + min + ".." + max);
            }
            v = v * 10 + (c - '0');
        }
        if (neg) {
            v = -v;
        }
        if (v < min || v > max) {
            throw error(what + " is " + v + ", out of range " + min + ".." + max);
        }
        return v;
    }

    /** The next token as an int in {@code [min, max]}. */
    public int nextInt(String what, int min, int max) {
        return (int) nextLong(what, min, max);
    }

    /**
     * The next token, which must be a finite decimal number ({@code [+-]digits[.digits][(e|E)[+-]digits]}; no
     * {@code NaN}, {@code Infinity}, hexadecimal or type suffixes).
     */
    public double nextDouble(String what) {
        need(what);
        boolean digits = false;
        for (int i = 0; i < tokLen; i++) {
            char c = tok[i];
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                throw error("expected " + what + " (a number), got '" + current() + "'");
            }
        }
        if (!digits) {
            throw error("expected " + what + " (a number), got '" + current() + "'");
        }
        double d;
        try {
            d = Double.parseDouble(current());
        } catch (NumberFormatException e) {
            throw error("expected " + what + " (a number), got '" + current() + "'");
        }
        if (!Double.isFinite(d)) {
            throw error(what + " is '" + current() + "', which is not finite");
        }
        return d;
    }

    /** The last token read, as text (for messages). */
    public String current() {
        return new String(tok, 0, tokLen);
    }

    /** Fails if any token remains. */
    public void expectEnd(String after) {
        if (fill()) {
            throw error("trailing garbage '" + current() + "' after " + after);
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
