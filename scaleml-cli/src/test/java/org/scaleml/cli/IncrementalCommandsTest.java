package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

class IncrementalCommandsTest {
    private static final List<String> DELAUNAY_KEYS = List.of("points", "scheduler", "threads", "millis", "tasks",
            "wastedTasks", "triangles", "verified");

    @Test
    void delaunayPrintsTheDocumentedKeysAndVerifies() {
        Run r = ScaleMlTest.run("delaunay", "--points", "3000", "--scheduler", "mq", "--threads", "2", "--verify",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(1);
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.keySet()).containsAll(DELAUNAY_KEYS);
        assertThat(o.get("points").getAsInt()).isEqualTo(3000);
        assertThat(o.get("scheduler").getAsString()).isEqualTo("mq");
        assertThat(o.get("threads").getAsInt()).isEqualTo(2);
        assertThat(o.get("verified").getAsBoolean()).isTrue();
        assertThat(o.get("tasks").getAsLong()).isEqualTo(3000 + o.get("wastedTasks").getAsLong());
        long triangles = o.get("triangles").getAsLong();
        assertThat(triangles).isBetween(2L * 3000 - 2 - 100, 2L * 3000 - 2 - 3);

        Run seq = ScaleMlTest.run("delaunay", "--points", "3000", "--scheduler", "sequential", "--json");
        assertThat(seq.exit()).as(seq.err()).isZero();
        JsonObject s = JsonParser.parseString(seq.outLines().get(0)).getAsJsonObject();
        assertThat(s.get("triangles").getAsLong()).isEqualTo(triangles);
        assertThat(s.get("checksum").getAsLong()).isEqualTo(o.get("checksum").getAsLong());
        assertThat(s.get("wastedTasks").getAsLong()).isZero();
        assertThat(s.get("verified").isJsonNull()).isTrue();
    }

    @Test
    void delaunayReadsAPointsFileWithCocircularPoints(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("grid.txt");
        StringBuilder sb = new StringBuilder("# a 6 x 6 grid\n");
        for (int i = 0; i < 36; i++) {
            sb.append(i % 6).append(i % 2 == 0 ? " " : ",").append(i / 6).append('\n');
        }
        Files.writeString(file, sb);
        Run r = ScaleMlTest.run("delaunay", "--points", file.toString(), "--scheduler", "exact", "--threads", "2",
                "--verify");
        assertThat(r.exit()).as(r.err()).isZero();
        // 2n - 2 - h = 72 - 2 - 20 = 50 triangles
        assertThat(r.out()).contains("triangles: 50", "verified: Delaunay, and equal to the sequential");
    }

    @Test
    void delaunayBadInputGetsOneLineNamingFileAndLine(@TempDir Path dir) throws Exception {
        Path bad = dir.resolve("bad.txt");
        Files.writeString(bad, "0 0\n1 0\n\n0 x\n");
        Run r = ScaleMlTest.run("delaunay", "--points", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains(bad + ":4", "not a number: 'x'").doesNotContain("Exception");
        assertThat(r.err().strip().lines()).hasSize(1);

        Path three = dir.resolve("three.txt");
        Files.writeString(three, "0 0 0\n");
        assertThat(ScaleMlTest.run("delaunay", "--points", three.toString()).err()).contains(three + ":1",
                "expected two numbers");

        Path dup = dir.resolve("dup.txt");
        Files.writeString(dup, "0 0\n1 0\n# comment\n0 1\n1 0\n");
        Run d = ScaleMlTest.run("delaunay", "--points", dup.toString());
        assertThat(d.exit()).isEqualTo(2);
        assertThat(d.err()).contains(dup + ":5", "duplicate point", "line 2");

        Run missing = ScaleMlTest.run("delaunay", "--points", dir.resolve("nope.txt").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--points", "nope.txt");

        Run sched = ScaleMlTest.run("delaunay", "--points", "100", "--scheduler", "mq:c=zero");
        assertThat(sched.exit()).isEqualTo(2);
        assertThat(sched.err()).contains("--scheduler").doesNotContain("Exception");

        Run threads = ScaleMlTest.run("delaunay", "--points", "100", "--threads", "0");
        assertThat(threads.exit()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads");
    }

    @Test
    void benchIncrementalPrintsRowsWithTheDocumentedKeysAndPlots(@TempDir Path dir) throws Exception {
        Path png = dir.resolve("incremental.png");
        Run r = ScaleMlTest.run("bench", "incremental", "--points", "2000", "--keys", "5000", "--threads", "1,2",
                "--schedulers", "exact,mq:c=4", "--warmups", "0", "--repeats", "1", "--plot", png.toString(),
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> rows = new ArrayList<>();
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("algorithm", "scheduler", "threads", "millis", "tasks", "wastedTasks",
                    "extraWorkRatio", "speedupVsSequential", "verified", "queue", "n");
            assertThat(o.get("verified").getAsBoolean()).isTrue();
            assertThat(o.get("tasks").getAsLong()).isEqualTo(o.get("n").getAsLong() + o.get("wastedTasks").getAsLong());
            rows.add(o.get("algorithm").getAsString() + " " + o.get("scheduler").getAsString() + " "
                    + o.get("threads").getAsInt());
            if (o.get("scheduler").getAsString().equals("exact") && o.get("threads").getAsInt() == 1) {
                assertThat(o.get("wastedTasks").getAsLong()).isZero();
            }
        }
        assertThat(rows).containsExactly("delaunay sequential 1", "delaunay exact 1", "delaunay mq:c=4 1",
                "delaunay exact 2", "delaunay mq:c=4 2", "bst-sort sequential 1", "bst-sort exact 1",
                "bst-sort mq:c=4 1", "bst-sort exact 2", "bst-sort mq:c=4 2");
        assertThat(Files.size(png)).isPositive();
        byte[] head = Files.readAllBytes(png);
        assertThat(head[1]).isEqualTo((byte) 'P');
    }

    @Test
    void benchIncrementalRejectsBadFlags() {
        Run algo = ScaleMlTest.run("bench", "incremental", "--algos", "quicksort");
        assertThat(algo.exit()).isEqualTo(2);
        assertThat(algo.err()).contains("--algos", "quicksort");
        Run sched = ScaleMlTest.run("bench", "incremental", "--schedulers", "nope");
        assertThat(sched.exit()).isEqualTo(2);
        assertThat(sched.err()).contains("--schedulers");
        Run n = ScaleMlTest.run("bench", "incremental", "--points", "lots");
        assertThat(n.exit()).isEqualTo(2);
        assertThat(n.err()).contains("--points");
    }

    @Test
    void helpDocumentsTheKeys() {
        Run d = ScaleMlTest.run("delaunay", "--help");
        assertThat(d.exit()).isZero();
        for (String k : DELAUNAY_KEYS) {
            assertThat(d.out()).contains("  " + k);
        }
        Run b = ScaleMlTest.run("bench", "incremental", "--help");
        assertThat(b.out()).contains("algorithm", "extraWorkRatio", "speedupVsSequential", "wastedTasks", "--plot");
    }
}
