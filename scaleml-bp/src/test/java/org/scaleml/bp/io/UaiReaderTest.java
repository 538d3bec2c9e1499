package org.scaleml.bp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Scanner;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.bp.FactorGraph;

class UaiReaderTest {
    private static UaiReader.UaiModel parse(String text) {
        return UaiReader.readModel(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)), "m.uai");
    }

    private static final String SMALL = """
            MARKOV
            3
            2 2 3
            3
            1 0
            2 0 1
            2 1 2
            2
             0.25 0.75
            4
             1 2
             3 4
            6 1 2 3
              4 5 6
            """;

    @Test
    void readsTablesInUaiLayout() {
        UaiReader.UaiModel m = parse(SMALL);
        assertThat(m.type()).isEqualTo(UaiReader.Type.MARKOV);
        FactorGraph g = m.graph();
        assertThat(g.variables()).isEqualTo(3);
        assertThat(g.cardinality(2)).isEqualTo(3);
        assertThat(g.factors()).isEqualTo(3);
        assertThat(g.scope(2)).containsExactly(1, 2);
        // last variable fastest: entry (x1=1, x2=0) is at 1*3 + 0
        assertThat(g.table(2)[3]).isEqualTo(4.0);
        assertThat(g.table(0)).containsExactly(0.25, 0.75);
    }

    @Test
    void readsBayesWithChildLast() {
        String bayes = "BAYES\n2\n2 2\n2\n1 0\n2 0 1\n2 0.4 0.6\n4 0.9 0.1 0.2 0.8\n";
        UaiReader.UaiModel m = parse(bayes);
        assertThat(m.type()).isEqualTo(UaiReader.Type.BAYES);
        // P(x1 | x0 = 1) is entries 2..3
        assertThat(m.graph().table(1)[2]).isEqualTo(0.2);
        assertThat(m.graph().table(1)[3]).isEqualTo(0.8);
    }

    @Test
    void readsCrlfAndGzip(@TempDir Path dir) throws IOException {
        Path gz = dir.resolve("small.uai.gz");
        try (OutputStream os = new GZIPOutputStream(Files.newOutputStream(gz))) {
            os.write(SMALL.replace("\n", "\r\n").getBytes(StandardCharsets.US_ASCII));
        }
        FactorGraph g = UaiReader.read(gz);
        assertThat(g.factors()).isEqualTo(3);
        assertThat(g.table(1)).containsExactly(1, 2, 3, 4);
    }

    /** Each malformed input: the message names the file, the line, and the reason. */
    @Test
    void malformedInputNamesFileLineAndReason() {
        bad("MARKOF\n1\n2\n0\n", "m.uai:1: token 1: unknown network type 'MARKOF'");
        bad("MARKOV\n-1\n", "m.uai:2: token 1: the number of variables is -1, out of range 0..268435456");
        bad("MARKOV\n2\n2 x\n", "m.uai:3: token 2: expected the cardinality of variable 1 (an integer), got 'x'");
        bad("MARKOV\n2\n2 0\n", "m.uai:3: token 2: the cardinality of variable 1 is 0, out of range 1..268435456");
        bad("MARKOV\n2\n2 2\n1\n2 0 2\n", "m.uai:5: token 3: function 0: variable index 2 (scope position 1) is out of range 0..1 (the model has 2 variables)");
        bad("MARKOV\n2\n2 2\n1\n2 1 1\n", "m.uai:5: token 3: variable 1 appears twice in the scope of function 0");
        bad("MARKOV\n2\n2 2\n1\n2 0 1\n3 1 2 3\n",
                "m.uai:6: token 1: function 0 declares 3 table entries, its scope [0, 1] needs 4");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5 -1\n", "m.uai:7: token 2: entry 1 of function 0 is negative");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5 abc\n", "m.uai:7: token 2: expected entry 1 of function 0 (a number), got 'abc'");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5 NaN\n", "m.uai:7: token 2: expected entry 1 of function 0 (a number), got 'NaN'");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5 1e999\n", "m.uai:7: token 2: entry 1 of function 0 is '1e999', which is not finite");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5\n", "m.uai:7: unexpected end of input, expected entry 1 of function 0");
        bad("MARKOV\n1\n2\n1\n1 0\n2\n0.5 0.5\n7\n", "m.uai:8: token 1: trailing garbage '7' after the last table");
        bad("MARKOV\n2\n2 2\n", "m.uai:3: unexpected end of input, expected the number of functions");
    }

    @Test
    void refusesHugeDeclaredTablesBeforeAllocating() {
        // 4 variables of cardinality 2^8 = 2^32 entries declared: refused at the scope, nothing allocated
        bad("MARKOV\n4\n256 256 256 256\n1\n4 0 1 2 3\n4294967296\n",
                "m.uai:5: token 5: function 0 would have more than 268435456 table entries");
        // a huge variable count with no data: fails at end of input, not with OutOfMemoryError
        bad("MARKOV\n268435456\n2 2\n", "m.uai:3: unexpected end of input, expected the cardinality of variable 2");
        bad("MARKOV\n1\n2\n268435456\n1 0\n", "m.uai:5: unexpected end of input, expected the scope size of function 1");
    }

    private static void bad(String text, String message) {
        assertThatThrownBy(() -> parse(text)).isInstanceOf(ModelFormatException.class).hasMessageStartingWith(message);
    }

    static List<Path> uaiFiles() throws IOException {
        Path dir = SharedData.file("uai");
        assumeTrue(Files.isDirectory(dir), "../shared/data/uai is absent");
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".uai")).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void parsesEveryRealModelAndItsEvidence() throws IOException {
        List<Path> files = uaiFiles();
        assumeTrue(!files.isEmpty());
        int withEvidence = 0;
        for (Path f : files) {
            assumeTrue(Files.isReadable(f));
            FactorGraph g = UaiReader.read(f);
            // the preamble, read independently
            try (Scanner sc = new Scanner(f, StandardCharsets.US_ASCII)) {
                sc.next();
                int n = sc.nextInt();
                assertThat(g.variables()).as(f.toString()).isEqualTo(n);
                for (int v = 0; v < n; v++) {
                    assertThat(g.cardinality(v)).isEqualTo(sc.nextInt());
                }
                assertThat(g.factors()).as(f.toString()).isEqualTo(sc.nextInt());
            }
            Path evid = f.resolveSibling(f.getFileName() + ".evid");
            if (Files.isReadable(evid)) {
                EvidenceReader.Evidence e = EvidenceReader.read(evid, g);
                FactorGraph ge = g.withEvidence(e.vars(), e.values());
                assertThat(ge.factors()).isEqualTo(g.factors() + e.size());
                if (e.size() > 0) {
                    withEvidence++;
                }
            }
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(40);
        assertThat(withEvidence).isGreaterThanOrEqualTo(3); // the Pedigree models
    }

    @Test
    void controlBytesFromABinaryFileAreEscaped() {
        String text = "\u007fELF\u0002\u0001\u0001\n"; // the start of an executable
        assertThatThrownBy(() -> UaiReader.readModel(new java.io.ByteArrayInputStream(
                text.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1)), "b.uai"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("b.uai:1: token 1: unknown network type '\\u007fELF' (expected MARKOV or BAYES)")
                .satisfies(e -> assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c != 0x7f)).isTrue());
    }

    @Test
    void scopeIndexOutOfRangeSaysWhichNumberIsWhich() {
        bad("MARKOV\n4\n2 2 2 2\n3\n1 0\n1 1\n2 0 5\n", "m.uai:7: token 3: function 2: variable index 5 "
                + "(scope position 1) is out of range 0..3 (the model has 4 variables)");
    }

    @Test
    void controlBytesQuotedFromTheInputAreEscapedInTheMessage() {
        byte[] text = "MA\u007fRKOV\n".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> UaiReader.readModel(new ByteArrayInputStream(text), "ctl.uai"))
                .isInstanceOf(ModelFormatException.class)
                .hasMessage("ctl.uai:1: token 1: unknown network type 'MA\\u007fRKOV' (expected MARKOV or BAYES)");
    }
}
