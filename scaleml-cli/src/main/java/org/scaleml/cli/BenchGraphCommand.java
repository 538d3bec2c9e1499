package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.GraphBench;
import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.cli.graph.GraphInput;
import org.scaleml.cli.report.GraphReport;
import org.scaleml.graph.CsrGraph;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code scaleml bench graph}: one graph algorithm by its parallel methods, on several schedulers and against
 * baselines, side by side.
 */
@Command(name = "graph",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Runs one graph algorithm with several contenders side by side in one JVM: the sequential",
                "reference (our tuned Dijkstra for sssp), the algorithm's parallel methods (--methods; see",
                "'scaleml ALGO --help') and the algorithm on every --schedulers entry at --threads threads, and",
                "for sssp JGraphT's DijkstraShortestPath (on the graph converted once to",
                "a JGraphT DirectedWeightedPseudograph, conversion not timed). Contenders run in rounds,",
                "one run each per round (the same noise and JIT state for all): --warmups untimed rounds (and",
                "more until --warmup-seconds have passed), then",
                "--repeats timed rounds (algorithm only, loading excluded); medians are reported. Every",
                "run is checked against the sequential reference.",
                "",
                "Extra work: (median tasks - exact tasks) / exact tasks, where exact tasks are those of one run",
                "of the same parallel algorithm on the exact scheduler with one thread (the exact schedule). For",
                "sssp and bfs the exact schedule has stale tasks too (lazy deletion); they are in wastedTasks.",
                "For the method rows extra work is wasted tasks / useful tasks of that method.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per contender, printed when all runs are done. Keys:%n",
        footer = {
                "  algo, graph     the algorithm and the graph file",
                "  name            method, scheduler as given, \"sequential\" or \"jgrapht-dijkstra\"",
                "  kind            \"method\", \"scheduler\", \"sequential\" or \"jgrapht\"",
                "  method          the --method of the algorithm commands that this row ran (\"scheduler\" for",
                "                  the scheduler rows, \"sequential\" for the reference), null for jgrapht",
                "  default         true on the row of what 'scaleml ALGO' runs without --method/--scheduler",
                "  queue           the scheduler's queue with its parameters (the method's name for method rows,",
                "                  null for the baselines)",
                "  threads         threads used (1 for the baselines)",
                "  medianMillis    median wall time of the timed runs, ms",
                "  runsMillis      every timed run, ms, in run order",
                "  tasks, wastedTasks   median tasks executed and wasted (baselines: nodes settled, 0)",
                "  steals          median batches stolen between threads (smq), -1 where not reported",
                "  exactTasks      tasks of the exact schedule (see above)",
                "  extraWork       see above (null for the baselines)",
                "  checksum        identifies the result (as in 'scaleml sssp --help')",
                "  verified        every timed run equalled the sequential reference (jgrapht: same sum of",
                "                  distances and number of reachable nodes)",
                "  speedupVsSequential   sequential median / this median",
                "Without --json, an aligned table with the same figures.",
                "",
                "Example: scaleml bench graph --graph USA-road-d.NY.gr.gz --algo sssp --threads 2 --json%n",
        })
final class BenchGraphCommand implements Callable<Integer> {
    static final List<String> DEFAULT_SCHEDULERS = List.of("mq", "mq-tl", "smq", "obim", "exact");

    @Spec
    CommandSpec spec;

    @Mixin
    GraphFileOptions file;

    @Option(names = "--algo", paramLabel = "ALGO", defaultValue = "sssp",
            description = "sssp, bfs, cc, msf, mis or matching (default: ${DEFAULT-VALUE})")
    String algo;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads of the schedulers, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--methods", paramLabel = "LIST", split = ",",
            description = "parallel methods of the algorithm to run, comma-separated (default: all of them; the "
                    + "scheduler rows come from --schedulers, the sequential row always runs)")
    List<String> methods;

    /** Splits at commas that do not start a {@code key=value} parameter of a queue specification. */
    static final String SCHEDULER_LIST_SPLIT = ",(?![^,:=]*=)";

    @Option(names = "--schedulers", paramLabel = "LIST", split = SCHEDULER_LIST_SPLIT, splitSynopsisLabel = ",",
            description = "schedulers to run, comma-separated; queue specifications keep their own commas, e.g. "
                    + "mq,smq:batch=32,psteal=0.03,obim; 'none' for no scheduler rows (default: mq, mq-tl, smq, "
                    + "obim, exact)")
    List<String> schedulers = new ArrayList<>();

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "10",
            description = "untimed runs per contender before the timed ones, 0 to 1000 (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--warmup-seconds", paramLabel = "S", defaultValue = "3",
            description = "after the --warmups rounds, more untimed rounds until S seconds have passed since the "
                    + "first, 0 to 600 (a JMH-style time-based warm-up: the parallel methods are compiled later than "
                    + "the sequential loops, and the compiler threads take a core until they are done; default: "
                    + "${DEFAULT-VALUE})")
    double warmupSeconds;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "7",
            description = "timed runs per contender after the warm-up runs (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--source", paramLabel = "S",
            description = "source node of sssp and bfs, as a file id (default: the file's first node id)")
    Long source;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of the schedulers and of the greedy order (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--no-jgrapht", description = "leave out JGraphT's Dijkstra (sssp)")
    boolean noJgrapht;

    @Option(names = "--json", description = "print one JSON object per line per contender (keys below)")
    boolean json;

    @Override
    public Integer call() throws IOException {
        Flags.threads(spec, threads);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        if (!(warmupSeconds >= 0 && warmupSeconds <= 600)) {
            throw new ParameterException(spec.commandLine(), "--warmup-seconds must be between 0 and 600, got "
                    + warmupSeconds);
        }
        GraphAlgo a;
        try {
            a = GraphAlgo.fromName(algo);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--algo: " + e.getMessage());
        }
        if (a == GraphAlgo.ASTAR) {
            throw new ParameterException(spec.commandLine(), "--algo astar is not benchmarked here; choose sssp, "
                    + "bfs, cc, msf, mis or matching");
        }
        if (source != null && !a.usesSource()) {
            throw new ParameterException(spec.commandLine(), "--source is only used by sssp and bfs");
        }
        List<String> names = schedulers.isEmpty() ? DEFAULT_SCHEDULERS
                : schedulers.size() == 1 && schedulers.get(0).trim().equalsIgnoreCase("none") ? List.of() : schedulers;
        List<String> ms = methods == null ? GraphBench.parallelMethods(a) : methods;
        for (String name : names) {
            GraphOptions.scheduler(spec, "--schedulers", name, threads, seed); // fail before loading
        }
        try {
            new GraphBench.Settings(a, threads, ms, names, warmups, warmupSeconds, repeats, seed, 0, false); // fail before loading
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--methods: " + ScaleMl.oneLine(e.getMessage()));
        }
        file.format(spec);

        PrintWriter out = spec.commandLine().getOut();
        GraphInput.Loaded in;
        try (TerminalProgress progress = TerminalProgress.open("bench graph", 1)) {
            progress.phase(String.valueOf(file.graph.getFileName()), "loading");
            in = file.load(spec, null);
            progress.done();
        }
        CsrGraph g = in.graph();
        int src = a.usesSource()
                ? GraphFileOptions.node(spec, g, in.file(), "--source", source, g.nodes() > 0 ? g.fileId(0) : 0)
                : 0;
        GraphBench.Settings settings;
        try {
            settings = new GraphBench.Settings(a, threads, ms, names, warmups, warmupSeconds, repeats, seed, src, !noJgrapht);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--methods: " + ScaleMl.oneLine(e.getMessage()));
        }
        if (!json) {
            out.printf(Locale.ROOT, "bench graph: %s on %s (%,d nodes, %,d edges, loaded in %.0f ms%s), %d thread(s), "
                            + "median of %d run(s)%s%n", a.command(), in.file(), g.nodes(), g.edges(), in.loadMillis(),
                    in.fromCache() ? " from the cache" : "", threads, repeats,
                    a.usesSource() ? ", source " + g.fileId(src) : "");
            out.flush();
        }
        List<GraphBench.Result> results = measure("bench graph", g, settings, out, json, String.valueOf(in.file()));
        if (!json) {
            out.println();
            out.print(GraphReport.table(results));
            out.flush();
        }
        for (GraphBench.Result r : results) {
            if (!r.verified()) {
                PrintWriter err = spec.commandLine().getErr();
                err.println(spec.qualifiedName() + ": " + r.name() + " did not reproduce the sequential result");
                err.flush();
                return ScaleMl.EXIT_FAILURE;
            }
        }
        return 0;
    }

    /**
     * Runs the contenders with a progress bar on a terminal; with {@code json}, prints each result as one JSON line
     * once all runs are done.
     */
    static List<GraphBench.Result> measure(String title, CsrGraph g, GraphBench.Settings settings, PrintWriter out,
                                           boolean json, String graphName) {
        try (TerminalProgress progress = TerminalProgress.open(title, GraphBench.steps(settings))) {
            return GraphBench.run(g, settings, progress, r -> {
                if (json) {
                    out.println(GraphReport.jsonLine(r, settings.algo().command(), graphName));
                    out.flush();
                }
            });
        }
    }
}
