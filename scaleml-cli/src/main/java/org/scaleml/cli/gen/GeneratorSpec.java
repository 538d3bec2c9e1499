package org.scaleml.cli.gen;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A parsed generator specification {@code gen:KIND[:key=value,...]}: the kind (lower-cased) and its key=value
 * parameters (keys lower-cased, values trimmed), with typed accessors for the generators.
 *
 * <p>Every error is an {@link IllegalArgumentException} whose one-line message starts with the whole specification
 * as given and names the key and what was wrong, e.g. {@code gen:grid:rows=x,cols=4: rows must be an integer, got
 * 'x'}; the command line prints it as it is. Integers may contain underscores ({@code n=1_000_000}).
 *
 * <p>Immutable after {@link #parse}; a generator reads it on one thread.
 */
public final class GeneratorSpec {
    /** The prefix that marks a generated input. */
    public static final String PREFIX = "gen:";

    private final String text;
    private final String kind;
    private final Map<String, String> values;

    private GeneratorSpec(String text, String kind, Map<String, String> values) {
        this.text = text;
        this.kind = kind;
        this.values = values;
    }

    /** True if {@code name} names a generated input (starts with {@value #PREFIX}). */
    public static boolean isGenerated(String name) {
        return name.startsWith(PREFIX);
    }

    /**
     * Parses {@code text} and hands the specification to {@code generator}, which reads its values and builds the
     * input. An {@link IllegalArgumentException} or {@link IllegalStateException} the generator throws (from a
     * library's own checks, say) comes out as an {@link IllegalArgumentException} whose message starts with the
     * specification.
     *
     * @param what what is generated, for the message when {@code text} is not a specification, e.g. {@code "graph"}
     * @throws IllegalArgumentException if {@code text} does not start with {@value #PREFIX}, is malformed, or the
     *                                  generator rejects it
     */
    public static <T> T generate(String text, String what, Function<GeneratorSpec, T> generator) {
        GeneratorSpec spec = parse(text, what);
        try {
            return generator.apply(spec);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(text + ": " + e.getMessage(), e);
        } catch (IllegalArgumentException e) {
            throw e.getMessage() != null && e.getMessage().startsWith(text) ? e
                    : new IllegalArgumentException(text + ": " + e.getMessage(), e);
        }
    }

    /**
     * Parses {@code gen:KIND[:key=value,...]}.
     *
     * @param what what is generated, for the message when {@code text} is not a specification
     * @throws IllegalArgumentException if {@code text} does not start with {@value #PREFIX}, a parameter is not
     *                                  {@code key=value}, or a key is given twice
     */
    public static GeneratorSpec parse(String text, String what) {
        Objects.requireNonNull(text, "text");
        if (!isGenerated(text)) {
            throw new IllegalArgumentException("not a generated " + what + ": '" + text + "' (expected " + PREFIX
                    + "...)");
        }
        String rest = text.substring(PREFIX.length());
        int colon = rest.indexOf(':');
        String kind = (colon < 0 ? rest : rest.substring(0, colon)).toLowerCase(Locale.ROOT);
        String list = colon < 0 ? "" : rest.substring(colon + 1);
        Map<String, String> kv = new LinkedHashMap<>();
        if (!list.isEmpty()) {
            for (String part : list.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException(text + ": expected key=value, got '" + part + "'");
                }
                String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (kv.put(key, part.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException(text + ": key '" + key + "' given twice");
                }
            }
        }
        return new GeneratorSpec(text, kind, kv);
    }

    /** The specification as given. */
    public String text() {
        return text;
    }

    /** The kind, lower-cased: {@code grid} in {@code gen:grid:rows=3,cols=4}. */
    public String kind() {
        return kind;
    }

    /** An exception for this specification: the message is {@code <spec>: <what>}. */
    public IllegalArgumentException error(String what) {
        return new IllegalArgumentException(text + ": " + what);
    }

    /**
     * An exception for an unknown kind, listing the known ones.
     *
     * @param what what is generated, e.g. {@code "graph"}
     */
    public IllegalArgumentException unknownKind(String what, String... known) {
        return error("unknown generated " + what + " kind '" + kind + "' (known: " + String.join(", ", known) + ")");
    }

    /**
     * Checks that every given key is one of {@code keys}.
     *
     * @throws IllegalArgumentException naming the first unknown key and listing the known ones
     */
    public void allow(String... keys) {
        Set<String> known = Set.of(keys);
        for (String k : values.keySet()) {
            if (!known.contains(k)) {
                throw error("unknown key '" + k + "' (known: " + String.join(", ", new TreeSet<>(Arrays.asList(keys)))
                        + ")");
            }
        }
    }

    /**
     * The integer value of a required key.
     *
     * @throws IllegalArgumentException if the key is missing, not an integer or outside the {@code int} range
     */
    public int intValue(String key) {
        if (!values.containsKey(key)) {
            throw error("missing " + key + "=...");
        }
        return intValue(key, 0);
    }

    /**
     * The integer value of {@code key}, or {@code fallback} when it is not given.
     *
     * @throws IllegalArgumentException if the value is not an integer or outside the {@code int} range
     */
    public int intValue(String key, int fallback) {
        long v = longValue(key, fallback);
        if (v != (int) v) {
            throw error(key + " is too large: " + v);
        }
        return (int) v;
    }

    /**
     * The integer value of {@code key} (or {@code fallback} when it is not given), checked to lie in {@code [min,
     * max]}.
     *
     * @throws IllegalArgumentException if the value is not an integer or out of range
     */
    public int intValue(String key, int fallback, int min, int max) {
        return checkRange(key, intValue(key, fallback), min, max);
    }

    /**
     * The integer value of a required key, checked to lie in {@code [min, max]}.
     *
     * @throws IllegalArgumentException if the key is missing, the value is not an integer or out of range
     */
    public int requiredInt(String key, int min, int max) {
        return checkRange(key, intValue(key), min, max);
    }

    /**
     * The long value of {@code key}, or {@code fallback} when it is not given.
     *
     * @throws IllegalArgumentException if the value is not an integer
     */
    public long longValue(String key, long fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Long.parseLong(v.replace("_", ""));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + ": " + key + " must be an integer, got '" + v + "'", e);
        }
    }

    /**
     * The real value of {@code key}, or {@code fallback} when it is not given.
     *
     * @throws IllegalArgumentException if the value is not a number
     */
    public double doubleValue(String key, double fallback) {
        String v = values.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(text + ": " + key + " must be a number, got '" + v + "'", e);
        }
    }

    private int checkRange(String key, int v, int min, int max) {
        if (v < min || v > max) {
            throw error(key + " must be in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    @Override
    public String toString() {
        return text;
    }
}
