package org.scaleml.cli.graph;

import org.scaleml.cli.gen.GeneratorSpec;
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
    public static final String PREFIX = GeneratorSpec.PREFIX;

    private GeneratedGraph() {
    }

    /** True if {@code name} names a generated graph. */
    public static boolean isGenerated(String name) {
        return GeneratorSpec.isGenerated(name);
    }

    /**
     * Generates the graph named by {@code spec}.
     *
     * @throws IllegalArgumentException naming the key and what was wrong, for an unknown kind or key, a missing
     *                                  or malformed value, or a graph too large for the CSR representation
     */
    public static CsrGraph generate(String spec) {
        return GeneratorSpec.generate(spec, "graph", GeneratedGraph::generate);
    }

    private static CsrGraph generate(GeneratorSpec s) {
        switch (s.kind()) {
            case "grid": {
                s.allow("rows", "cols", "maxw", "seed");
                return GraphGenerators.grid(s.intValue("rows"), s.intValue("cols"), s.intValue("maxw", 1000),
                        s.longValue("seed", 1));
            }
            case "rmat": {
                s.allow("scale", "ef", "seed");
                return GraphGenerators.rmat(s.requiredInt("scale", 1, 30), s.intValue("ef", 16),
                        s.longValue("seed", 1));
            }
            case "geometric": {
                s.allow("n", "degree", "seed");
                int n = s.intValue("n");
                double degree = s.doubleValue("degree", 8.0);
                return GraphGenerators.randomGeometric(n, GraphGenerators.radiusForAverageDegree(n, degree),
                        s.longValue("seed", 1));
            }
            default:
                throw s.unknownKind("graph", "grid", "rmat", "geometric");
        }
    }
}
