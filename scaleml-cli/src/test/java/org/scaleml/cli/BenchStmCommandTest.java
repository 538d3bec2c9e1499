package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchStmCommandTest {
    @Test
    void printsOneJsonLinePerWorkloadThreadCountAndClockWithTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "stm", "--threads", "1,2", "--seconds", "0.05", "--warmups", "0",
                "--repeats", "2", "--keys", "64", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = new ArrayList<>();
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("clock", "workload", "threads", "txPerSec", "abortRate", "clockSpec",
                    "txPerSecRuns", "extensionsPerTx", "nanosPerTx");
            assertThat(o.get("txPerSec").getAsLong()).isPositive();
            assertThat(o.getAsJsonArray("txPerSecRuns")).hasSize(2);
            assertThat(o.get("abortRate").getAsDouble()).isBetween(0.0, 1.0);
            assertThat(o.get("nanosPerTx").getAsDouble()).isPositive();
            String workload = o.get("workload").getAsString();
            if (workload.equals("clock") || o.get("threads").getAsInt() == 1) {
                assertThat(o.get("abortRate").getAsDouble()).as("no aborts without a second thread").isZero();
            }
            rows.add(o.get("clockSpec").getAsString() + " " + workload + " x" + o.get("threads").getAsInt());
        }
        assertThat(rows).containsExactly(
                "gv1 bank x1", "gv4 bank x1", "mc:m=4 bank x1", "gv1 bank x2", "gv4 bank x2", "mc:m=8 bank x2",
                "gv1 sortedset x1", "gv4 sortedset x1", "mc:m=4 sortedset x1",
                "gv1 sortedset x2", "gv4 sortedset x2", "mc:m=8 sortedset x2",
                "gv1 clock x1", "gv4 clock x1", "mc:m=4 clock x1", "gv1 clock x2", "gv4 clock x2", "mc:m=8 clock x2");
    }

    @Test
    void printsATableWithRatiosAgainstGv1() {
        Run r = ScaleMlTest.run("bench", "stm", "--clock", "gv1", "--clock", "mc:m=2", "--workload", "bank",
                "--threads", "2", "--seconds", "0.05", "--warmups", "0", "--repeats", "1", "--no-extend");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench stm:", "aborting (TL2)", "tx/s", "vs gv1", "1.00x", "mc:m=2");
    }

    @Test
    void badInputGetsOneClearLine() {
        Run clock = ScaleMlTest.run("bench", "stm", "--clock", "gv9");
        assertThat(clock.exit()).isEqualTo(2);
        assertThat(clock.err()).contains("--clock", "unknown clock 'gv9'").doesNotContain("Exception");
        Run workload = ScaleMlTest.run("bench", "stm", "--workload", "bank,queue");
        assertThat(workload.exit()).isEqualTo(2);
        assertThat(workload.err()).contains("--workload must be one or more of bank, sortedset, clock");
        Run accounts = ScaleMlTest.run("bench", "stm", "--accounts", "1");
        assertThat(accounts.exit()).isEqualTo(2);
        assertThat(accounts.err()).contains("--accounts");
        Run updates = ScaleMlTest.run("bench", "stm", "--updates", "101");
        assertThat(updates.exit()).isEqualTo(2);
        assertThat(updates.err()).contains("--updates");
        Run help = ScaleMlTest.run("bench", "stm", "--help");
        assertThat(help.out()).contains("txPerSec", "abortRate", "workload", "mc:m=M", "nanosPerTx");
    }
}
