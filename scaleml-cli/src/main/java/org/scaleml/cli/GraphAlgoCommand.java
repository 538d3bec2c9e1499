package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.cli.graph.GraphInput;
import org.scaleml.cli.graph.GraphRun;
import org.scaleml.cli.report.GraphReport;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.GraphWorkers;
import org.scaleml.sched.Scheduler;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The graph algorithm commands ({@code sssp}, {@code bfs}, {@code astar}, {@code cc}, {@code msf}, {@code mis},
 * {@code matching}): one shared body that checks the options, loads the graph, runs the parallel algorithm with
 * {@link GraphRun}, optionally verifies it, and prints one result. Each nested class only names its algorithm and
 * the options it adds.
 *
 * <p>Exit codes: 0 on success, 2 on invalid input (options, missing or malformed file, node not in the graph), 1
 * when the run failed or, with {@code --verify}, the result differs from the sequential reference (the JSON line
 * is printed first, with {@code "verified": false}).
 */
abstract class GraphAlgoCommand implements Callable<Integer> {
    /** The JSON keys, shared by the commands' help footers. */
    static final String JSON_KEYS = "With --json: one JSON object on one line. Keys:%n"
            + "  algo, method, scheduler, queue, threads, seed   what ran (method: see above; scheduler and queue: the%n"
            + "                  scheduler and its queue with parameters for method scheduler, else the method)%n"
            + "  graph, format, directed, nodes, edges, arcs   the input (edges: undirected edges or directed arcs)%n"
            + "  source, target   file node ids used (only for algorithms that take them)%n"
            + "  fromCache, loadMillis   graph loaded from the binary cache; loading time in ms%n"
            + "  millis          wall time of the algorithm in ms, loading excluded%n"
            + "  tasks, wastedTasks, emptyPolls   tasks executed (nodes, arcs or edges the method processed), of%n"
            + "                  which wasted (stale), idle polls%n"
            + "  steals          batches stolen between threads (smq), -1 where the queue does not report them%n"
            + "  extraWork       (tasks - reachable nodes) / reachable nodes (sssp and bfs only)%n"
            + "  checksum        identifies the result: sssp sum of finite distances, bfs sum of levels, astar the%n"
            + "                  distance (-1 if unreachable), cc number of components, msf total weight, mis set%n"
            + "                  size, matching number of matched pairs%n"
            + "  per algorithm   sssp, bfs: reachable; astar: distance (null if unreachable), expanded, settled,%n"
            + "                  pruned; cc: components, largestComponent; msf: forestWeight, forestEdges, rounds;%n"
            + "                  mis: setSize; matching: matchedPairs%n"
            + "  verified, referenceMillis, referenceChecksum   with --verify: exact equality with the sequential%n"
            + "                  reference (distances, levels, labels, forest weight and size, set, mates; astar:%n"
            + "                  Dijkstra's distance), its time and checksum%n"
            + "Node ids are those of the file (DIMACS, PACE and Matrix Market ids start at 1).%n"
            + "Exit codes: 0 success, 1 run failed or not verified, 2 invalid input.%n";

    @Spec
    CommandSpec spec;

    @Mixin
    GraphOptions options;

    /** The algorithm this command runs. */
    abstract GraphAlgo algo();

    /** --source as given (file id), or null. */
    Long source() {
        return null;
    }

    /** --target as given (file id), or null. */
    Long target() {
        return null;
    }

    /** The coordinate file to attach, or null. */
    Path coordinates() {
        return null;
    }

    @Override
    public Integer call() throws IOException {
        GraphAlgo algo = algo();
        String method = options.method(spec, algo);
        Scheduler scheduler = options.scheduler(spec, algo);
        options.file.format(spec);
        Path coords = coordinates();
        PrintWriter out = spec.commandLine().getOut();
        GraphReport.Single single;
        try (TerminalProgress progress = TerminalProgress.open(algo.command(), options.verify ? 3 : 2)) {
            progress.phase(String.valueOf(options.file.graph.getFileName()), "loading");
            GraphInput.Loaded in = options.file.load(spec, coords);
            progress.done();
            CsrGraph g = in.graph();
            int source = -1;
            int target = -1;
            Long sourceId = null;
            Long targetId = null;
            if (algo.usesSource()) {
                source = GraphFileOptions.node(spec, g, in.file(), "--source", source(), g.nodes() > 0 ? g.fileId(0) : 0);
                sourceId = g.fileId(source);
            }
            if (algo.usesTarget()) {
                target = GraphFileOptions.node(spec, g, in.file(), "--target", target(),
                        g.nodes() > 0 ? g.fileId(g.nodes() - 1) : 0);
                targetId = g.fileId(target);
            }
            if (algo == GraphAlgo.ASTAR && !g.hasCoordinates()) {
                throw new ParameterException(spec.commandLine(), "astar needs node coordinates: no .co file found "
                        + "beside " + in.file() + "; give --coords FILE");
            }
            progress.phase(method.equals(GraphAlgo.SCHEDULER) ? scheduler.name() : method, "running " + algo.command());
            GraphRun.Execution e;
            try (GraphWorkers workers = new GraphWorkers(scheduler.threads())) {
                e = GraphRun.execute(g, algo, method, scheduler, source, target, options.seed, workers);
            }
            progress.done();
            GraphRun.Reference ref = null;
            String mismatch = null;
            if (options.verify) {
                progress.phase("sequential", "verifying");
                ref = GraphRun.reference(g, algo, source, target, options.seed);
                mismatch = GraphRun.matches(e, ref);
                progress.done();
            }
            single = new GraphReport.Single(in, e, options.seed, sourceId, targetId, ref, mismatch);
        }
        out.print(options.json ? GraphReport.jsonLine(single) + System.lineSeparator() : GraphReport.text(single));
        out.flush();
        if (single.mismatch() != null) {
            PrintWriter err = spec.commandLine().getErr();
            err.println(spec.qualifiedName() + ": verification failed: " + single.mismatch());
            err.flush();
            return ScaleMl.EXIT_FAILURE;
        }
        return 0;
    }

    /**
     * Adds "Methods: ..." with one line per method to the description of every algorithm command, from {@link
     * GraphAlgo#methods()}, so the help cannot drift from what runs.
     */
    static void listMethodsInHelp(picocli.CommandLine root) {
        for (GraphAlgo a : GraphAlgo.values()) {
            picocli.CommandLine cmd = root.getSubcommands().get(a.command());
            if (cmd == null) {
                continue;
            }
            java.util.List<String> lines = new java.util.ArrayList<>(
                    java.util.Arrays.asList(cmd.getCommandSpec().usageMessage().description()));
            lines.add("Methods (--method):");
            for (String m : a.methods()) {
                lines.add(String.format(java.util.Locale.ROOT, "  %-12s %s%s", m, GraphAlgo.describe(m),
                        m.equals(a.defaultMethod()) ? " (default)" : ""));
            }
            cmd.getCommandSpec().usageMessage().description(lines.toArray(new String[0]));
        }
    }

    /** --source, for the algorithms that start from a node. */
    static final class SourceOption {
        @Option(names = "--source", paramLabel = "S",
                description = "source node, as a file id (default: the file's first node id, e.g. 1 for DIMACS)")
        Long source;
    }

    @Command(name = "sssp", header = "Single-source shortest paths, equal to Dijkstra's by every method.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Single-source shortest paths. Distances equal Dijkstra's by every method; on the relaxed",
                    "scheduler (priority-ordered label correcting) wasted tasks are the relaxation's cost.",
                    "Example: scaleml sssp --graph USA-road-d.NY.gr.gz --threads 2 --scheduler mq --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Sssp extends GraphAlgoCommand {
        @Mixin
        SourceOption sourceOption;

        @Override
        GraphAlgo algo() {
            return GraphAlgo.SSSP;
        }

        @Override
        Long source() {
            return sourceOption.source;
        }
    }

    @Command(name = "bfs", mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Breadth-first search levels (hops along out-arcs), equal to the sequential search's.",
                    "Example: scaleml bfs --graph pace2016-FLA.gr.xz --threads 2 --scheduler obim --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Bfs extends GraphAlgoCommand {
        @Mixin
        SourceOption sourceOption;

        @Override
        GraphAlgo algo() {
            return GraphAlgo.BFS;
        }

        @Override
        Long source() {
            return sourceOption.source;
        }
    }

    @Command(name = "astar",
            header = "A* search for one source-target query on the relaxed scheduler.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "A* for one source-target query on the relaxed scheduler, with the straight-line distance",
                    "between node coordinates (scaled to stay admissible) as heuristic. Needs coordinates: a",
                    "DIMACS .co file given with --coords, or found beside the graph (X.gr[.gz] -> X.co[.gz]).",
                    "Without --target the query goes to the file's last node id.",
                    "Example: scaleml astar --graph USA-road-d.NY.gr.gz --source 1 --target 200000 --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class AStar extends GraphAlgoCommand {
        @Mixin
        SourceOption sourceOption;

        @Option(names = "--target", paramLabel = "T",
                description = "target node, as a file id (default: the file's last node id)")
        Long target;

        @Option(names = "--coords", paramLabel = "FILE",
                description = "DIMACS coordinate file (default: the .co or .co.gz beside the graph, if any)")
        Path coords;

        @Override
        GraphAlgo algo() {
            return GraphAlgo.ASTAR;
        }

        @Override
        Long source() {
            return sourceOption.source;
        }

        @Override
        Long target() {
            return target;
        }

        @Override
        Path coordinates() {
            return coords != null ? coords : GraphInput.coordinatesBeside(options.file.graph);
        }
    }

    @Command(name = "cc",
            header = "Connected components of the undirected view (labels: smallest node of each).",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Connected components of the graph's undirected view (labels: the smallest node of each",
                    "component), by union-find or by label propagation on the relaxed scheduler.",
                    "Example: scaleml cc --graph wiki-Vote.txt.gz --threads 2 --scheduler mq --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Cc extends GraphAlgoCommand {
        @Override
        GraphAlgo algo() {
            return GraphAlgo.CC;
        }
    }

    @Command(name = "msf", header = "Minimum spanning forest of the undirected view, as light as Kruskal's.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Minimum spanning forest of the graph's undirected view (total weight and edge count equal",
                    "to the sequential Kruskal's).",
                    "Example: scaleml msf --graph USA-road-d.NY.gr.gz --threads 2 --scheduler mq --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Msf extends GraphAlgoCommand {
        @Override
        GraphAlgo algo() {
            return GraphAlgo.MSF;
        }
    }

    @Command(name = "mis",
            header = "Greedy maximal independent set, equal to the sequential greedy set.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Greedy maximal independent set of the undirected view in a fixed random order (--seed):",
                    "every method returns exactly the sequential greedy set.",
                    "Example: scaleml mis --graph pace2016-FLA.gr.xz --threads 2 --scheduler mq --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Mis extends GraphAlgoCommand {
        @Override
        GraphAlgo algo() {
            return GraphAlgo.MIS;
        }
    }

    @Command(name = "matching",
            header = "Greedy maximal matching, equal to the sequential greedy matching.",
            mixinStandardHelpOptions = true, versionProvider = ScaleMl.Version.class,
            sortOptions = false,
            description = {
                    "Greedy maximal matching of the undirected view in a fixed random edge order (--seed):",
                    "every method returns exactly the sequential greedy matching.",
                    "Example: scaleml matching --graph pace2016-FLA.gr.xz --threads 2 --scheduler mq --verify --json",
            },
            footerHeading = "%n", footer = JSON_KEYS)
    static final class Matching extends GraphAlgoCommand {
        @Override
        GraphAlgo algo() {
            return GraphAlgo.MATCHING;
        }
    }
}
