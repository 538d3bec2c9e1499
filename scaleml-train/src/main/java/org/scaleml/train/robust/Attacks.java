package org.scaleml.train.robust;

import java.util.List;
import java.util.Locale;
import org.scaleml.comm.codec.CodecSpec;

/**
 * Creates simulated Byzantine attacks from a text specification {@code name[:scale=X]} (parsed by
 * {@link CodecSpec}):
 * <ul>
 *   <li>{@code signflip[:scale=X]}: sends {@code -X * g} (default {@code X = 10});</li>
 *   <li>{@code scaled[:scale=X]}: sends {@code X * g} (default 10);</li>
 *   <li>{@code noise[:scale=X]}: sends Gaussian noise of standard deviation {@code X} per coordinate (default 1),
 *       from a stream fixed by {@code seed}, the attacker's rank, the step and the slice offset.</li>
 * </ul>
 * {@code X} is in {@code [0, 1e6]}. The returned attack's {@link Attack#spec()} is canonical, e.g.
 * {@code signflip:scale=10}, and accepted again.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException} naming the offending part: unknown attack (with the known
 * ones), unknown or repeated key, bad value, negative rank.
 *
 * <p><b>Thread safety.</b> Stateless; may be called concurrently. The attacks are stateless too.
 */
public final class Attacks {
    /*
     * Same grammar and parser as Aggregators (CodecSpec). The cap on the scale keeps scaled gradients of ordinary
     * magnitude finite in float; an attacker that sends infinities or NaN
     * is not simulated here (the aggregators' tests feed them directly).
     */
    private static final List<String> NAMES = List.of("signflip", "scaled", "noise");
    private static final double MAX_SCALE = 1e6;
    private static final List<String> HELP = List.of(
            "signflip[:scale=X]: sends -X times its gradient (default X = 10)",
            "scaled[:scale=X]: sends X times its gradient (default X = 10)",
            "noise[:scale=X]: sends Gaussian noise of standard deviation X per coordinate (default X = 1)");

    private Attacks() {
    }

    /**
     * spec: signflip[:scale=X] (sends -X*g, default X=10) | scaled[:scale=X] (sends X*g, default 10) |
     * noise[:scale=X] (sends Gaussian noise of standard deviation X per coordinate, default 1). seed and rank
     * make the noise stream deterministic. Clear IllegalArgumentException on bad input.
     *
     * @param spec see the class comment
     * @param seed the run's seed
     * @param rank the attacker's rank, {@code >= 0}
     */
    public static Attack create(String spec, long seed, int rank) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty attack spec; known: " + String.join(", ", NAMES));
        }
        if (rank < 0) {
            throw new IllegalArgumentException("attack '" + spec + "': rank must be >= 0, got " + rank);
        }
        String t = spec.strip();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        if (!NAMES.contains(name)) {
            throw new IllegalArgumentException("unknown attack '" + name + "' in '" + spec + "'; known: "
                    + String.join(", ", NAMES));
        }
        try {
            CodecSpec s = CodecSpec.parse(t);
            double scale = s.doubleParam("scale", name.equals("noise") ? 1 : 10, 0, MAX_SCALE);
            s.requireAllUsed();
            String canonical = name + ":scale=" + Slices.number(scale);
            return switch (name) {
                case "signflip" -> new ScalingAttack(canonical, -scale);
                case "scaled" -> new ScalingAttack(canonical, scale);
                case "noise" -> new NoiseAttack(canonical, scale, seed, rank);
                default -> throw new AssertionError(name);
            };
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("attack " + e.getMessage(), e);
        }
    }

    /** The known names with a one-line description each, for --help. */
    public static List<String> help() {
        return HELP;
    }
}
