package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

/**
 * Input that parses but cannot be computed with (evidence of probability zero, a factor of zeros, queue
 * parameters beyond the heap) exits 2 with one line naming what is wrong, never a result or a stack trace.
 */
class ImpossibleInputCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLineExit2(Run r, String... expected) {
        String err = r.err().strip();
        assertThat(r.exit()).as(err).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("scaleml").contains(expected).doesNotContain("Exception", "\tat ");
    }

    @Test
    void bpRefusesEvidenceTheModelRulesOut() throws Exception {
        // x0 has the unary factor (1, 0): x0 = 1 is impossible. Observing it must not give "converged".
        Path model = dir.resolve("m.uai");
        Files.writeString(model, "MARKOV\n2\n2 2\n2\n1 0\n2 0 1\n\n2\n 1 0\n\n4\n 1 2 3 4\n");
        Path evid = dir.resolve("m.uai.evid");
        Files.writeString(evid, "1 0 1\n");
        for (String algo : new String[] {"sync", "relaxed-residual"}) {
            assertOneLineExit2(ScaleMlTest.run("bp", "--model", model.toString(), "--evid", evid.toString(),
                    "--algo", algo), "variable 0 is observed as 1", "factor 0");
        }
        Files.writeString(evid, "1 0 0\n"); // the possible value is fine
        assertThat(ScaleMlTest.run("bp", "--model", model.toString(), "--evid", evid.toString()).exit()).isZero();
    }

    @Test
    void bpRefusesAFactorOfZeros() throws Exception {
        Path model = dir.resolve("z.uai");
        Files.writeString(model, "MARKOV\n2\n2 2\n2\n1 0\n2 0 1\n\n2\n 1 1\n\n4\n 0 0 0 0\n");
        assertOneLineExit2(ScaleMlTest.run("bp", "--model", model.toString()), "z.uai:", "function 1",
                "every entry of its table is 0");
    }

    @Test
    void queueSpecificationsBeyondTheHeapExit2() {
        String g = "gen:grid:rows=5,cols=5";
        assertOneLineExit2(ScaleMlTest.run("sssp", "--graph", g, "--scheduler", "mq:c=1000000"), "--scheduler",
                "queuesPerThread (c) = 1000000", "accepted");
        assertOneLineExit2(ScaleMlTest.run("sssp", "--graph", g, "--scheduler", "obim:chunk=100000000"),
                "--scheduler", "chunk must be between 1 and 16777216");
        assertOneLineExit2(ScaleMlTest.run("sssp", "--graph", g, "--scheduler", "heap:d=100000000"),
                "--scheduler", "arity (d) must be between 2 and 65536");
        assertOneLineExit2(ScaleMlTest.run("bench", "pq", "--impl", "mq:c=1000000", "--threads", "2"), "--impl",
                "queuesPerThread (c) = 1000000");
    }
}
