package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;
import picocli.CommandLine.Command;

class ScaleMlTest {

    /** Exit code and captured output of one in-process run. */
    record Run(int exit, String out, String err) {
        List<String> outLines() {
            List<String> lines = new ArrayList<>();
            for (String l : out.split("\\R")) {
                if (!l.isBlank()) {
                    lines.add(l);
                }
            }
            return lines;
        }
    }

    static Run run(String... args) {
        return run(ScaleMl.commandLine(), args);
    }

    static Run run(CommandLine cl, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("Usage: scaleml", "demo", "bench", "--version");
        assertThat(r.err()).isEmpty();
    }

    @Test
    void versionIsTheMavenProjectVersion() {
        Run r = run("--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).containsPattern("^scaleml \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?\\R");
        assertThat(r.out()).doesNotContain("unknown");
    }

    @Test
    void benchPqHelpDocumentsEveryJsonKey() {
        Run r = run("bench", "pq", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--threads", "--seconds", "--impl", "--prefill", "--repeats", "--json",
                "impl", "threads", "opsPerSec", "opsPerSecRuns", "rankErrorMean", "rankErrorP99", "rankErrorMax",
                "delayMean", "relaxed", "mq:c=4,d=8");
    }

    @Test
    void benchPqJsonPrintsOneParseableLinePerImplementation() {
        Run r = run("bench", "pq", "--threads", "2", "--seconds", "0.2", "--repeats", "2", "--prefill", "2000",
                "--quality-prefill", "1000", "--quality-ops", "4000", "--impl", "heap", "--impl", "mq:c=2",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(2);
        JsonObject heap = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        JsonObject mq = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(heap.get("impl").getAsString()).isEqualTo("heap");
        assertThat(mq.get("impl").getAsString()).isEqualTo("mq:c=2");
        assertThat(heap.get("relaxed").getAsBoolean()).isFalse();
        assertThat(mq.get("relaxed").getAsBoolean()).isTrue();
        for (JsonObject o : List.of(heap, mq)) {
            assertThat(o.keySet()).contains("impl", "name", "threads", "opsPerSec", "opsPerSecRuns",
                    "rankErrorMean", "rankErrorP50", "rankErrorP99", "rankErrorMax", "delayMean", "seconds",
                    "repeats", "deletes");
            assertThat(o.get("threads").getAsInt()).isEqualTo(2);
            assertThat(o.get("seconds").getAsDouble()).isEqualTo(0.2);
            assertThat(o.get("repeats").getAsInt()).isEqualTo(2);
            assertThat(o.get("opsPerSec").getAsDouble()).isPositive();
            JsonArray runs = o.get("opsPerSecRuns").getAsJsonArray();
            assertThat(runs).hasSize(2);
            double lo = Math.min(runs.get(0).getAsDouble(), runs.get(1).getAsDouble());
            double hi = Math.max(runs.get(0).getAsDouble(), runs.get(1).getAsDouble());
            assertThat(o.get("opsPerSec").getAsDouble()).isBetween(lo - 1, hi + 1);
            // 4000 operations alternate insert and delete-min on a queue of 1000: every delete-min succeeds.
            assertThat(o.get("deletes").getAsLong()).isEqualTo(2000);
            assertThat(o.get("emptyDeletes").getAsDouble()).isBetween(0.0, 0.01);
            double mean = o.get("rankErrorMean").getAsDouble();
            long p99 = o.get("rankErrorP99").getAsLong();
            long max = o.get("rankErrorMax").getAsLong();
            assertThat(mean).isBetween(0.0, 3000.0);
            assertThat(p99).isBetween(0L, max);
            assertThat((double) max).isGreaterThanOrEqualTo(mean);
        }
    }

    @Test
    void benchPqTableShowsRatiosAgainstTheBaselines() {
        Run r = run("bench", "pq", "--threads", "1", "--seconds", "0.1", "--repeats", "1", "--prefill", "1000",
                "--quality-prefill", "100", "--quality-ops", "1000", "--impl", "pbq", "--impl", "skiplist",
                "--impl", "smq");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("vs pbq", "vs skiplist", "rank err mean", "1.00x");
        assertThat(r.outLines()).anyMatch(l -> l.startsWith("smq "));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bench pq --threads 0                 | --threads | 0",
            "bench pq --threads -3                | --threads | -3",
            "bench pq --seconds 0                 | --seconds | 0",
            "bench pq --seconds -1.5              | --seconds | -1.5",
            "bench pq --seconds NaN               | --seconds | NaN",
            "bench pq --seconds soon              | --seconds | soon",
            "bench pq --impl nosuchqueue          | --impl    | nosuchqueue",
            "bench pq --impl mq:c=0               | --impl    | mq:c=0",
            "bench pq --impl smq:psteal=1.5       | --impl    | psteal",
            "bench pq --impl mq:bogus=1           | --impl    | bogus",
            "bench pq --repeats 0                 | --repeats | 0",
            "bench pq --frobnicate                | --frobnicate | --frobnicate",
            "demo --threads 0                     | --threads | 0",
            "nosuchcommand                        | nosuchcommand | nosuchcommand",
    })
    void badInputIsOneClearLineAndExitCode2(String args, String flag, String value) {
        Run r = run(args.trim().split("\\s+"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        String err = r.err().strip();
        assertThat(err.lines().count()).as(err).isEqualTo(1);
        assertThat(err).startsWith("scaleml").contains(flag).contains(value);
        assertThat(err).doesNotContain("Exception", "\tat ");
    }

    @Test
    void missingSubcommandIsExitCode2() {
        Run r = run("bench");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("pq");
    }

    @Command(name = "boom")
    static final class Boom implements Callable<Integer> {
        final RuntimeException toThrow;

        Boom(RuntimeException toThrow) {
            this.toThrow = toThrow;
        }

        @Override
        public Integer call() {
            throw toThrow;
        }
    }

    @Test
    void illegalArgumentFromARunningCommandIsExitCode2WithoutStackTrace() {
        CommandLine cl = ScaleMl.commandLine();
        cl.addSubcommand("boom", new Boom(new IllegalArgumentException("unknown queue 'x'; known queues: heap")));
        Run r = run(cl, "boom");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err().strip()).isEqualTo("scaleml boom: unknown queue 'x'; known queues: heap");
    }

    @Test
    void otherFailuresAreExitCode1WithOneLine() {
        CommandLine cl = ScaleMl.commandLine();
        cl.addSubcommand("boom", new Boom(new IllegalStateException("disk on fire")));
        Run r = run(cl, "boom");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("scaleml boom: failed: IllegalStateException: disk on fire");
    }
}
