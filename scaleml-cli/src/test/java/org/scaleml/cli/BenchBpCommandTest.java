package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.bp.engine.BpEngines;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchBpCommandTest {
    private static final List<String> KEYS = List.of("model", "engine", "threads", "variables", "factors",
            "medianMillis", "runsMillis", "updates", "updatesVsResidual", "speedupVsResidual", "converged",
            "maxResidual", "maxMarginalDiff", "engines");

    @Test
    void printsOneJsonLinePerEngineWithResidualAsTheReference() {
        Run r = ScaleMlTest.run("bench", "bp", "--model", "gen:ising:rows=8,cols=8", "--engines",
                "sync,relaxed-residual", "--threads", "2", "--warmups", "1", "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(3); // residual is added: it is the reference
        List<JsonObject> rows = lines.stream().map(l -> JsonParser.parseString(l).getAsJsonObject()).toList();
        assertThat(rows).extracting(o -> o.get("engine").getAsString())
                .containsExactly("residual", "sync", "relaxed-residual");
        for (JsonObject o : rows) {
            assertThat(o.keySet()).containsAll(KEYS);
            assertThat(o.get("model").getAsString()).isEqualTo("gen:ising:rows=8,cols=8");
            assertThat(o.get("threads").getAsInt()).isEqualTo(2);
            assertThat(o.get("variables").getAsInt()).isEqualTo(64);
            assertThat(o.get("factors").getAsInt()).isEqualTo(64 + 2 * 8 * 7);
            assertThat(o.get("runsMillis").getAsJsonArray()).hasSize(2);
            assertThat(o.get("medianMillis").getAsDouble()).isPositive();
            assertThat(o.get("updates").getAsLong()).isPositive();
            assertThat(o.get("converged").getAsBoolean()).isTrue();
            assertThat(o.get("maxResidual").getAsDouble()).isLessThanOrEqualTo(1e-5);
            assertThat(o.get("maxMarginalDiff").getAsDouble()).isLessThan(1e-3);
            assertThat(o.get("speedupVsResidual").getAsDouble()).isPositive();
        }
        JsonObject residual = rows.get(0);
        assertThat(rows.get(2).keySet()).contains("staleTasks", "requeues", "priorityInversions", "rounds");
        assertThat(rows.get(2).getAsJsonArray("engines").get(0).getAsString()).isEqualTo("relaxed-residual");
        assertThat(residual.keySet()).doesNotContain("staleTasks");
        assertThat(residual.get("maxMarginalDiff").getAsDouble()).isZero();
        assertThat(residual.get("updatesVsResidual").getAsDouble()).isEqualTo(1.0);
        assertThat(residual.get("speedupVsResidual").getAsDouble()).isEqualTo(1.0);
        JsonObject sync = rows.get(1);
        assertThat(sync.get("updatesVsResidual").getAsDouble()).isCloseTo(
                (double) sync.get("updates").getAsLong() / residual.get("updates").getAsLong(),
                org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void runsEveryEngineByDefaultAndPrintsATable() {
        Run r = ScaleMlTest.run("bench", "bp", "--model", "gen:tree:n=20", "--warmups", "0", "--repeats", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench bp: gen:tree:n=20 (20 variables, 39 factors", "max marginal diff",
                "vs residual");
        for (String e : BpEngines.names()) {
            assertThat(r.outLines()).as(e).anyMatch(l -> l.startsWith(e + " "));
        }
    }

    @Test
    void unknownEnginesAndBadFlagsGetOneLine() {
        Run r = ScaleMlTest.run("bench", "bp", "--model", "gen:tree:n=5", "--engines", "sync,nosuch");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("--engines", "nosuch").contains(BpEngines.names());
        String[][] cases = {
                {"engine 'sync' is listed twice", "--engines", "sync,sync"},
                {"--repeats", "--repeats", "0"},
                {"--warmups", "--warmups", "-1"},
                {"--threads", "--threads", "0"},
                {"damping", "--damping", "1"},
                {"--model gen:ising:rows=x: rows must be an integer", "--model", "gen:ising:rows=x"},
                {"no such model file", "--model", "none.uai"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of("bench", "bp"));
            args.addAll(List.of(c).subList(1, c.length));
            if (!args.contains("--model")) {
                args.addAll(List.of("--model", "gen:tree:n=5"));
            }
            Run bad = ScaleMlTest.run(args.toArray(String[]::new));
            assertThat(bad.exit()).as(args + ": " + bad.err()).isEqualTo(2);
            assertThat(bad.err().strip().lines().count()).as(bad.err()).isEqualTo(1);
            assertThat(bad.err()).contains(c[0]).doesNotContain("Exception");
        }
    }

    @Test
    void anEngineThatDoesNotConvergeFailsTheExitCodeAfterTheFigures() {
        Run r = ScaleMlTest.run("bench", "bp", "--model", "gen:ising:rows=4,cols=4", "--engines", "sync",
                "--max-updates", "5", "--warmups", "0", "--repeats", "1", "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.outLines()).hasSize(2);
        assertThat(r.err()).contains("did not converge", "residual", "sync");
    }

    @Test
    void helpDocumentsEveryKeyAndTheEngines() {
        Run r = ScaleMlTest.run("bench", "bp", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains(KEYS).contains(BpEngines.names()).contains("gen:ising:rows=R,cols=C");
        assertThat(ScaleMlTest.run("bench", "--help").out()).contains("bench bp --help");
    }
}
