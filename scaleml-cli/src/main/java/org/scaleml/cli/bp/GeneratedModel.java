package org.scaleml.cli.bp;

import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.Generators;
import org.scaleml.cli.gen.GeneratorSpec;

/**
 * A generated factor graph named where a UAI model file is expected: {@code --model gen:KIND:key=value,...}, so
 * that {@code bp} and {@code bench bp} can run at any size without a file. Kinds (each a call of {@link
 * Generators}):
 * <ul>
 *   <li>{@code gen:ising:rows=R,cols=C[,c=C][,seed=S]}: an Ising grid ({@link Generators#isingGrid}) with every
 *       coupling and field uniform in {@code [-c/2, c/2)}; the default {@code c = 2} gives the frustrated grids
 *       (couplings in {@code [-1, 1)}) on which relaxed residual BP is usually measured.</li>
 *   <li>{@code gen:potts:rows=R,cols=C[,q=Q][,c=C][,seed=S]}: a Potts grid ({@link Generators#pottsGrid}) with
 *       {@code q} states per variable (default 3, at most {@value #MAX_STATES}), couplings and fields uniform in
 *       {@code [-c/2, c/2)} (default {@code c = 2}).</li>
 *   <li>{@code gen:tree:n=N[,card=K][,strength=X][,seed=S]}: a random tree ({@link Generators#randomTree}) of
 *       {@code n} variables with cardinalities uniform in {@code [2, K]} (default 3, at most {@value
 *       #MAX_STATES}) and table entries {@code exp(u X)}, {@code u} uniform in {@code [-1, 1)} (default
 *       {@code X = 1}); BP is exact on it.</li>
 * </ul>
 * Variables are numbered as {@link Generators} documents (row-major on the grids), so a UAI evidence file applies
 * by variable index. The seed defaults to 1; the same specification always gives the same model. Stateless.
 */
public final class GeneratedModel {
    /** The most states per variable a specification may ask for (pairwise tables have its square entries). */
    public static final int MAX_STATES = 1000;

    private GeneratedModel() {
    }

    /** True if {@code name} names a generated model rather than a file. */
    public static boolean isGenerated(String name) {
        return GeneratorSpec.isGenerated(name);
    }

    /**
     * Generates the model named by {@code spec}.
     *
     * @throws IllegalArgumentException naming the specification and the key, for an unknown kind or key, a missing
     *                                  or malformed value, or a value the generator refuses (a negative {@code c},
     *                                  a grid too large)
     */
    public static FactorGraph generate(String spec) {
        return GeneratorSpec.generate(spec, "model", GeneratedModel::generate);
    }

    private static FactorGraph generate(GeneratorSpec s) {
        switch (s.kind()) {
            case "ising": {
                s.allow("rows", "cols", "c", "seed");
                int rows = s.intValue("rows");
                int cols = s.intValue("cols");
                double half = halfWidth(s);
                return Generators.isingGrid(rows, cols, -half, half, -half, half, s.longValue("seed", 1));
            }
            case "potts": {
                s.allow("rows", "cols", "q", "c", "seed");
                int rows = s.intValue("rows");
                int cols = s.intValue("cols");
                int q = s.intValue("q", 3, 2, MAX_STATES);
                double half = halfWidth(s);
                return Generators.pottsGrid(rows, cols, q, -half, half, -half, half, s.longValue("seed", 1));
            }
            case "tree": {
                s.allow("n", "card", "strength", "seed");
                return Generators.randomTree(s.intValue("n"), s.intValue("card", 3, 2, MAX_STATES),
                        s.doubleValue("strength", 1.0), s.longValue("seed", 1));
            }
            default:
                throw s.unknownKind("model", "ising", "potts", "tree");
        }
    }

    /** Half the width {@code c} of the coupling and field range, checked to be finite and non-negative. */
    private static double halfWidth(GeneratorSpec s) {
        double c = s.doubleValue("c", 2.0);
        if (!(c >= 0) || Double.isInfinite(c)) {
            throw s.error("c must be a finite number >= 0, got " + c);
        }
        return c / 2;
    }
}
