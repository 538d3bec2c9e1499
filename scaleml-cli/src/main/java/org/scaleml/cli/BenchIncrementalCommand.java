package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.IncrementalBench;
import org.scaleml.cli.report.IncrementalReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench incremental}: Delaunay triangulation and BST sort against the scheduler's relaxation. */
@Command(name = "incremental",
        header = "Randomized incremental algorithms (Delaunay, BST sort): wasted work and time against relaxation.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Runs Delaunay triangulation (uniform random points) and BST sort (uniform random 64-bit keys) by",
                "randomized incremental insertion: the plain sequential algorithm, then each --schedulers entry at",
                "each --threads count, in rounds of one run of each (the same JIT state and noise for all):",
                "W warm-up rounds, then the median of R timed rounds (input generation excluded); every run is",
                "checked to equal the sequential result of its round (same triangles, same tree).",
                "Wasted tasks are failed pops: a task popped before its dependencies were done (and, for",
                "Delaunay, pops that met another insert's triangles). With one thread only the queue's",
                "relaxation causes them; with more, so does the work in flight on the other threads.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per row, printed when an algorithm's rounds end. Keys:%n",
        footer = {
                "  algorithm       delaunay or bst-sort",
                "  scheduler       the scheduler as given, or \"sequential\"",
                "  queue           its queue with parameters (\"sequential\" for that row)",
                "  threads         threads used (1 for sequential)",
                "  n               points or keys",
                "  millis          median wall time of the timed runs, ms; runsMillis: every timed run",
                "  tasks, wastedTasks   median tasks executed (n + wasted) and wasted (failed pops)",
                "  extraWorkRatio  wastedTasks / n",
                "  speedupVsSequential   sequential median / this median",
                "  verified        every run equalled the sequential result",
                "  blocked, conflicts   delaunay: median failed pops blocked by an earlier point / by another",
                "                  insert's claim (0 for bst-sort, whose waste is all 'parent not inserted')",
                "Without --json, an aligned table with the same figures. --plot FILE.png draws bar charts of extra",
                "work per scheduler (one chart per thread count, a bar per algorithm) and of speedup.",
                "",
                "Example: scaleml bench incremental --points 1M --keys 4M --threads 1,2 --plot incremental.png --json%n",
        })
final class BenchIncrementalCommand implements Callable<Integer> {
    static final List<String> DEFAULT_SCHEDULERS = List.of("exact", "mq:c=1", "mq:c=2", "mq:c=4", "mq:c=8",
            "mq:stick=4", "mq:stick=16", "mq:stick=64", "mq-tl", "smq", "obim");

    @Spec
    CommandSpec spec;

    @Option(names = "--algos", paramLabel = "LIST", split = ",",
            description = "delaunay and/or bst-sort, comma-separated (default: both)")
    List<String> algos = new ArrayList<>();

    @Option(names = "--points", paramLabel = "N", defaultValue = "200000",
            description = "points of the Delaunay input, K/M suffixes allowed (default: ${DEFAULT-VALUE})")
    String points;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "1000000",
            description = "keys of the BST sort input, K/M suffixes allowed (default: ${DEFAULT-VALUE})")
    String keys;

    @Option(names = "--threads", paramLabel = "T", split = ",", defaultValue = "2",
            description = "thread counts of the scheduler rows, comma-separated (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--schedulers", paramLabel = "LIST", split = BenchGraphCommand.SCHEDULER_LIST_SPLIT,
            splitSynopsisLabel = ",",
            description = "schedulers, comma-separated; queue specifications keep their own commas (default: exact, "
                    + "mq:c=1, mq:c=2, mq:c=4, mq:c=8, mq:stick=4, mq:stick=16, mq:stick=64, mq-tl, smq, obim)")
    List<String> schedulers = new ArrayList<>();

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "2",
            description = "untimed rounds before the timed ones, 0 to 1000 (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "timed rounds, 1 to 1000; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of the inputs, the insertion order and the schedulers (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--plot", paramLabel = "FILE.png", description = "also write a PNG plot (see below)")
    Path plot;

    @Option(names = "--json", description = "print one JSON object per line per row (keys below)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Flags.threads(spec, threads);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        Flags.outputFile(spec, "--plot", plot);
        int nPoints = (int) Flags.count(spec, "--points", points.trim(), 0,
                org.scaleml.graph.incremental.DelaunayTriangulation.MAX_POINTS);
        int nKeys = (int) Flags.count(spec, "--keys", keys.trim(), 0, org.scaleml.graph.incremental.BstSort.MAX_KEYS);
        List<String> as = new ArrayList<>();
        for (String a : algos.isEmpty() ? List.of(IncrementalBench.DELAUNAY, IncrementalBench.BST_SORT) : algos) {
            String t = a.trim();
            if (!t.equals(IncrementalBench.DELAUNAY) && !t.equals(IncrementalBench.BST_SORT)) {
                throw new ParameterException(spec.commandLine(), "--algos: unknown algorithm '" + a
                        + "'; choose delaunay or bst-sort");
            }
            if (!as.contains(t)) {
                as.add(t);
            }
        }
        List<String> names = new ArrayList<>();
        for (String s : schedulers.isEmpty() ? DEFAULT_SCHEDULERS : schedulers) {
            String t = s.trim();
            if (!t.equalsIgnoreCase(IncrementalBench.SEQUENTIAL)) {
                for (int th : threads) {
                    GraphOptions.scheduler(spec, "--schedulers", t, th, seed);
                }
            }
            names.add(t);
        }
        IncrementalBench.Settings settings = new IncrementalBench.Settings(as, nPoints, nKeys, threads, names, warmups,
                repeats, seed);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench incremental: %s; %,d points, %,d keys; threads %s; median of %d run(s)%n",
                    String.join(", ", as), nPoints, nKeys, threads, repeats);
            out.flush();
        }
        List<IncrementalBench.Result> results;
        try (TerminalProgress progress = TerminalProgress.open("bench incremental", settings.steps())) {
            results = IncrementalBench.run(settings, progress, r -> {
                if (json) {
                    out.println(IncrementalReport.jsonLine(r));
                    out.flush();
                }
            });
        }
        if (!json) {
            out.println();
            out.print(IncrementalReport.table(results));
            out.flush();
        }
        if (plot != null) {
            IncrementalReport.plot(results, plot);
            if (!json) {
                out.println("wrote " + plot);
                out.flush();
            }
        }
        for (IncrementalBench.Result r : results) {
            if (!r.verified()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": " + r.algorithm() + " on " + r.scheduler()
                        + " did not reproduce the sequential result");
                err.flush();
                return ScaleMl.EXIT_FAILURE;
            }
        }
        return 0;
    }
}
