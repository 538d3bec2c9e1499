package org.scaleml.train.robust;

import java.util.List;
import java.util.Locale;
import org.scaleml.comm.codec.CodecSpec;

/**
 * Creates gradient aggregators from a text specification.
 *
 * <p><b>Syntax.</b> {@code name[:key=value,...]} (parsed by {@link CodecSpec}), with {@code P} workers of which
 * {@code f} may be Byzantine:
 * <ul>
 *   <li>{@code mean}: coordinate-wise average; not robust, accepts any {@code f} (the baseline).</li>
 *   <li>{@code median}: coordinate-wise median; needs {@code 2f < P}.</li>
 *   <li>{@code trimmed-mean[:trim=B]}: per coordinate drop the {@code B} largest and {@code B} smallest values and
 *       average the rest; default {@code B = max(1, f)}; needs {@code f <= B} and {@code 2B < P}.</li>
 *   <li>{@code krum[:m=M]}: Krum, or with {@code M > 1} Multi-Krum (average of the {@code M} best); default
 *       {@code M = 1}, {@code 1 <= M <= P - f}; needs {@code P > 2f + 2}.</li>
 *   <li>{@code clip[:tau=T,iters=L]}: centered clipping around the previous aggregate; {@code T > 0} the radius
 *       (default adaptive: the median distance of the workers to the centre), {@code L} in {@code [1, 100]}
 *       iterations per call (default 1); needs {@code 2f < P}.</li>
 * </ul>
 * Examples: {@code trimmed-mean:trim=2}, {@code krum:m=3}, {@code clip:tau=0.5,iters=3}.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException} naming the offending part: unknown rule (the message lists
 * the known ones), unknown or repeated key, bad value, or a rule that cannot tolerate {@code f} of {@code P}. The
 * returned aggregator's {@link Aggregator#spec()} is canonical (every parameter written out, except an adaptive
 * {@code tau}) and is accepted again by {@code create}.
 *
 * <p><b>Thread safety.</b> Stateless; may be called concurrently. The aggregators it returns are not thread-safe.
 */
public final class Aggregators {
    /*
     * Parsing is CodecSpec's (name, then comma-separated key=value pairs; typed getters with ranges; unknown keys
     * rejected by requireAllUsed), the same grammar as codec specifications, so one syntax serves every --flag that
     * names a rule. The name is checked first, so an unknown one gets the list of known rules rather than a
     * complaint about its parameters. The tolerance conditions are those of each rule's paper (see the classes).
     */
    private static final List<String> NAMES = List.of("mean", "median", "trimmed-mean", "krum", "clip");
    private static final List<String> HELP = List.of(
            "mean: coordinate-wise average (not robust: one attacker can move it anywhere; the baseline)",
            "median: coordinate-wise median (mean of the two middle values for even P); needs 2f < P",
            "trimmed-mean[:trim=B]: per coordinate drop the B largest and B smallest values, average the rest;"
                    + " default B = max(1, f); needs f <= B and 2B < P",
            "krum[:m=M]: the vector with the least squared distance to its P - f - 2 nearest others (Blanchard"
                    + " et al. 2017); M > 1 averages the M best (Multi-Krum); default M = 1; needs P > 2f + 2",
            "clip[:tau=T,iters=L]: centered clipping around the previous aggregate (Karimireddy et al. 2021);"
                    + " default T = median distance to the centre, L = 1; needs 2f < P");

    private Aggregators() {
    }

    /**
     * spec: mean | median | trimmed-mean[:trim=B] | krum[:m=M] | clip[:tau=T,iters=L]; world = P workers,
     * byzantine = f, the number of Byzantine workers to tolerate (the trainer passes --attackers, may be 0).
     * Throws IllegalArgumentException with a clear message for unknown names/keys, bad values, or when the rule
     * cannot tolerate f of P (e.g. trimmed mean needs 2B &lt; P, Krum needs P &gt; 2f + 2); message lists known names.
     *
     * @param spec      see the class comment
     * @param world     number of workers {@code P >= 1}; {@link Aggregator#aggregate} takes exactly that many
     * @param byzantine {@code f} in {@code [0, P)}
     * @throws IllegalArgumentException as described
     */
    public static Aggregator create(String spec, int world, int byzantine) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty aggregator spec; known: " + String.join(", ", NAMES));
        }
        if (world < 1) {
            throw new IllegalArgumentException("aggregator '" + spec + "': world must be >= 1 workers, got " + world);
        }
        if (byzantine < 0 || byzantine >= world) {
            throw new IllegalArgumentException("aggregator '" + spec + "': the number of Byzantine workers must be in"
                    + " [0, " + world + ") for " + world + " workers, got " + byzantine);
        }
        String t = spec.strip();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown aggregator '" + name + "' in '" + spec + "'; known: "
                    + String.join(", ", NAMES));
        }
        try {
            CodecSpec s = CodecSpec.parse(t);
            return switch (name) {
                case "mean" -> {
                    s.requireAllUsed();
                    yield new MeanAggregator(world);
                }
                case "median" -> {
                    s.requireAllUsed();
                    requireMinority(t, "median", world, byzantine);
                    yield new MedianAggregator(world);
                }
                case "trimmed-mean" -> trimmedMean(s, t, world, byzantine);
                case "krum" -> krum(s, t, world, byzantine);
                case "clip" -> clip(s, t, world, byzantine);
                default -> throw new AssertionError(name);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("aggregator " + e.getMessage(), e);
        }
    }

    /** The known names with a one-line description each, for --help. */
    public static List<String> help() {
        return HELP;
    }

    private static Aggregator trimmedMean(CodecSpec s, String t, int world, int f) {
        int trim = s.intParam("trim", Math.max(1, f), 0, world);
        s.requireAllUsed();
        if (2 * trim >= world) {
            throw new IllegalArgumentException("'" + t + "': trimming " + trim + " from each end needs more than "
                    + 2 * trim + " workers, got " + world + " (use trim <= " + (world - 1) / 2 + ")");
        }
        if (trim < f) {
            throw new IllegalArgumentException("'" + t + "': trim=" + trim + " cannot tolerate " + f
                    + " Byzantine workers; trim must be >= " + f);
        }
        return new TrimmedMeanAggregator(world, trim);
    }

    private static Aggregator krum(CodecSpec s, String t, int world, int f) {
        if (world <= 2 * f + 2) {
            throw new IllegalArgumentException("'" + t + "': krum tolerates f Byzantine workers only when"
                    + " P > 2f + 2; got P = " + world + ", f = " + f + " (needs at least " + (2 * f + 3)
                    + " workers)");
        }
        int m = s.intParam("m", 1, 1, world - f);
        s.requireAllUsed();
        return new KrumAggregator(world, f, m);
    }

    private static Aggregator clip(CodecSpec s, String t, int world, int f) {
        double tau = s.doubleParam("tau", Double.NaN, 0, 1e30); // NaN when absent: adaptive
        if (s.has("tau") && !(tau > 0)) {
            throw new IllegalArgumentException("'" + t + "': tau must be > 0 (omit it for the adaptive median"
                    + " radius), got " + Slices.number(tau));
        }
        int iters = s.intParam("iters", 1, 1, 100);
        s.requireAllUsed();
        requireMinority(t, "clip", world, f);
        return new CenteredClipping(world, tau, iters);
    }

    private static void requireMinority(String t, String rule, int world, int f) {
        if (2 * f >= world) {
            throw new IllegalArgumentException("'" + t + "': " + rule + " tolerates Byzantine workers only while"
                    + " they are fewer than half (2f < P); got f = " + f + " of P = " + world);
        }
    }
}
