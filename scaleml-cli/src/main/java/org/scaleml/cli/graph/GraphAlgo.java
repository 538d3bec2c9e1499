package org.scaleml.cli.graph;

import java.util.Locale;

/** The graph algorithms the command line runs, by their command names. */
public enum GraphAlgo {
    /** Single-source shortest paths (priority-ordered label correcting). */
    SSSP("sssp", true, false),
    /** Breadth-first search levels. */
    BFS("bfs", true, false),
    /** A* for one source-target query, with the coordinates as heuristic. */
    ASTAR("astar", true, true),
    /** Connected components of the undirected view. */
    CC("cc", false, false),
    /** Minimum spanning forest of the undirected view. */
    MSF("msf", false, false),
    /** Greedy maximal independent set in a fixed random order. */
    MIS("mis", false, false),
    /** Greedy maximal matching in a fixed random order. */
    MATCHING("matching", false, false);

    private final String command;
    private final boolean usesSource;
    private final boolean usesTarget;

    GraphAlgo(String command, boolean usesSource, boolean usesTarget) {
        this.command = command;
        this.usesSource = usesSource;
        this.usesTarget = usesTarget;
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
