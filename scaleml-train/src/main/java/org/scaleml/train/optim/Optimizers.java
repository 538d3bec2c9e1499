package org.scaleml.train.optim;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates optimizers from a text specification.
 *
 * <p><b>Syntax.</b> {@code name[:key=value,key=value,...]}, keys in any order, each at most once:
 * <ul>
 *   <li>{@code sgd}: {@code lr} (default 0.01), {@code momentum} in [0, 1) (0), {@code nesterov} true|false
 *       (false; needs momentum &gt; 0), {@code wd} L2 weight decay &gt;= 0 (0). See {@link Sgd}.</li>
 *   <li>{@code adam}: {@code lr} (0.001), {@code beta1} (0.9), {@code beta2} (0.999), {@code eps} (1e-8),
 *       {@code wd} decoupled weight decay &gt;= 0 (0). See {@link Adam}.</li>
 *   <li>both: {@code schedule} = {@code constant} (default) | {@code cosine} (to 0 at the total step count) |
 *       {@code step} with {@code every=N} (required, steps) and {@code gamma=G} (in (0, 1], default 0.1), which may
 *       also be written {@code schedule=step:every=N,gamma=G}; {@code warmup=W} linear warmup steps (0). After a
 *       warmup the cosine runs over the remaining {@code total - W} steps (at least 1); a step decay counts its
 *       steps from the end of the warmup.</li>
 * </ul>
 * Examples: {@code sgd:lr=0.05,momentum=0.9,nesterov=true,wd=1e-4,schedule=cosine,warmup=100},
 * {@code adam:lr=1e-3}, {@code sgd:lr=0.1,schedule=step:every=1000,gamma=0.5}.
 *
 * <p><b>Errors.</b> {@link IllegalArgumentException} naming the offending part and what is accepted: unknown
 * optimizer, unknown or repeated key, malformed {@code key=value}, bad number or out-of-range value, keys that do
 * not fit the schedule. The returned optimizer's {@link Optimizer#spec()} is the canonical form with every value,
 * which {@code create} accepts again.
 *
 * <p><b>Thread safety.</b> Stateless; may be called concurrently.
 */
public final class Optimizers {
    /*
     * Parsing: split the name at the first ':', the rest at ','; every item is key=value. A value of schedule that
     * itself contains ':' (step:every=N) is split again and its tail treated as one more item, so both spellings
     * of step decay end up as the same flat key map. Then each optimizer takes the keys it knows and rejects the
     * rest with the accepted list.
     */
    private static final List<String> NAMES = List.of("sgd", "adam");
    private static final List<String> SCHEDULE_KEYS = List.of("schedule", "warmup", "every", "gamma");
    private static final List<String> SGD_KEYS = List.of("lr", "momentum", "nesterov", "wd");
    private static final List<String> ADAM_KEYS = List.of("lr", "beta1", "beta2", "eps", "wd");

    private Optimizers() {
    }

    /**
     * The optimizer a specification describes.
     *
     * @param spec           see the class comment
     * @param parameterCount parameters updated per step, at least 1
     * @param totalSteps     steps the run will take (the cosine horizon); may be 0 when no schedule needs it
     * @throws IllegalArgumentException if the specification or counts are invalid
     */
    public static Optimizer create(String spec, int parameterCount, long totalSteps) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty optimizer spec; accepted: " + NAMES + ", e.g. sgd:lr=0.05");
        }
        if (parameterCount < 1) {
            throw new IllegalArgumentException("parameter count must be >= 1, got " + parameterCount);
        }
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> kv = parse(spec, colon < 0 ? "" : s.substring(colon + 1));
        List<String> own = switch (name) {
            case "sgd" -> SGD_KEYS;
            case "adam" -> ADAM_KEYS;
            default -> throw new IllegalArgumentException("unknown optimizer '" + name + "' in '" + spec
                    + "'; accepted: " + NAMES);
        };
        for (String k : kv.keySet()) {
            if (!own.contains(k) && !SCHEDULE_KEYS.contains(k)) {
                throw new IllegalArgumentException("unknown key '" + k + "' for " + name + " in '" + spec
                        + "'; accepted: " + String.join(", ", own) + ", " + String.join(", ", SCHEDULE_KEYS));
            }
        }
        Keys k = new Keys(spec, kv);
        try {
            if (name.equals("sgd")) {
                double lr = k.positive("lr", 0.01);
                return new Sgd(parameterCount, schedule(k, lr, totalSteps), k.number("momentum", 0),
                        k.bool("nesterov", false), k.number("wd", 0));
            }
            double lr = k.positive("lr", 1e-3);
            return new Adam(parameterCount, schedule(k, lr, totalSteps), k.number("beta1", 0.9),
                    k.number("beta2", 0.999), k.positive("eps", 1e-8), k.number("wd", 0));
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("'" + spec + "'")) {
                throw e;
            }
            throw new IllegalArgumentException(e.getMessage() + " (in '" + spec + "')", e);
        }
    }

    /**
     * The momentum of an SGD specification and the same specification without it ({@code momentum} and
     * {@code nesterov} removed), for moving the momentum from the update to the workers (robust aggregation);
     * an Adam specification has momentum 0 and is returned unchanged.
     *
     * @throws IllegalArgumentException if the specification is invalid
     */
    public static SplitMomentum splitMomentum(String spec) {
        create(spec, 1, 1); // validates
        String s = spec.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        Map<String, String> kv = parse(spec, colon < 0 ? "" : s.substring(colon + 1));
        if (!name.equals("sgd")) {
            return new SplitMomentum(0, false, spec);
        }
        Keys k = new Keys(spec, kv);
        double mu = k.number("momentum", 0);
        boolean nesterov = k.bool("nesterov", false);
        StringBuilder rest = new StringBuilder();
        kv.forEach((key, v) -> {
            if (!key.equals("momentum") && !key.equals("nesterov")) {
                rest.append(rest.length() == 0 ? "" : ",").append(key).append('=').append(v);
            }
        });
        return new SplitMomentum(mu, nesterov, rest.length() == 0 ? "sgd" : "sgd:" + rest);
    }

    /** An SGD specification's momentum, whether it is Nesterov's, and the specification without momentum. */
    public record SplitMomentum(double momentum, boolean nesterov, String withoutMomentum) {
    }

    private static LrSchedule schedule(Keys k, double lr, long totalSteps) {
        String kind = k.raw("schedule", "constant").toLowerCase(Locale.ROOT);
        long warmup = k.integer("warmup", 0);
        boolean stepKeys = k.has("every") || k.has("gamma");
        if (stepKeys && !kind.equals("step")) {
            throw new IllegalArgumentException("every and gamma apply only to schedule=step, not schedule=" + kind);
        }
        LrSchedule base = switch (kind) {
            case "constant" -> LrSchedule.constant(lr);
            case "cosine" -> {
                if (totalSteps < 1) {
                    throw new IllegalArgumentException("schedule=cosine needs the total number of steps, got "
                            + totalSteps);
                }
                yield LrSchedule.cosine(lr, Math.max(1, totalSteps - warmup));
            }
            case "step" -> {
                if (!k.has("every")) {
                    throw new IllegalArgumentException("schedule=step needs every=N (steps between decays)");
                }
                long every = k.integer("every", 0);
                if (every < 1) {
                    throw new IllegalArgumentException("every must be >= 1 steps, got " + every);
                }
                yield LrSchedule.stepDecay(lr, every, k.number("gamma", 0.1));
            }
            default -> throw new IllegalArgumentException("unknown schedule '" + kind
                    + "'; accepted: constant, cosine, step");
        };
        return base.withWarmup(warmup);
    }

    private static Map<String, String> parse(String spec, String rest) {
        Map<String, String> kv = new LinkedHashMap<>();
        if (rest.isBlank()) {
            return kv;
        }
        java.util.ArrayDeque<String> items = new java.util.ArrayDeque<>(List.of(rest.split(",", -1)));
        while (!items.isEmpty()) {
            String item = items.poll().strip();
            int eq = item.indexOf('=');
            if (eq <= 0 || eq == item.length() - 1) {
                throw new IllegalArgumentException("'" + item + "' in '" + spec + "' is not key=value");
            }
            String key = item.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = item.substring(eq + 1).strip();
            if (key.equals("schedule") && value.indexOf(':') >= 0) {
                int c = value.indexOf(':');
                items.addFirst(value.substring(c + 1));
                value = value.substring(0, c).strip();
            }
            if (kv.put(key, value) != null) {
                throw new IllegalArgumentException("key '" + key + "' appears twice in '" + spec + "'");
            }
        }
        return kv;
    }

    /** Typed access to the parsed keys, with errors that name the key and value. */
    private record Keys(String spec, Map<String, String> kv) {
        boolean has(String key) {
            return kv.containsKey(key);
        }

        String raw(String key, String def) {
            return kv.getOrDefault(key, def);
        }

        double number(String key, double def) {
            String v = kv.get(key);
            if (v == null) {
                return def;
            }
            try {
                double d = Double.parseDouble(v);
                if (Double.isFinite(d)) {
                    return d;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException("bad value '" + v + "' for " + key + ": expected a finite number");
        }

        double positive(String key, double def) {
            double d = number(key, def);
            if (!(d > 0)) {
                throw new IllegalArgumentException(key + " must be > 0, got " + kv.get(key));
            }
            return d;
        }

        long integer(String key, long def) {
            String v = kv.get(key);
            if (v == null) {
                return def;
            }
            long n;
            try {
                n = Long.parseLong(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad value '" + v + "' for " + key
                        + ": expected a whole number of steps");
            }
            if (n < 0) {
                throw new IllegalArgumentException(key + " must be >= 0, got " + v);
            }
            return n;
        }

        boolean bool(String key, boolean def) {
            String v = kv.get(key);
            if (v == null) {
                return def;
            }
            return switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("bad value '" + v + "' for " + key
                        + ": expected true or false");
            };
        }
    }

    static void checkLengths(int n, float[] params, float[] grad) {
        if (params.length < n || grad.length < n) {
            throw new IllegalArgumentException("optimizer for " + n + " parameters got params of length "
                    + params.length + " and grad of length " + grad.length);
        }
    }

    static void checkRestore(String spec, int n, int count, long steps, float[][] buffers) {
        if (steps < 0) {
            throw new IllegalArgumentException("steps must be >= 0, got " + steps);
        }
        if (buffers == null || buffers.length != count) {
            throw new IllegalArgumentException(spec + " keeps " + count + " buffer(s), got "
                    + (buffers == null ? "null" : buffers.length));
        }
        for (int i = 0; i < count; i++) {
            if (buffers[i] == null || buffers[i].length != n) {
                throw new IllegalArgumentException(spec + ": buffer " + i + " must hold " + n + " values, got "
                        + (buffers[i] == null ? "null" : buffers[i].length));
            }
        }
    }

    /**
     * The optimizer a model trains with when none is given (the best measured on Fashion-MNIST and a9a):
     * {@code sgd:lr=0.5} for {@code logreg} and {@code softmax}, {@code adam:lr=0.001} for {@code cnn}, and
     * {@code sgd:lr=0.1,momentum=0.9,nesterov=true,schedule=cosine} otherwise ({@code mlp}).
     */
    public static String defaultFor(String modelSpec) {
        String m = modelSpec.trim().toLowerCase(java.util.Locale.ROOT);
        if (m.startsWith("logreg") || m.startsWith("softmax")) {
            return "sgd:lr=0.5";
        }
        return m.startsWith("cnn") ? "adam:lr=0.001" : "sgd:lr=0.1,momentum=0.9,nesterov=true,schedule=cosine";
    }
}
