package org.scaleml.bp.ldpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scaleml.bp.io.ModelFormatException;
import org.scaleml.bp.io.SharedData;

class AlistReaderTest {
    /** The (7,4) Hamming code: rows {1,2,3,5}, {1,2,4,6}, {1,3,4,7} (1-based), columns padded with 0. */
    static final String HAMMING = """
            # Hamming (7,4)
            7 3
            3 4
            3 2 2 2 1 1 1
            4 4 4
            1 2 3
            1 2 0
            1 3 0
            2 3 0
            1 0 0
            2 0 0
            3 0 0
            1 2 3 5
            1 2 4 6
            1 3 4 7
            """;

    static ParityCheckCode hamming() {
        return parse(HAMMING);
    }

    private static ParityCheckCode parse(String text) {
        return AlistReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "h.alist");
    }

    @Test
    void readsHammingWithPaddingAndComment() {
        ParityCheckCode c = hamming();
        assertThat(c.n()).isEqualTo(7);
        assertThat(c.m()).isEqualTo(3);
        assertThat(c.checkVariables(1)).containsExactly(0, 1, 3, 5);
        assertThat(c.variableChecks(0)).containsExactly(0, 1, 2);
        assertThat(c.edges()).isEqualTo(12);
        assertThat(c.isCodeword(new int[7])).isTrue();
        int[] word = {1, 1, 1, 0, 0, 0, 0}; // x1+x2+x3 parity: row 0 = 1+1+1 = 1 -> not a codeword
        assertThat(c.unsatisfiedChecks(word)).isEqualTo(1);
        assertThat(c.unsatisfiedChecks(new int[] {0, 0, 0, 0, 1, 0, 1})).isEqualTo(2);
        assertThat(c.isCodeword(new int[] {1, 1, 1, 1, 1, 1, 1})).isTrue();
    }

    @Test
    void unpaddedListsWork() {
        String text = HAMMING.replace("1 2 0\n", "1 2\n").replace("1 0 0\n", "1\n");
        assertThat(parse(text).edges()).isEqualTo(12);
    }

    @Test
    void malformedAlistNamesFileLineAndReason() {
        bad(HAMMING.replace("7 3\n", "7 x\n"), "h.alist:2: token 2: expected M (the number of rows) (an integer), got 'x'");
        bad(HAMMING.replace("3 2 2 2 1 1 1", "3 2 2 2 1 1 4"), "h.alist:4: token 7: the weight of column 7 is 4, out of range 1..3");
        bad(HAMMING.replace("4 4 4\n", "4 4 3\n"), "h.alist:5: token 3: the column weights sum to 12 but the row weights to 11");
        bad(HAMMING.replace("1 3 0\n", "1 4 0\n"), "h.alist:8: token 2: row 2 of column 3 is 4, out of range 0..3");
        bad(HAMMING.replace("1 3 0\n", "1 1 0\n"), "h.alist:8: token 2: column 3 lists row 1 twice");
        bad(HAMMING.replace("1 3 0\n", "1 0 3\n"), "h.alist:8: token 2: column 3 has weight 2 but its entry 2 is the padding 0");
        bad(HAMMING.replace("1 3 4 7\n", "1 3 4 6\n"), "h.alist:12: column 7 lists row 3 but row 3 does not list column 7");
        bad(HAMMING.replace("1 3 4 7\n", "1 3 4\n"), "h.alist:15: unexpected end of input, expected column 4 of row 3");
        bad(HAMMING + "9\n", "h.alist:16: token 1: trailing garbage '9' after the row lists");
    }

    private static void bad(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ModelFormatException.class).hasMessageStartingWith(message);
    }

    private static ParityCheckCode real(String name) throws IOException {
        Path p = SharedData.file("ldpc", name);
        assumeTrue(Files.isReadable(p), p + " is absent");
        return AlistReader.read(p);
    }

    @Test
    void readsMacKay() throws IOException {
        ParityCheckCode c = real("MACKAY_504_1008.alist");
        assertThat(c.n()).isEqualTo(1008);
        assertThat(c.m()).isEqualTo(504);
        assertThat(c.edges()).isEqualTo(3024);
        for (int v = 0; v < c.n(); v++) {
            assertThat(c.variableChecks(v)).hasSize(3);
        }
        assertThat(c.maxRowWeight()).isEqualTo(6);
        assertThat(c.designRate()).isEqualTo(0.5);
    }

    @Test
    void readsWifi() throws IOException {
        ParityCheckCode c = real("WIFI_540_648.alist");
        assertThat(c.n()).isEqualTo(648);
        assertThat(c.m()).isEqualTo(108);
        assertThat(c.maxRowWeight()).isEqualTo(22);
        assertThat(c.designRate()).isCloseTo(540.0 / 648, org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void readsCcsds() throws IOException {
        ParityCheckCode c = real("CCSDS_64_128.alist");
        assertThat(c.n()).isEqualTo(128);
        assertThat(c.m()).isEqualTo(64);
        assertThat(c.edges()).isEqualTo(64 * 5 + 64 * 3);
        assertThat(c.maxRowWeight()).isEqualTo(8);
    }
}
