package org.scaleml.cli.graph;

import java.util.List;
import java.util.Locale;

import org.scaleml.graph.algo.DeltaSteppingSssp;
import org.scaleml.graph.algo.FrontierBfs;
import org.scaleml.graph.algo.RoundsGreedyMatching;
import org.scaleml.graph.algo.RoundsGreedyMis;
import org.scaleml.graph.algo.UnionFindComponents;
import org.scaleml.graph.algo.UnionFindMsf;

/** The graph algorithms the command line runs, by their command names. */
public enum GraphAlgo {
    /** Single-source shortest paths (priority-ordered label correcting). */
    SSSP("sssp", true, false, List.of(DeltaSteppingSssp.METHOD, GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** Breadth-first search levels. */
    BFS("bfs", true, false, List.of(FrontierBfs.METHOD, GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** A* for one source-target query, with the coordinates as heuristic. */
    ASTAR("astar", true, true, List.of(GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** Connected components of the undirected view. */
    CC("cc", false, false, List.of(UnionFindComponents.METHOD, UnionFindComponents.AFFOREST_METHOD,
            GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** Minimum spanning forest of the undirected view. */
    MSF("msf", false, false, List.of(UnionFindMsf.METHOD, GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** Greedy maximal independent set in a fixed random order. */
    MIS("mis", false, false, List.of(RoundsGreedyMis.METHOD, GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL)),
    /** Greedy maximal matching in a fixed random order. */
    MATCHING("matching", false, false,
            List.of(RoundsGreedyMatching.METHOD, GraphAlgo.SCHEDULER, GraphAlgo.SEQUENTIAL));

    /** The method that runs the algorithm on the relaxed scheduler named by {@code --scheduler}. */
    public static final String SCHEDULER = "scheduler";
    /** The method that runs the sequential reference (one thread). */
    public static final String SEQUENTIAL = "sequential";

    private final String command;
    private final boolean usesSource;
    private final boolean usesTarget;
    private final List<String> methods;

    GraphAlgo(String command, boolean usesSource, boolean usesTarget, List<String> methods) {
        this.command = command;
        this.usesSource = usesSource;
        this.usesTarget = usesTarget;
        this.methods = methods;
    }

    /**
     * The methods that compute this algorithm's result, the default first: the fastest method verified to
     * equal the sequential reference at 2 threads on the shared road networks (docs/BENCHMARKS.md has the
     * figures that chose it), then the other parallel methods, then {@link #SCHEDULER} and {@link #SEQUENTIAL}.
     */
    public List<String> methods() {
        return methods;
    }

    /** The method a command runs when the user names none (the first of {@link #methods()}). */
    public String defaultMethod() {
        return methods.get(0);
    }

    /** One line on what a method does, for the commands' help; empty for an unknown name. */
    public static String describe(String method) {
        switch (method) {
            case SCHEDULER:
                return "the relaxed scheduler of --scheduler (its wasted tasks reported)";
            case SEQUENTIAL:
                return "the sequential reference, one thread";
            case FrontierBfs.METHOD:
                return "level-synchronous parallel search with per-thread frontiers, bottom-up on dense levels";
            case UnionFindComponents.METHOD:
                return "union-find per thread on its node range, then the edges between ranges";
            case UnionFindComponents.AFFOREST_METHOD:
                return "Afforest-style sampling on the general concurrent union-find";
            case DeltaSteppingSssp.METHOD:
                return "delta-stepping: distance buckets shared by the threads, one barrier per bucket";
            case RoundsGreedyMis.METHOD: // also RoundsGreedyMatching.METHOD
                return "rounds over a growing prefix of the random order (matching: locally first edges)";
            case UnionFindMsf.METHOD:
                return "Kruskal on a parallel radix sort (forests per node range for equal weights)";
            default:
                return "";
        }
    }

    /**
     * The method of a name (case-insensitive), as {@link #methods()} spells it.
     *
     * @throws IllegalArgumentException naming the methods this algorithm has
     */
    public String method(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (String m : methods) {
            if (m.equals(n)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown method '" + name + "' for " + command + "; expected "
                + String.join(", ", methods));
    }

    /**
     * The scheduler specification to use for this algorithm when the user names {@code scheduler}. A plain
     * {@code obim} (no parameters) gets a bucket width that suits the algorithm's priorities: BFS levels are
     * small integers (delta 0: one bucket per level); MIS and matching priorities are random 64-bit values,
     * and on New York the coarsest buckets ran fastest (delta 62, four buckets: the greedy rule already parks
     * a task whose earlier neighbours are undecided, so order inside the run matters little; delta 48 to 58
     * made the bucket map the bottleneck, 2 to 20 times slower). Other algorithms, and every explicit specification such as
     * {@code obim:delta=10}, are used as given.
     */
    public String schedulerSpec(String scheduler) {
        if (scheduler == null || !scheduler.trim().equalsIgnoreCase("obim")) {
            return scheduler;
        }
        switch (this) {
            case BFS:
                return "obim:delta=0";
            case MIS:
            case MATCHING:
                return "obim:delta=62";
            default:
                return scheduler;
        }
    }

    /** The command name and JSON {@code algo} value, e.g. {@code "sssp"}. */
    public String command() {
        return command;
    }

    /** Whether the algorithm starts from a source node. */
    public boolean usesSource() {
        return usesSource;
    }

    /** Whether the algorithm answers a query for one target node. */
    public boolean usesTarget() {
        return usesTarget;
    }

    /**
     * The algorithm of a command name (case-insensitive).
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static GraphAlgo fromName(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        for (GraphAlgo a : values()) {
            if (a.command.equals(n)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown algorithm '" + name
                + "'; expected sssp, bfs, astar, cc, msf, mis or matching");
    }
}
