package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchCounterCommandTest {
    @Test
    void printsOneJsonLinePerImplementationAndThreadCountWithTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "counter", "--impl", "atomic", "--impl", "adder", "--impl", "multi",
                "--threads", "1,2", "--seconds", "0.05", "--warmups", "0", "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = new ArrayList<>();
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("impl", "threads", "incrementsPerSec", "readNanos", "relError", "spec",
                    "incrementsPerSecRuns", "count");
            assertThat(o.get("incrementsPerSec").getAsLong()).isPositive();
            assertThat(o.getAsJsonArray("incrementsPerSecRuns")).hasSize(2);
            assertThat(o.get("readNanos").getAsDouble()).isPositive();
            double err = o.get("relError").getAsDouble();
            if (!o.get("impl").getAsString().equals("multi")) {
                assertThat(err).as("exact counters read exactly in quiescence").isZero();
            } else {
                assertThat(err).isBetween(0.0, 0.5);
            }
            rows.add(o.get("spec").getAsString() + "x" + o.get("threads").getAsInt());
        }
        assertThat(rows).containsExactly("atomicx1", "adderx1", "multi:m=4x1", "atomicx2", "adderx2", "multi:m=8x2");
    }

    @Test
    void printsATableWithRatiosAgainstAtomic() {
        Run r = ScaleMlTest.run("bench", "counter", "--impl", "atomic", "--impl", "multi:m=16", "--threads", "2",
                "--seconds", "0.05", "--warmups", "0", "--repeats", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench counter:", "increments/s", "vs atomic", "1.00x", "multi:m=16");
    }

    @Test
    void badInputGetsOneClearLine() {
        Run impl = ScaleMlTest.run("bench", "counter", "--impl", "multi:m=0");
        assertThat(impl.exit()).isEqualTo(2);
        assertThat(impl.err()).contains("--impl", "m must be an integer from 1 to 65536").doesNotContain("Exception");
        Run threads = ScaleMlTest.run("bench", "counter", "--threads", "1,0");
        assertThat(threads.exit()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads");
        Run seconds = ScaleMlTest.run("bench", "counter", "--seconds", "0");
        assertThat(seconds.exit()).isEqualTo(2);
        assertThat(seconds.err()).contains("--seconds");
        Run help = ScaleMlTest.run("bench", "counter", "--help");
        assertThat(help.out()).contains("incrementsPerSec", "readNanos", "relError", "multi:m=M");
        Run bench = ScaleMlTest.run("bench", "--help");
        assertThat(bench.out()).contains("counter", "stm");
    }
}
