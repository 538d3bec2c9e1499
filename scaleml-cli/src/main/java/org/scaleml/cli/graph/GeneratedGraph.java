package org.scaleml.cli.graph;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphGenerators;

/**
 * A generated graph named where a file is expected: {@code --graph gen:KIND:key=value,...}, so that every graph
 * command and {@code bench graph} can run at any scale without a file. Kinds:
 * <ul>
 *   <li>{@code gen:grid:rows=R,cols=C[,maxw=W][,seed=S]}: a 4-neighbour grid with weights uniform in
 *       {@code [1, W]} (default 1000) and x/y coordinates; about {@code 2RC} undirected edges.</li>
 *   <li>{@code gen:rmat:scale=K,ef=F[,seed=S]}: a directed, unweighted R-MAT graph (Graph500 probabilities) on
 *       {@code 2^K} nodes with {@code F * 2^K} arcs.</li>
 *   <li>{@code gen:geometric:n=N,degree=D[,seed=S]}: a random geometric graph in the unit square with expected
 *       average degree about {@code D}, Euclidean weights and coordinates.</li>
 * </ul>
 * The seed defaults to 1; the same specification always gives the same graph. Generated graphs are not cached.
 */
public final class GeneratedGraph {
    /** The prefix that marks a generated graph. */
    public static final String PREFIX = "gen:";

    private GeneratedGraph() {
    }

    /** True if {@code name} names a generated graph. */
    public static boolean isGenerated(String name) {
        return name.startsWith(PREFIX);
    }

    /**
     * Generates the graph named by {@code spec}.
     *
     * @throws IllegalArgumentException naming the key and what was wrong, for an unknown kind or key, a missing
     *                                  or malformed value, or a graph too large for the CSR representation
     */
    public static CsrGraph generate(String spec) {
        if (!isGenerated(spec)) {
            throw new IllegalArgumentException("not a generated graph: '" + spec + "' (expected " + PREFIX + "...)");
        }
        String rest = spec.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String kind = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        Map<String, String> kv = parse(spec, colon < 0 ? "" : rest.substring(colon + 1));
        try {
            switch (kind) {
                case "grid": {
                    allow(spec, kv, Set.of("rows", "cols", "maxw", "seed"));
                    return GraphGenerators.grid(intValue(spec, kv, "rows", null), intValue(spec, kv, "cols", null),
                            intValue(spec, kv, "maxw", 1000), longValue(spec, kv, "seed", 1));
                }
                case "rmat": {
                    allow(spec, kv, Set.of("scale", "ef", "seed"));
                    int scale = intValue(spec, kv, "scale", null);
                    if (scale < 1 || scale > 30) {
                        throw new IllegalArgumentException(spec + ": scale must be in [1, 30], got " + scale);
                    }
                    return GraphGenerators.rmat(scale, intValue(spec, kv, "ef", 16), longValue(spec, kv, "seed", 1));
                }
                case "geometric": {
                    allow(spec, kv, Set.of("n", "degree", "seed"));
                    int n = intValue(spec, kv, "n", null);
                    double degree = doubleValue(spec, kv, "degree", 8.0);
                    return GraphGenerators.randomGeometric(n, GraphGenerators.radiusForAverageDegree(n, degree),
                            longValue(spec, kv, "seed", 1));
                }
                default:
                    throw new IllegalArgumentException(spec + ": unknown generated graph kind '" + kind
                            + "' (known: grid, rmat, geometric)");
            }
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(spec + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(spec) ? e
                    : new IllegalArgumentException(spec + ": " + e.getMessage(), e);
        }
    }

    private static Map<String, String> parse(String spec, String list) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (list.isEmpty()) {
            return kv;
        }
        for (String part : list.split(",", -1)) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException(spec + ": expected key=value, got '" + part + "'");
            }
            String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
            if (kv.put(key, part.substring(eq + 1).trim()) != null) {
                throw new IllegalArgumentException(spec + ": key '" + key + "' given twice");
            }
        }
        return kv;
    }

    private static void allow(String spec, Map<String, String> kv, Set<String> keys) {
        for (String k : kv.keySet()) {
            if (!keys.contains(k)) {
                throw new IllegalArgumentException(spec + ": unknown key '" + k + "' (known: "
                        + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    private static int intValue(String spec, Map<String, String> kv, String key, Integer fallback) {
        if (fallback == null && !kv.containsKey(key)) {
            throw new IllegalArgumentException(spec + ": missing " + key + "=...");
        }
        long v = longValue(spec, kv, key, fallback == null ? 0 : fallback);
        if (v != (int) v) {
            throw new IllegalArgumentException(spec + ": " + key + " is too large: " + v);
        }
        return (int) v;
    }

    private static long longValue(String spec, Map<String, String> kv, String key, long fallback) {
        String v = kv.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": " + key + " must be an integer, got '" + v + "'", e);
        }
    }

    private static double doubleValue(String spec, Map<String, String> kv, String key, double fallback) {
        String v = kv.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": " + key + " must be a number, got '" + v + "'", e);
        }
    }
}
