package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.cli.ScaleMlTest.Run;
import org.scaleml.cli.bench.GraphBench;
import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphGenerators;
import org.scaleml.graph.algo.DistanceChecksum;
import org.scaleml.graph.algo.SequentialDijkstra;

/** The graph commands end to end on small DIMACS files written by the test (node ids start at 1). */
class GraphCommandsTest {
    static final List<String> REQUIRED = List.of("algo", "scheduler", "threads", "nodes", "edges", "millis",
            "loadMillis", "tasks", "wastedTasks", "checksum", "verified");
    static final Path ROME = Path.of("/work/shared/data/road/rome99.gr");

    @TempDir
    static Path dir;
    static Path grid;
    static CsrGraph gridGraph;

    @BeforeAll
    static void writeGraphs() throws IOException {
        gridGraph = GraphGenerators.grid(12, 15, 50, 7);
        grid = dir.resolve("grid.gr");
        writeDimacs(gridGraph, grid);
        writeCoordinates(gridGraph, dir.resolve("grid.co"));
    }

    /** A DIMACS shortest-path file with every arc of {@code g}, ids shifted to start at 1. */
    static void writeDimacs(CsrGraph g, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("c written by GraphCommandsTest\np sp " + g.nodes() + " " + g.arcs() + "\n");
            for (int u = 0; u < g.nodes(); u++) {
                for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                    w.write("a " + (u + 1) + " " + (g.target(e) + 1) + " " + g.weight(e) + "\n");
                }
            }
        }
    }

    static void writeCoordinates(CsrGraph g, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.US_ASCII)) {
            w.write("p aux sp co " + g.nodes() + "\n");
            for (int v = 0; v < g.nodes(); v++) {
                w.write("v " + (v + 1) + " " + g.xs()[v] + " " + g.ys()[v] + "\n");
            }
        }
    }

    static Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.US_ASCII);
        return p;
    }

    static JsonObject json(Run r) {
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.outLines()).hasSize(1);
        return JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sssp", "bfs", "astar", "cc", "msf", "mis", "matching"})
    void everyAlgorithmPrintsOneVerifiedJsonLine(String algo) {
        JsonObject o = json(ScaleMlTest.run(algo, "--graph", grid.toString(), "--threads", "2", "--scheduler",
                "mq", "--verify", "--json"));
        assertThat(o.keySet()).containsAll(REQUIRED);
        assertThat(o.get("algo").getAsString()).isEqualTo(algo);
        assertThat(o.get("scheduler").getAsString()).isEqualTo("mq");
        assertThat(o.get("threads").getAsInt()).isEqualTo(2);
        assertThat(o.get("nodes").getAsInt()).isEqualTo(180);
        assertThat(o.get("edges").getAsLong()).isEqualTo(gridGraph.arcs()); // DIMACS: directed arcs
        assertThat(o.get("verified").getAsBoolean()).isTrue();
        assertThat(o.get("tasks").getAsLong()).isPositive();
        assertThat(o.get("checksum").getAsLong()).isEqualTo(o.get("referenceChecksum").getAsLong());
        if (algo.equals("sssp") || algo.equals("bfs") || algo.equals("astar")) {
            assertThat(o.get("source").getAsLong()).isEqualTo(1); // the file's first id, not internal 0
        }
        if (algo.equals("astar")) {
            assertThat(o.get("target").getAsLong()).isEqualTo(180); // default: the last id
            long want = SequentialDijkstra.distance(gridGraph, 0, 179).distance();
            assertThat(o.get("distance").getAsLong()).isEqualTo(want);
        }
    }

    @Test
    void sourceIsAFileIdStartingAtOne() throws IOException {
        // 1 -5-> 2 -7-> 3: from 1 the distances are 0, 5, 12; from 3 only node 3 is reachable.
        Path path = write("path.gr", "p sp 3 2\na 1 2 5\na 2 3 7\n");
        JsonObject from1 = json(ScaleMlTest.run("sssp", "--graph", path.toString(), "--source", "1", "--json"));
        assertThat(from1.get("checksum").getAsLong()).isEqualTo(17);
        assertThat(from1.get("reachable").getAsInt()).isEqualTo(3);
        JsonObject from3 = json(ScaleMlTest.run("sssp", "--graph", path.toString(), "--source", "3", "--json",
                "--scheduler", "exact", "--threads", "1"));
        assertThat(from3.get("checksum").getAsLong()).isZero();
        assertThat(from3.get("reachable").getAsInt()).isEqualTo(1);
        assertThat(from3.get("source").getAsLong()).isEqualTo(3);

        DistanceChecksum want = SequentialDijkstra.checksum(SequentialDijkstra.distances(gridGraph, 41));
        JsonObject grid42 = json(ScaleMlTest.run("sssp", "--graph", grid.toString(), "--source", "42", "--json",
                "--scheduler", "obim"));
        assertThat(grid42.get("checksum").getAsLong()).isEqualTo(want.sum());
    }

    @Test
    void textOutputWithoutJson() {
        Run r = ScaleMlTest.run("bfs", "--graph", grid.toString(), "--verify", "--no-cache");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bfs on", "180 nodes", "method frontier", "verified");
        Run sched = ScaleMlTest.run("bfs", "--graph", grid.toString(), "--scheduler", "mq", "--verify");
        assertThat(sched.exit()).as(sched.err()).isZero();
        assertThat(sched.out()).contains("scheduler mq", "verified");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"sssp", "bfs", "astar", "cc", "msf", "mis", "matching"})
    void everyMethodOfEveryAlgorithmIsVerified(String algo) {
        GraphAlgo a = GraphAlgo.fromName(algo);
        for (String method : a.methods()) {
            for (String threads : new String[] {"1", "2", "4"}) {
                JsonObject o = json(ScaleMlTest.run(algo, "--graph", grid.toString(), "--threads", threads,
                        "--method", method, "--verify", "--json"));
                assertThat(o.get("method").getAsString()).isEqualTo(method);
                assertThat(o.get("verified").getAsBoolean()).as("%s %s %s threads", algo, method, threads).isTrue();
                assertThat(o.get("checksum").getAsLong()).isEqualTo(o.get("referenceChecksum").getAsLong());
                assertThat(o.get("threads").getAsInt())
                        .isEqualTo(method.equals(GraphAlgo.SEQUENTIAL) ? 1 : Integer.parseInt(threads));
            }
        }
        // Without --method: the default method, unless --scheduler asks for the scheduler.
        JsonObject byDefault = json(ScaleMlTest.run(algo, "--graph", grid.toString(), "--json"));
        assertThat(byDefault.get("method").getAsString()).isEqualTo(a.defaultMethod());
        JsonObject bySched = json(ScaleMlTest.run(algo, "--graph", grid.toString(), "--scheduler", "smq", "--json"));
        assertThat(bySched.get("method").getAsString()).isEqualTo(GraphAlgo.SCHEDULER);
        assertThat(bySched.get("scheduler").getAsString()).isEqualTo("smq");
    }

    @Test
    void methodErrorsNameTheMethods() {
        Run bad = ScaleMlTest.run("cc", "--graph", grid.toString(), "--method", "nosuch");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--method", "nosuch", String.join(", ", GraphAlgo.CC.methods()));
        Run both = ScaleMlTest.run("bfs", "--graph", grid.toString(), "--method", "sequential", "--scheduler", "mq");
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--scheduler is only used by --method scheduler");
        Run benchBad = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", "bfs", "--methods",
                "scheduler");
        assertThat(benchBad.exit()).isEqualTo(2);
        assertThat(benchBad.err()).contains("--methods", "not a parallel method");
        assertThat(ScaleMlTest.run("cc", "--help").out()).contains("Methods (--method):", "(default)", "sequential");
    }

    @Test
    void benchGraphRunsTheMethodsAndMarksTheDefault() {
        for (GraphAlgo a : List.of(GraphAlgo.BFS, GraphAlgo.CC, GraphAlgo.SSSP)) {
            Run r = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", a.command(), "--threads",
                    "2", "--schedulers", "mq", "--warmups", "0", "--warmup-seconds", "0", "--repeats", "1", "--no-jgrapht", "--json");
            assertThat(r.exit()).as(r.err()).isZero();
            List<String> methods = new ArrayList<>();
            List<String> defaults = new ArrayList<>();
            for (String l : r.outLines()) {
                JsonObject o = JsonParser.parseString(l).getAsJsonObject();
                assertThat(o.get("verified").getAsBoolean()).isTrue();
                methods.add(o.get("method").getAsString());
                if (o.get("default").getAsBoolean()) {
                    defaults.add(o.get("method").getAsString());
                }
            }
            List<String> want = new ArrayList<>(List.of(GraphAlgo.SEQUENTIAL));
            want.addAll(GraphBench.parallelMethods(a));
            want.add(GraphAlgo.SCHEDULER);
            assertThat(methods).as(a.command()).containsExactlyElementsOf(want);
            assertThat(defaults).as(a.command()).containsExactly(a.defaultMethod());
        }
        Run none = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", "cc", "--schedulers",
                "none", "--methods", "uf", "--warmups", "0", "--warmup-seconds", "0", "--repeats", "1", "--json");
        assertThat(none.exit()).as(none.err()).isZero();
        assertThat(none.outLines()).hasSize(2);
    }

    @Test
    void badInputIsOneLineAndExitCode2() throws IOException {
        Path malformed = write("bad.gr", "p sp 3 2\na 1 2 5\na 2 x 7\n");
        Path noCoords = write("nocoords.gr", "p sp 2 1\na 1 2 5\n");
        String g = grid.toString();
        List<String[]> cases = new ArrayList<>();
        cases.add(new String[] {"no such graph file", "sssp", "--graph", dir.resolve("missing.gr").toString()});
        cases.add(new String[] {"bad.gr:3", "sssp", "--graph", malformed.toString()});
        cases.add(new String[] {"bad.gr:3", "cc", "--graph", malformed.toString(), "--no-cache"});
        cases.add(new String[] {"nosuch", "sssp", "--graph", g, "--scheduler", "nosuch"});
        cases.add(new String[] {"--source 0", "sssp", "--graph", g, "--source", "0"});
        cases.add(new String[] {"--source 181", "bfs", "--graph", g, "--source", "181"});
        cases.add(new String[] {"--target 999", "astar", "--graph", g, "--target", "999"});
        cases.add(new String[] {"--threads", "mis", "--graph", g, "--threads", "0"});
        cases.add(new String[] {"--format", "msf", "--graph", g, "--format", "csv"});
        cases.add(new String[] {"coordinates", "astar", "--graph", noCoords.toString()});
        cases.add(new String[] {"--graph", "sssp"});
        cases.add(new String[] {"--algo", "bench", "graph", "--graph", g, "--algo", "pagerank"});
        cases.add(new String[] {"nosuch", "bench", "graph", "--graph", g, "--schedulers", "mq,nosuch"});
        cases.add(new String[] {"--warmup-seconds", "bench", "graph", "--graph", g, "--warmup-seconds", "-1"});
        cases.add(new String[] {"unknown generated graph kind 'torus'", "sssp", "--graph", "gen:torus:n=5"});
        cases.add(new String[] {"missing cols", "sssp", "--graph", "gen:grid:rows=5"});
        cases.add(new String[] {"rows must be an integer", "bfs", "--graph", "gen:grid:rows=x,cols=4"});
        cases.add(new String[] {"unknown key 'size'", "cc", "--graph", "gen:rmat:scale=4,size=3"});
        for (String[] c : cases) {
            String[] args = java.util.Arrays.copyOfRange(c, 1, c.length);
            Run r = ScaleMlTest.run(args);
            String err = r.err().strip();
            assertThat(r.exit()).as(String.join(" ", args) + ": " + err).isEqualTo(2);
            assertThat(r.out()).isEmpty();
            assertThat(err.lines().count()).as(err).isEqualTo(1);
            assertThat(err).startsWith("scaleml").contains(c[0]).doesNotContain("Exception", "\tat ");
        }
        // The scheduler error lists the known names.
        assertThat(ScaleMlTest.run("sssp", "--graph", g, "--scheduler", "nosuch").err()).contains("mq", "smq", "obim");
    }

    @Test
    void benchGraphPrintsOneJsonLinePerContender() {
        Run r = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", "sssp", "--threads", "2",
                "--schedulers", "mq,exact", "--warmups", "1", "--warmup-seconds", "0", "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        List<String> sssp = GraphBench.parallelMethods(GraphAlgo.SSSP);
        assertThat(lines).hasSize(4 + sssp.size());
        List<String> names = new ArrayList<>();
        for (String l : lines) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("name", "kind", "threads", "medianMillis", "runsMillis", "wastedTasks",
                    "tasks", "extraWork", "speedupVsSequential", "verified", "checksum", "steals", "exactTasks");
            assertThat(o.get("runsMillis").getAsJsonArray()).hasSize(2);
            assertThat(o.get("verified").getAsBoolean()).isTrue();
            names.add(o.get("name").getAsString());
        }
        List<String> want = new ArrayList<>(List.of("sequential"));
        want.addAll(sssp);
        want.addAll(List.of("mq", "exact", "jgrapht-dijkstra"));
        assertThat(names).containsExactlyElementsOf(want);
        lines = lines.subList(sssp.size(), lines.size()); // the scheduler rows below
        JsonObject mq = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        assertThat(mq.get("threads").getAsInt()).isEqualTo(2);
        assertThat(mq.get("steals").getAsLong()).isEqualTo(-1); // mq has no per-thread parts to steal from
        // The exact scheduler on two threads: its extra work is measured against the one-thread exact schedule.
        JsonObject exact = JsonParser.parseString(lines.get(2)).getAsJsonObject();
        assertThat(exact.get("exactTasks").getAsLong()).isPositive();
        assertThat(exact.get("extraWork").getAsDouble()).isBetween(-0.05, 0.05);
    }

    @Test
    void schedulerListKeepsTheCommasOfQueueSpecifications() {
        Run r = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", "bfs", "--warmups", "0",
                "--warmup-seconds", "0", "--repeats", "1", "--json", "--schedulers", "mq,smq:batch=4,psteal=0.5,obim:delta=0");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> names = new ArrayList<>();
        for (String l : r.outLines()) {
            names.add(JsonParser.parseString(l).getAsJsonObject().get("name").getAsString());
        }
        List<String> want = new ArrayList<>(List.of("sequential"));
        want.addAll(GraphBench.parallelMethods(GraphAlgo.BFS));
        want.addAll(List.of("mq", "smq:batch=4,psteal=0.5", "obim:delta=0"));
        assertThat(names).containsExactlyElementsOf(want);
    }

    @Test
    void generatedGraphsRunLikeFiles() {
        Run r = ScaleMlTest.run("sssp", "--graph", "gen:grid:rows=40,cols=50,maxw=9,seed=3", "--threads", "2",
                "--scheduler", "smq", "--verify", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.get("nodes").getAsInt()).isEqualTo(2000);
        assertThat(o.get("edges").getAsLong()).isEqualTo(40 * 49 + 50 * 39);
        assertThat(o.get("verified").getAsBoolean()).isTrue();
        assertThat(o.get("steals").getAsLong()).isNotNegative();
        Run rmat = ScaleMlTest.run("cc", "--graph", "gen:rmat:scale=10,ef=4", "--threads", "2", "--verify", "--json");
        assertThat(rmat.exit()).as(rmat.err()).isZero();
        assertThat(JsonParser.parseString(rmat.outLines().get(0)).getAsJsonObject().get("nodes").getAsInt())
                .isEqualTo(1024);
    }

    @Test
    void benchGraphOtherAlgorithmsAndTable() {
        Run r = ScaleMlTest.run("bench", "graph", "--graph", grid.toString(), "--algo", "mis", "--schedulers", "smq",
                "--repeats", "1", "--warmup-seconds", "0.2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("vs sequential", "extra work", "sequential", "smq", "1.00x");
        assertThat(r.out()).doesNotContain("jgrapht");
    }

    @Test
    void helpListsTheGraphCommandsAndKeys() {
        assertThat(ScaleMlTest.run("--help").out()).contains("sssp", "bfs", "astar", "cc", "msf", "mis", "matching");
        assertThat(ScaleMlTest.run("sssp", "--help").out()).contains("--graph", "--format", "--scheduler",
                "--source", "--verify", "--no-cache", "wastedTasks", "checksum", "loadMillis");
        assertThat(ScaleMlTest.run("bench", "graph", "--help").out()).contains("medianMillis", "speedupVsSequential");
    }

    @Test
    void realRoadNetworkWhenPresent() {
        assumeTrue(Files.isReadable(ROME), "no " + ROME);
        JsonObject o = json(ScaleMlTest.run("sssp", "--graph", ROME.toString(), "--threads", "2", "--scheduler",
                "smq", "--verify", "--json"));
        assertThat(o.get("nodes").getAsInt()).isEqualTo(3353);
        assertThat(o.get("edges").getAsLong()).isEqualTo(8870);
        assertThat(o.get("reachable").getAsInt()).isEqualTo(3353);
        assertThat(o.get("verified").getAsBoolean()).isTrue();
    }
}
