package org.scaleml.bp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.scaleml.bp.FactorGraph;

class EvidenceReaderTest {
    private static final FactorGraph MODEL;

    static {
        FactorGraph.Builder b = FactorGraph.builder();
        b.addVariable(2);
        b.addVariable(3);
        b.addVariable(2);
        b.addVariable(4);
        MODEL = b.build();
    }

    private static EvidenceReader.Evidence parse(String text) {
        return EvidenceReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "e.evid", MODEL);
    }

    @Test
    void readsBothLayouts() {
        EvidenceReader.Evidence e14 = parse("2 1 2 3 0\n");
        assertThat(e14.vars()).containsExactly(1, 3);
        assertThat(e14.values()).containsExactly(2, 0);
        EvidenceReader.Evidence old = parse("1\n2 1 2 3 0\n");
        assertThat(old.vars()).containsExactly(1, 3);
        assertThat(old.values()).containsExactly(2, 0);
        // "1 v x" is the 2014 layout with one pair
        EvidenceReader.Evidence one = parse("1 3 2");
        assertThat(one.vars()).containsExactly(3);
        assertThat(one.values()).containsExactly(2);
        // older layout with one pair
        EvidenceReader.Evidence oldOne = parse("1\n1 3 2\n");
        assertThat(oldOne.vars()).containsExactly(3);
        assertThat(parse("0").size()).isZero();
        assertThat(parse("0\n").size()).isZero();
        assertThat(parse("1 0").size()).isZero();
    }

    @Test
    void malformedEvidenceNamesFileLineAndReason() {
        bad("", "e.evid:1: unexpected end of input");
        bad("2 1 2\n9 0\n", "e.evid:2: token 1: variable 9 does not exist (the model has 4 variables)");
        bad("2 1 3 3 0", "e.evid:1: token 3: value 3 of variable 1 is out of range (cardinality 3)");
        bad("2 1 1 1 0", "e.evid:1: token 4: variable 1 is observed twice");
        bad("2 1 1 x 0", "e.evid:1: token 4: expected observed variable 2 of 2 (an integer), got 'x'");
        bad("2 1 1 3", "e.evid:1: the file ends after variable 3 without its value: expected the value of variable 3"
                + " (pair 2 of 2, each pair is 'variable value')");
        bad("1 1 1 2 5", "e.evid:1: token 5: trailing garbage '5'");
        bad("5 0 0", "e.evid:1: token 1: the number of observed variables (or the sample count 1) is 5, out of range 0..4");
        bad("1 0 2 0", "e.evid:1: token 3: one sample with 0 observed variables, but more tokens follow");
    }

    @Test
    void truncatedEvidenceSaysWhatWasExpectedThere() {
        // Two lines: a count, then fewer pairs than it announces.
        bad("2\n0 1\n", "e.evid:2: the file ends after 1 of the 2 'variable value' pairs its count announces: "
                + "expected observed variable 2 of 2");
        bad("1\n2 0 1\n", "e.evid:2: the file ends after 1 of the 2 'variable value' pairs its count announces");
        bad("2\n0\n", "e.evid:2: the file ends after variable 0 without its value: expected the value of variable 0"
                + " (pair 1 of 2, each pair is 'variable value')");
        // "1" then one number: a 2014 pair without its value, or the older layout's count without pairs.
        bad("1\n2\n", "e.evid:2: the file ends after '1 2': expected the value of variable 2 (the layout "
                + "'count variable value ...'), or, if 1 is the sample count of the older layout "
                + "'1 count variable value ...', 2 'variable value' pairs");
        bad("1\n", "e.evid:1: the file ends after the count 1: expected an observed variable and its value");
    }

    @Test
    void controlBytesInTokensAreEscaped() {
        // C0 controls separate tokens like blanks; DEL and C1 controls (U+0080..U+009F, here UTF-8) can be in one.
        byte[] bytes = {'2', ' ', '1', ' ', 0x7f, (byte) 0xc2, (byte) 0x9b, '3', '1', 'm', ' ', '3', ' ', '0'};
        assertThatThrownBy(() -> EvidenceReader.read(new ByteArrayInputStream(bytes), "e.evid", MODEL))
                .hasMessage("e.evid:1: token 3: expected the value of variable 1 (an integer), got '\\u007f\\u009b31m'");
    }

    private static void bad(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ModelFormatException.class).hasMessageStartingWith(message);
    }

    @Test
    void pedigreeEvidence() throws IOException {
        Path uai = SharedData.file("uai", "Pedigree_11.uai");
        Path evid = SharedData.file("uai", "Pedigree_11.uai.evid");
        assumeTrue(Files.isReadable(uai) && Files.isReadable(evid));
        FactorGraph g = UaiReader.read(uai);
        EvidenceReader.Evidence e = EvidenceReader.read(evid, g);
        assertThat(e.size()).isEqualTo(37);
        assertThat(e.vars()[0]).isEqualTo(10);
    }
}
