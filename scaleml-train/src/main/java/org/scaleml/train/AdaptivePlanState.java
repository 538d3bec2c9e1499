package org.scaleml.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.scaleml.train.model.Layer;

/**
 * The state of a {@link GradientExchange}'s layer-wise adaptive planner, and its text form, which checkpoints and
 * reports carry (so the format below never changes without a new header):
 * <pre>
 *   adaptive-plan-v1;spec=SPEC;layers=KEY;calls=C;version=V;bits=B1,B2,...[;err=E1,E2,...]
 * </pre>
 * {@code SPEC} is the canonical adaptive specification, {@code KEY} a checksum of the planned layers (8 hex
 * digits), {@code C} the calls of {@code average} so far, {@code V} the plan version, {@code Bi} the width of each
 * planned layer in layer order, and {@code Ei}, present only inside a measurement window, the partial error sums
 * per layer and candidate width as the hexadecimal raw bits of the doubles (so they round-trip exactly). The
 * fields after the header may come in any order when parsed; {@link #format()} writes them in the order above.
 * One line of printable ASCII without spaces.
 *
 * <p>{@link #parse(String)} checks the syntax alone; {@link #parse(String, LayerwisePlanner.Spec, String, List)}
 * also checks that the state is one that an exchange with a given specification and layers can reach. Both throw
 * {@link IllegalArgumentException}.
 * Immutable: the arrays are copied in and out.
 *
 * @param spec      the canonical adaptive specification
 * @param layers    the checksum of the adaptively planned layers
 * @param calls     calls of {@code average} so far, at least 1
 * @param version   the plan version: 0 until the first plan, then the number of plans made
 * @param bits      the current width of each planned layer
 * @param errorSums the partial error sums of the current measurement window, or null outside one
 */
record AdaptivePlanState(String spec, String layers, long calls, long version, int[] bits, double[] errorSums) {
    /** The first field of the text form: the format's name and version. */
    static final String HEADER = "adaptive-plan-v1";
    private static final List<String> FIELDS = List.of("spec", "layers", "calls", "version", "bits", "err");
    private static final List<String> REQUIRED = List.of("spec", "layers", "calls", "version", "bits");

    AdaptivePlanState {
        Objects.requireNonNull(spec, "spec");
        Objects.requireNonNull(layers, "layers");
        bits = bits.clone();
        errorSums = errorSums == null ? null : errorSums.clone();
    }

    @Override
    public int[] bits() {
        return bits.clone();
    }

    /** The error sums, or null outside a measurement window. */
    @Override
    public double[] errorSums() {
        return errorSums == null ? null : errorSums.clone();
    }

    /** True inside a measurement window (the state carries error sums). */
    boolean measured() {
        return errorSums != null;
    }

    /**
     * Reads the text form.
     *
     * @throws IllegalArgumentException {@code malformed adaptive plan state '...': why} for a wrong header, a field
     *                                  that is not {@code key=value}, repeated, unknown or missing, a number that
     *                                  does not parse, or an error sum that is not finite and non-negative
     */
    static AdaptivePlanState parse(String text) {
        String[] parts = text.split(";", -1);
        if (!parts[0].equals(HEADER)) {
            throw malformed(text, "does not start with " + HEADER);
        }
        Map<String, String> kv = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0 || kv.put(parts[i].substring(0, eq), parts[i].substring(eq + 1)) != null) {
                throw malformed(text, "expected distinct key=value fields, got '" + parts[i] + "'");
            }
        }
        for (String k : kv.keySet()) {
            if (!FIELDS.contains(k)) {
                throw malformed(text, "unknown field '" + k + "'");
            }
        }
        for (String k : REQUIRED) {
            if (!kv.containsKey(k)) {
                throw malformed(text, "missing field '" + k + "'");
            }
        }
        try {
            long calls = Long.parseLong(kv.get("calls"));
            long version = Long.parseLong(kv.get("version"));
            String[] bs = list(kv.get("bits"));
            int[] bits = new int[bs.length];
            for (int i = 0; i < bs.length; i++) {
                bits[i] = Integer.parseInt(bs[i]);
            }
            double[] errors = null;
            if (kv.containsKey("err")) {
                String[] es = list(kv.get("err"));
                errors = new double[es.length];
                for (int i = 0; i < es.length; i++) {
                    errors[i] = Double.longBitsToDouble(Long.parseUnsignedLong(es[i], 16));
                    if (!(errors[i] >= 0 && errors[i] < Double.POSITIVE_INFINITY)) {
                        throw malformed(text, "error sum " + errors[i] + " is not finite and >= 0");
                    }
                }
            }
            return new AdaptivePlanState(kv.get("spec"), kv.get("layers"), calls, version, bits, errors);
        } catch (NumberFormatException e) {
            throw malformed(text, "not a number: " + e.getMessage());
        }
    }

    private static String[] list(String commaSeparated) {
        return commaSeparated.isEmpty() ? new String[0] : commaSeparated.split(",", -1);
    }

    /** The text form (see the class comment); {@code parse(format())} gives an equal state. */
    String format() {
        StringBuilder sb = new StringBuilder(HEADER).append(";spec=").append(spec).append(";layers=").append(layers)
                .append(";calls=").append(calls).append(";version=").append(version).append(";bits=");
        for (int i = 0; i < bits.length; i++) {
            sb.append(i == 0 ? "" : ",").append(bits[i]);
        }
        if (errorSums != null) {
            sb.append(";err=");
            for (int i = 0; i < errorSums.length; i++) {
                sb.append(i == 0 ? "" : ",").append(Long.toHexString(Double.doubleToRawLongBits(errorSums[i])));
            }
        }
        return sb.toString();
    }

    /** The text form, as {@link #format()}. */
    @Override
    public String toString() {
        return format();
    }

    /**
     * Reads the text form of a state that an exchange planning {@code planned} (of checksum {@code layersKey}) with
     * {@code adaptive} can be in: the same specification and layers, one width per layer within the candidates
     * (the warm-up width before the first plan) and within the budget, and the plan version and the presence of
     * error sums that the specification gives after {@link #calls} calls.
     *
     * @throws IllegalArgumentException naming another codec or other layers, or the state as malformed (as
     *                                  {@link #parse(String)}, or what does not fit)
     */
    static AdaptivePlanState parse(String text, LayerwisePlanner.Spec adaptive, String layersKey,
                                   List<Layer> planned) {
        AdaptivePlanState s = parse(text);
        s.requireFits(text, adaptive, layersKey, planned);
        return s;
    }

    private void requireFits(String text, LayerwisePlanner.Spec adaptive, String layersKey, List<Layer> planned) {
        if (!spec.equals(adaptive.canonical())) {
            throw new IllegalArgumentException("adaptive plan state of another codec: saved '" + spec
                    + "', this exchange '" + adaptive.canonical() + "'");
        }
        if (!layers.equals(layersKey)) {
            throw new IllegalArgumentException("adaptive plan state of other layers (checksum " + layers
                    + ", this exchange's " + layersKey + ": another model, overrides or minimum size)");
        }
        if (bits.length != planned.size()) {
            throw malformed(text, bits.length + " widths for " + planned.size() + " adaptive layers");
        }
        int expectErrors = planned.size() * adaptive.candidates();
        if (errorSums != null && errorSums.length != expectErrors) {
            throw malformed(text, errorSums.length + " error sums, expected " + expectErrors);
        }
        if (calls < 1) {
            throw malformed(text, "calls=" + calls + " (a saved state has at least 1)");
        }
        long expectVersion = calls < adaptive.warmup() ? 0 : 1 + (adaptive.every() == 0 ? 0
                : (calls - adaptive.warmup()) / adaptive.every());
        if (version != expectVersion) {
            throw malformed(text, "version=" + version + " after " + calls + " calls (expected " + expectVersion
                    + ")");
        }
        boolean inWindow = adaptive.measuresAt(calls) && !adaptive.plansAt(calls);
        if (measured() != inWindow) {
            throw malformed(text, (measured() ? "error sums" : "no error sums") + " after call " + calls
                    + (inWindow ? ", inside" : ", outside") + " a measurement window");
        }
        long used = 0;
        long total = 0;
        for (int i = 0; i < bits.length; i++) {
            if (bits[i] < adaptive.min() || bits[i] > adaptive.max()
                    || (version == 0 && bits[i] != adaptive.warmupBits())) {
                throw malformed(text, "width " + bits[i] + " of " + planned.get(i).name()
                        + " is not a width of this plan");
            }
            used += (long) bits[i] * planned.get(i).length();
            total += planned.get(i).length();
        }
        if (used > (long) Math.floor(adaptive.budget() * total)) {
            throw malformed(text, "widths above the budget of " + adaptive.budget() + " bits per element");
        }
    }

    private static IllegalArgumentException malformed(String text, String why) {
        String shown = text.length() > 120 ? text.substring(0, 120) + "..." : text;
        return new IllegalArgumentException("malformed adaptive plan state '" + shown + "': " + why);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AdaptivePlanState s && spec.equals(s.spec) && layers.equals(s.layers)
                && calls == s.calls && version == s.version && Arrays.equals(bits, s.bits)
                && Arrays.equals(errorSums, s.errorSums);
    }

    @Override
    public int hashCode() {
        return Objects.hash(spec, layers, calls, version, Arrays.hashCode(bits), Arrays.hashCode(errorSums));
    }
}
