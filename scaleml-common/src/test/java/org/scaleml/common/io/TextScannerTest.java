package org.scaleml.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextScannerTest {
    private static final Path FILE = Path.of("dir", "in.txt");

    /** Errors as InputFormatExceptions; token positions appear as "token k: ". */
    static InputErrors<IOException> errors() {
        return new InputErrors<>() {
            @Override
            public IOException malformed(long line, int token, String detail) {
                return new InputFormatException(FILE, line, (token > 0 ? "token " + token + ": " : "") + detail);
            }

            @Override
            public IOException corrupt(long line, Compression compression, IOException cause) {
                return new InputFormatException(FILE, line, compression.describeCorruption(cause), cause);
            }

            @Override
            public IOException failed(long line, IOException cause) {
                return new IOException("failed at " + line, cause);
            }
        };
    }

    private static TextScanner<IOException> scan(String text) {
        return scan(new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static TextScanner<IOException> scan(InputStream in) {
        return new TextScanner<>(in, Compression.PLAIN, errors());
    }

    /** Hands out one byte per read, so every token and line crosses buffer refills. */
    private static InputStream trickle(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        return new InputStream() {
            int i;

            @Override
            public int read() {
                return i < b.length ? b[i++] & 0xff : -1;
            }

            @Override
            public int read(byte[] dst, int off, int len) {
                if (i == b.length) {
                    return -1;
                }
                dst[off] = b[i++];
                return 1;
            }
        };
    }

    @Test
    void linesOfTokensParseNumbersAndCountLines() throws IOException {
        try (TextScanner<IOException> sc = scan("c comment\n\n a 1 -2\t+3 \r\np sp 7 x\n")) {
            assertThat(sc.nextLine()).isTrue();
            assertThat(sc.peek()).isEqualTo('c');
            sc.skipLine();
            assertThat(sc.nextLine()).isTrue();
            assertThat(sc.line()).isEqualTo(3);
            sc.consumeTag();
            assertThat(sc.nextLong("a")).isEqualTo(1);
            assertThat(sc.nextInt("b", -5, 5)).isEqualTo(-2);
            assertThat(sc.hasToken()).isTrue();
            assertThat(sc.nextLong("c")).isEqualTo(3);
            assertThat(sc.hasToken()).isFalse();
            sc.endLine();
            assertThat(sc.nextLine()).isTrue();
            sc.consumeTag();
            assertThat(sc.nextWord("kind")).isEqualTo("sp");
            assertThat(sc.nextLong("n")).isEqualTo(7);
            assertThatThrownBy(() -> sc.nextLong("count")).isInstanceOf(InputFormatException.class)
                    .hasMessage("in.txt:4: non-numeric count 'x'");
            assertThat(sc.nextLine()).isFalse();
        }
    }

    @Test
    void lineStyleErrorsNameTheLineAndTheToken() throws IOException {
        try (TextScanner<IOException> sc = scan("1 2 3\nabc\n99999999999999999999\n5 6\n")) {
            sc.nextLine();
            sc.nextLong("x");
            assertThatThrownBy(sc::endLine).hasMessage("in.txt:1: unexpected extra token '2'");
        }
        try (TextScanner<IOException> sc = scan("abc 1\n")) {
            sc.nextLine();
            assertThatThrownBy(sc::consumeTag).hasMessage("in.txt:1: unexpected line starting with 'abc'");
        }
        try (TextScanner<IOException> sc = scan("99999999999999999999\n")) {
            sc.nextLine();
            assertThatThrownBy(() -> sc.nextLong("id")).hasMessage("in.txt:1: id '99999999999999999999' is too large");
        }
        try (TextScanner<IOException> sc = scan("5 6\n")) {
            sc.nextLine();
            assertThatThrownBy(() -> sc.nextInt("head", 1, 4)).hasMessage("in.txt:1: head 5 outside 1..4");
            sc.nextLong("tail");
            assertThatThrownBy(() -> sc.nextLong("weight")).hasMessage("in.txt:1: missing weight");
            assertThat(sc.errorAt(9, 0, "declared here")).hasMessage("in.txt:9: declared here");
        }
    }

    @Test
    void numbersAndLinesSurviveBufferBoundaries() throws IOException {
        try (TextScanner<IOException> sc = scan(trickle("a 123456789012 -7\nb 2.5\n"))) {
            assertThat(sc.nextLine()).isTrue();
            sc.consumeTag();
            assertThat(sc.nextLong("x")).isEqualTo(123456789012L);
            assertThat(sc.nextLong("y")).isEqualTo(-7);
            sc.endLine();
            assertThat(sc.nextLine()).isTrue();
            sc.consumeTag();
            assertThat(sc.nextDouble("z")).isEqualTo(2.5);
            sc.endLine();
            assertThat(sc.nextLine()).isFalse();
        }
    }

    @Test
    void tokenStreamTracksLineAndPositionOfEachToken() throws IOException {
        try (TextScanner<IOException> sc = scan("# header line\nMARKOV 3\n\n  1\f2 0.5e1\n")) {
            assertThat(sc.skipLineIfStartsWith('#')).isTrue();
            assertThat(sc.peekEquals("MARKOV")).isTrue();
            assertThat(sc.nextToken("type")).isEqualTo("MARKOV");
            assertThat(sc.nextIntIn("n", 0, 10)).isEqualTo(3);
            assertThat(sc.tokenLine()).isEqualTo(2);
            assertThat(sc.tokenPosition()).isEqualTo(2);
            assertThat(sc.nextLongIn("a", 0, 10)).isEqualTo(1);
            assertThat(sc.nextLongIn("b", 0, 10)).isEqualTo(2); // a form feed separates tokens in this style
            assertThat(sc.tokenLine()).isEqualTo(4);
            assertThat(sc.tokenPosition()).isEqualTo(2);
            assertThat(sc.nextFinite("p")).isEqualTo(5.0);
            sc.expectEnd("the table");
            assertThat(sc.hasNext()).isFalse();
            assertThatThrownBy(() -> sc.nextToken("more")).hasMessage("in.txt:4: unexpected end of input, expected more");
        }
    }

    @Test
    void tokenStreamErrors() throws IOException {
        try (TextScanner<IOException> sc = scan(trickle("7 x\n-\n1e999 NaN 12 junk"))) {
            assertThatThrownBy(() -> sc.nextIntIn("n", 0, 5)).hasMessage("in.txt:1: token 1: n is 7, out of range 0..5");
            assertThatThrownBy(() -> sc.nextIntIn("m", 0, 5))
                    .hasMessage("in.txt:1: token 2: expected m (an integer), got 'x'");
            assertThatThrownBy(() -> sc.nextIntIn("k", 0, 5))
                    .hasMessage("in.txt:2: token 1: expected k (an integer), got '-'");
            assertThatThrownBy(() -> sc.nextFinite("p")).hasMessage("in.txt:3: token 1: p is '1e999', which is not finite");
            assertThatThrownBy(() -> sc.nextFinite("q")).hasMessage("in.txt:3: token 2: expected q (a number), got 'NaN'");
            sc.nextIntIn("r", 0, 20);
            assertThatThrownBy(() -> sc.expectEnd("r")).hasMessage("in.txt:3: token 4: trailing garbage 'junk' after r");
        }
    }

    @Test
    void tokenStreamLimitsTokenLengthInCharactersAndEchoesUtf8() throws IOException {
        String ok = "é".repeat(TextScanner.MAX_STREAM_TOKEN);
        try (TextScanner<IOException> sc = scan(ok + " " + ok + "é")) {
            assertThatThrownBy(() -> sc.nextIntIn("n", 0, 1)).hasMessage("in.txt:1: token 1: expected n (an integer), got '"
                    + ok + "'");
            assertThatThrownBy(() -> sc.nextToken("t")).hasMessage("in.txt:1: token 2: token longer than "
                    + TextScanner.MAX_STREAM_TOKEN + " characters");
        }
    }

    @Test
    void readLineSplitsAtLfCrAndCrLfLikeBufferedReader() throws IOException {
        String text = "a,b\r\nc\rd\n\n€ e\r";
        List<String> expected = new java.io.BufferedReader(new java.io.StringReader(text)).lines().toList();
        for (InputStream in : new InputStream[] {new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)),
                trickle(text)}) {
            try (TextScanner<IOException> sc = scan(in)) {
                List<String> got = new ArrayList<>();
                String s;
                while ((s = sc.readLine()) != null) {
                    got.add(s);
                    assertThat(sc.line()).isEqualTo(got.size());
                }
                assertThat(got).isEqualTo(expected).containsExactly("a,b", "c", "d", "", "€ e");
            }
        }
        try (TextScanner<IOException> sc = scan("no terminator")) {
            assertThat(sc.readLine()).isEqualTo("no terminator");
            assertThat(sc.readLine()).isNull();
        }
    }

    @Test
    void readFailuresGoToTheErrorPolicyWithTheLineBeingRead() throws IOException {
        InputStream failing = new InputStream() {
            boolean first = true;

            @Override
            public int read() throws IOException {
                throw new IOException("disk");
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (first) {
                    first = false;
                    b[off] = 'x';
                    b[off + 1] = '\n';
                    return 2;
                }
                throw new IOException("disk");
            }
        };
        try (TextScanner<IOException> sc = scan(failing)) {
            assertThat(sc.readLine()).isEqualTo("x");
            assertThatThrownBy(sc::readLine).hasMessage("failed at 2").hasRootCauseMessage("disk");
        }
    }
}
