package org.scaleml.common.io;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A byte-level scanner for the text input formats: it reads a stream once through one buffer, parses numbers
 * straight from the buffer, counts lines, and reports problems through the caller's {@link InputErrors} (so a
 * reader throws its own exception type with {@code file:line} or {@code file:line: token k} positions).
 * Not thread-safe; closing it closes the stream.
 *
 * <p>It serves three reading styles; a reader uses one of them for a whole input.
 * <ul>
 *   <li><b>Lines of tokens</b> (graph formats): {@code while (nextLine()) { int c = peek(); ... nextLong(...)
 *       ...; endLine() or skipLine() }}. Spaces, tabs and carriage returns separate tokens; newlines end
 *       lines; {@link #nextLine()} skips blank lines and makes {@link #line()} the current line's number.
 *       Numbers are parsed without creating a {@code String}.</li>
 *   <li><b>A stream of tokens</b> where lines do not matter (UAI, evidence, MAR, alist): {@link #hasNext()},
 *       {@link #nextToken(String)}, {@link #nextLongIn(String, long, long)}, {@link #nextFinite(String)}... Every byte up
 *       to {@code ' '} (all ASCII controls included) separates tokens; each token remembers its line and its
 *       1-based position on that line ({@link #tokenLine()}, {@link #tokenPosition()}). Tokens are at most
 *       {@value #MAX_STREAM_TOKEN} UTF-16 characters (counted from UTF-8) and echoed decoded as UTF-8.</li>
 *   <li><b>Whole lines</b> (CSV, LIBSVM): {@link #readLine()} returns each line as a UTF-8 decoded {@code String},
 *       ending lines at {@code \n}, {@code \r} or {@code \r\n}, exactly as {@link java.io.BufferedReader#readLine()}
 *       does.</li>
 * </ul>
 *
 * @param <E> the exception type of the reader's {@link InputErrors}
 */
public final class TextScanner<E extends Exception> implements Closeable {
    /*
     * One byte buffer and two cursors (pos, lim); fill() refills it from the stream and hands failures to the
     * errors policy with the line being read, which each style counts its own way: the line-of-tokens style
     * numbers the current line when nextLine() enters it (so a check after endLine() still names that line);
     * the stream style counts newlines consumed (line of the cursor); the whole-line style counts lines
     * returned. The hot loops (skipLine's newline search, the digit loop of nextLong) index the array
     * directly and touch no other state.
     *
     * Size. This class stays one file above 500 lines on purpose: a fifth of it is the contract and these
     * comments, and the three styles are three faces of one buffer, its refill and its error policy, which the
     * hot loops read as plain fields. A class per style would either re-implement the buffer three times or
     * reach it through a shared base from the hot loops, and the readers of three modules (graphs, factor
     * graphs, data sets) would each have to change the type they hold; the one type keeps them on one scanner.
     */

    /** Longest token of the token-stream style, in UTF-16 characters. */
    public static final int MAX_STREAM_TOKEN = 128;
    /** Longest token {@link #nextWord} keeps. */
    private static final int MAX_WORD = 4096;
    /** Longest token text echoed in a message of the line style. */
    private static final int MAX_TOKEN_ECHO = 40;

    private final InputStream in;
    private final Compression compression;
    private final InputErrors<E> errors;
    private final byte[] buf = new byte[CompressedInput.BUFFER];
    private int pos;
    private int lim;
    private boolean eof;

    /** Line style: the current line; whole-line style: lines returned; stream style: unused. */
    private long line;

    // Stream style.
    private long cursorLine = 1;
    private int tokensOnLine;
    private byte[] tok;
    private int tokLen;
    private boolean peeked;
    private long tokLine;
    private int tokPos;

    /** Whole-line style: the bytes of the line being assembled. */
    private byte[] lineBytes;

    /**
     * @param opened the input and its compression (the compression is passed to {@link InputErrors#corrupt})
     * @param errors builds the exceptions
     */
    public TextScanner(CompressedInput.Opened opened, InputErrors<E> errors) {
        this(opened.in(), opened.compression(), errors);
    }

    /**
     * @param in          the (already decompressed) input; the scanner buffers it itself
     * @param compression what {@code in} was compressed with, for {@link InputErrors#corrupt}
     * @param errors      builds the exceptions
     */
    public TextScanner(InputStream in, Compression compression, InputErrors<E> errors) {
        this.in = in;
        this.compression = compression;
        this.errors = errors;
    }

    // ---------------------------------------------------------------- buffer

    private boolean fill(long lineForErrors) throws E {
        if (eof) {
            return false;
        }
        int r;
        try {
            do {
                r = in.read(buf, 0, buf.length);
            } while (r == 0);
        } catch (IOException e) {
            throw compression.isCorruption(e) ? errors.corrupt(lineForErrors, compression, e)
                    : errors.failed(lineForErrors, e);
        }
        if (r < 0) {
            eof = true;
            return false;
        }
        pos = 0;
        lim = r;
        return true;
    }

    private boolean fill() throws E {
        return fill(line);
    }

    // ------------------------------------------------------------ line style

    /** @return the current line (line style) or the number of lines returned (whole-line style) */
    public long line() {
        return line;
    }

    /** @return an error on the current line ({@code malformed(line(), 0, detail)}) */
    public E error(String detail) {
        return errors.malformed(line, 0, detail);
    }

    /**
     * @return an error at a position remembered earlier (any style), such as a count declared on another line
     * @param line  1-based line, or 0 for the whole input
     * @param token 1-based token position on that line, or 0
     */
    public E errorAt(long line, int token, String detail) {
        return errors.malformed(line, token, detail);
    }

    /** @return the next byte without consuming it, or -1 at end of input */
    public int peek() throws E {
        if (pos == lim && !fill()) {
            return -1;
        }
        return buf[pos] & 0xff;
    }

    /** Consumes one byte (call only after {@link #peek()} returned one). */
    public void advance() {
        pos++;
    }

    private static boolean isBlank(int c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isDelimiter(int c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == -1;
    }

    private int skipBlanks() throws E {
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
    public boolean nextLine() throws E {
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
    public void skipLine() throws E {
        for (;;) {
            if (pos == lim && !fill()) {
                return;
            }
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

    /** Requires that only blanks remain on the current line ({@code unexpected extra token 'x'}) and consumes its newline. */
    public void endLine() throws E {
        int c = skipBlanks();
        if (c == '\n') {
            pos++;
        } else if (c != -1) {
            throw error("unexpected extra token '" + readToken() + "'");
        }
    }

    /**
     * Consumes a one-letter line tag (such as {@code a} or {@code p}) and requires a blank after it, so that
     * {@code abc} is not taken for tag {@code a} ({@code unexpected line starting with 'abc'}).
     */
    public void consumeTag() throws E {
        int tag = peek();
        pos++;
        int c = peek();
        if (!isDelimiter(c)) {
            throw error("unexpected line starting with '" + (char) tag + readToken() + "'");
        }
    }

    /** @return true if the current line has another token */
    public boolean hasToken() throws E {
        int c = skipBlanks();
        return c != '\n' && c != -1;
    }

    /** Reads the rest of the current token as text for a message (at most 40 characters kept). */
    private String readToken() throws E {
        StringBuilder sb = new StringBuilder();
        for (;;) {
            int c = peek();
            if (isDelimiter(c)) {
                return sb.toString();
            }
            if (sb.length() < MAX_TOKEN_ECHO) {
                sb.append((char) c); // control bytes are escaped by the exception
            } else if (sb.length() == MAX_TOKEN_ECHO) {
                sb.append("...");
            }
            pos++;
        }
    }

    /**
     * @param what what the token is, for messages ({@code missing WHAT})
     * @return the next token on the line, as ISO-8859-1 text (at most 4096 bytes)
     */
    public String nextWord(String what) throws E {
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
                if (len >= MAX_WORD) {
                    throw error("token longer than " + MAX_WORD + " characters");
                }
                tmp = Arrays.copyOf(tmp, len * 2);
            }
            tmp[len++] = (byte) c;
            pos++;
        }
    }

    /**
     * Parses a decimal integer token (optional sign) straight from the buffer.
     *
     * @param what what the token is, for messages ("arc tail")
     * @throws E ({@code missing WHAT}, {@code non-numeric WHAT 'x'}, {@code WHAT '123...' is too large})
     */
    public long nextLong(String what) throws E {
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
     * @throws E as {@link #nextLong(String)}, and {@code WHAT v outside min..max}
     */
    public int nextInt(String what, long min, long max) throws E {
        long v = nextLong(what);
        if (v < min || v > max) {
            throw error(what + " " + v + " outside " + min + ".." + max);
        }
        return (int) v;
    }

    /** Parses a floating-point token ({@link Double#parseDouble}; rare path: builds a short string). */
    public double nextDouble(String what) throws E {
        String tok = nextWord(what);
        try {
            return Double.parseDouble(tok);
        } catch (NumberFormatException e) {
            throw error("non-numeric " + what + " '" + tok + "'");
        }
    }

    // ---------------------------------------------------------- stream style

    private int readByte() throws E {
        if (pos == lim && !fill(cursorLine)) {
            return -1;
        }
        return buf[pos++] & 0xff;
    }

    /** Skips whitespace (every byte up to ' '), counting newlines; returns the first other byte, consumed, or -1. */
    private int skipWhitespace() throws E {
        int c;
        do {
            c = readByte();
            if (c == '\n') {
                cursorLine++;
                tokensOnLine = 0;
            }
        } while (c >= 0 && c <= ' ');
        return c;
    }

    /**
     * If the next non-blank line starts with {@code prefix} (such as {@code #}), skips that whole line. Call
     * before any token is read.
     *
     * @return true if a line was skipped
     */
    public boolean skipLineIfStartsWith(char prefix) throws E {
        if (peeked) {
            throw new IllegalStateException("a token was already read");
        }
        int c = skipWhitespace();
        if (c < 0) {
            return false;
        }
        if (c != prefix) {
            pos--;
            return false;
        }
        while ((c = readByte()) >= 0 && c != '\n') {
            // the rest of the line
        }
        if (c == '\n') {
            cursorLine++;
            tokensOnLine = 0;
        }
        return true;
    }

    private boolean fillToken() throws E {
        if (peeked) {
            return true;
        }
        int c = skipWhitespace();
        if (c < 0) {
            return false;
        }
        tokensOnLine++;
        tokLine = cursorLine;
        tokPos = tokensOnLine;
        tokLen = 0;
        if (tok == null) {
            tok = new byte[3 * MAX_STREAM_TOKEN];
        }
        int chars = 0;
        while (c > ' ') {
            // UTF-16 length of the UTF-8 text: a lead byte starts one char (two for a 4-byte sequence).
            if (c < 0x80 || c >= 0xc0) {
                chars += c >= 0xf0 ? 2 : 1;
            }
            if (chars > MAX_STREAM_TOKEN || tokLen == tok.length) {
                throw errorAtToken("token longer than " + MAX_STREAM_TOKEN + " characters");
            }
            tok[tokLen++] = (byte) c;
            c = readByte();
        }
        if (c >= 0) {
            pos--;
        }
        peeked = true;
        return true;
    }

    /** @return true if another token follows (it is read ahead, not consumed) */
    public boolean hasNext() throws E {
        return fillToken();
    }

    /** @return true if another token follows and its text is {@code text} (ASCII); the token is not consumed */
    public boolean peekEquals(String text) throws E {
        if (!fillToken() || tokLen != text.length()) {
            return false;
        }
        for (int i = 0; i < tokLen; i++) {
            if (tok[i] != text.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /** @return the 1-based line of the last token read or peeked, 0 before any */
    public long tokenLine() {
        return tokLine;
    }

    /** @return the 1-based position on its line of the last token read or peeked, 0 before any */
    public int tokenPosition() {
        return tokPos;
    }

    /** @return an error at the last token read or peeked ({@code malformed(tokenLine, tokenPosition, reason)}) */
    public E errorAtToken(String reason) {
        return tokLine == 0 ? errors.malformed(cursorLine, 0, reason) : errors.malformed(tokLine, tokPos, reason);
    }

    /** @return an error at end of input, with no token: at the line of the last token, where the data stops */
    public E errorAtEnd(String reason) {
        return errors.malformed(tokLine > 0 ? tokLine : cursorLine, 0, reason);
    }

    private void need(String what) throws E {
        if (!fillToken()) {
            throw errorAtEnd("unexpected end of input, expected " + what);
        }
        peeked = false;
    }

    /** @return the next token as text ({@code unexpected end of input, expected WHAT} if there is none) */
    public String nextToken(String what) throws E {
        need(what);
        return current();
    }

    /**
     * The next token, a decimal integer (optional sign) in {@code [min, max]}, parsed without a {@code String}.
     *
     * @throws E {@code expected WHAT (an integer), got 'x'} or {@code WHAT is v, out of range min..max}
     */
    public long nextLongIn(String what, long min, long max) throws E {
        need(what);
        long v = 0;
        int i = 0;
        boolean neg = false;
        if (tok[0] == '-' || tok[0] == '+') {
            neg = tok[0] == '-';
            i = 1;
        }
        if (i == tokLen) {
            throw errorAtToken("expected " + what + " (an integer), got '" + current() + "'");
        }
        for (; i < tokLen; i++) {
            int c = tok[i];
            if (c < '0' || c > '9') {
                throw errorAtToken("expected " + what + " (an integer), got '" + current() + "'");
            }
            if (v > (Long.MAX_VALUE - 9) / 10) {
                throw errorAtToken(what + " is " + current() + ", out of range " + min + ".." + max);
            }
            v = v * 10 + (c - '0');
        }
        if (neg) {
            v = -v;
        }
        if (v < min || v > max) {
            throw errorAtToken(what + " is " + v + ", out of range " + min + ".." + max);
        }
        return v;
    }

    /** As {@link #nextLongIn(String, long, long)}, for an {@code int}. */
    public int nextIntIn(String what, int min, int max) throws E {
        return (int) nextLongIn(what, min, max);
    }

    /**
     * The next token, a finite decimal number ({@code [+-]digits[.digits][(e|E)[+-]digits]}; no {@code NaN},
     * {@code Infinity}, hexadecimal or type suffixes).
     *
     * @throws E {@code expected WHAT (a number), got 'x'} or {@code WHAT is 'x', which is not finite}
     */
    public double nextFinite(String what) throws E {
        need(what);
        boolean digits = false;
        for (int i = 0; i < tokLen; i++) {
            int c = tok[i];
            if (c >= '0' && c <= '9') {
                digits = true;
            } else if (c != '.' && c != 'e' && c != 'E' && c != '+' && c != '-') {
                throw errorAtToken("expected " + what + " (a number), got '" + current() + "'");
            }
        }
        if (!digits) {
            throw errorAtToken("expected " + what + " (a number), got '" + current() + "'");
        }
        String text = new String(tok, 0, tokLen, StandardCharsets.ISO_8859_1); // checked ASCII above
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            throw errorAtToken("expected " + what + " (a number), got '" + text + "'");
        }
        if (!Double.isFinite(d)) {
            throw errorAtToken(what + " is '" + text + "', which is not finite");
        }
        return d;
    }

    /** @return the last token read or peeked, decoded as UTF-8 (for messages) */
    public String current() {
        return tok == null ? "" : new String(tok, 0, tokLen, StandardCharsets.UTF_8);
    }

    /** Fails ({@code trailing garbage 'x' after AFTER}) if any token remains. */
    public void expectEnd(String after) throws E {
        if (fillToken()) {
            throw errorAtToken("trailing garbage '" + current() + "' after " + after);
        }
    }

    // ------------------------------------------------------ whole-line style

    /**
     * Reads the next line as text, decoded as UTF-8, without its terminator ({@code \n}, {@code \r} or
     * {@code \r\n}); the terminator of the last line is optional. {@link #line()} then counts it.
     *
     * @return the line, or {@code null} at end of input
     */
    public String readLine() throws E {
        long reading = line + 1;
        if (pos == lim && !fill(reading)) {
            return null;
        }
        int len = 0;
        for (;;) {
            int start = pos;
            int i = start;
            while (i < lim && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            if (i < lim) {
                String s;
                if (len == 0) {
                    s = new String(buf, start, i - start, StandardCharsets.UTF_8);
                } else {
                    len = append(len, start, i);
                    s = new String(lineBytes, 0, len, StandardCharsets.UTF_8);
                }
                boolean cr = buf[i] == '\r';
                pos = i + 1;
                if (cr && (pos < lim || fill(reading)) && buf[pos] == '\n') {
                    pos++;
                }
                line = reading;
                return s;
            }
            len = append(len, start, lim);
            pos = lim;
            if (!fill(reading)) {
                line = reading;
                return new String(lineBytes, 0, len, StandardCharsets.UTF_8);
            }
        }
    }

    private int append(int len, int from, int to) {
        int n = to - from;
        if (lineBytes == null) {
            lineBytes = new byte[Math.max(256, n)];
        }
        if (len + n > lineBytes.length) {
            if ((long) len + n > Integer.MAX_VALUE - 8) {
                throw new OutOfMemoryError("line longer than " + (Integer.MAX_VALUE - 8) + " bytes");
            }
            lineBytes = Arrays.copyOf(lineBytes, (int) Math.min(Integer.MAX_VALUE - 8L,
                    Math.max((long) len + n, 2L * lineBytes.length)));
        }
        System.arraycopy(buf, from, lineBytes, len, n);
        return len + n;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
