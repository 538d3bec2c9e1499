package org.scaleml.bp.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MarFormatTest {
    private static double[][] randomMarginals(Random r, int n) {
        double[][] m = new double[n][];
        for (int v = 0; v < n; v++) {
            m[v] = new double[1 + r.nextInt(5)];
            double s = 0;
            for (int x = 0; x < m[v].length; x++) {
                m[v][x] = r.nextDouble() * (r.nextInt(10) == 0 ? 1e-12 : 1);
                s += m[v][x];
            }
            for (int x = 0; x < m[v].length; x++) {
                m[v][x] /= s;
            }
        }
        return m;
    }

    @Test
    void roundTripsExactly(@TempDir Path dir) throws IOException {
        Random r = new Random(7);
        for (String name : new String[] {"a.MAR", "b.MAR.gz"}) {
            double[][] m = randomMarginals(r, 300);
            Path f = dir.resolve(name);
            MarWriter.write(f, m);
            assertThat(MarReader.read(f, null)).isDeepEqualTo(m);
        }
    }

    @Test
    void writesTheDocumentedLayout() throws IOException {
        StringWriter w = new StringWriter();
        MarWriter.write(w, new double[][] {{0.25, 0.75}, {1.0}});
        assertThat(w.toString()).isEqualTo("MAR\n2 2 0.25 0.75 1 1.0\n");
    }

    @Test
    void writerRejectsNaN() {
        assertThatThrownBy(() -> MarWriter.write(new StringWriter(), new double[][] {{Double.NaN}}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("variable 0, value 0");
    }

    @Test
    void malformedMarNamesFileLineAndReason() {
        bad("PR\n1\n", "r.MAR:1: token 1: expected the header MAR, got 'PR'");
        bad("MAR\n2 2 0.5 0.5 2 0.1\n", "r.MAR:2: unexpected end of input, expected probability 1 of variable 1");
        bad("MAR\n1 2 0.5 -0.5\n", "r.MAR:2: token 4: probability 1 of variable 0 is negative");
        bad("MAR\n1 2 0.5 0.5 x\n", "r.MAR:2: token 5: trailing garbage 'x'");
        bad("MAR\n1 0\n", "r.MAR:2: token 2: the cardinality of variable 0 is 0, out of range");
    }

    private static void bad(String text, String message) {
        assertThatThrownBy(() -> MarReader.read(new ByteArrayInputStream(text.getBytes(StandardCharsets.US_ASCII)),
                "r.MAR", null)).isInstanceOf(ModelFormatException.class).hasMessageStartingWith(message);
    }

    @Test
    void rejectsMismatchWithModel(@TempDir Path dir) throws IOException {
        org.scaleml.bp.FactorGraph.Builder b = org.scaleml.bp.FactorGraph.builder();
        b.addVariable(3);
        Path f = dir.resolve("x.MAR");
        Files.writeString(f, "MAR\n1 2 0.5 0.5\n");
        assertThatThrownBy(() -> MarReader.read(f, b.build())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("x.MAR:2: token 2: variable 0 has cardinality 2, in the model 3");
    }
}
