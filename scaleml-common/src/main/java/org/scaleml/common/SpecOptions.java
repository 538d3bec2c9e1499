package org.scaleml.common;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One textual specification {@code name} or {@code name:key=value,key=value}, as the factories of counters,
 * clocks and other pluggable structures accept them: the lower-cased name and the options, each of which may be
 * read once through a typed getter; {@link #noneLeft()} then rejects the keys nobody asked for. Every failure is an
 * {@link IllegalArgumentException} whose message quotes the specification, says what is wrong and what is accepted.
 *
 * <p>Confined to one thread (a parse is short-lived); names, keys and values are trimmed and lower-cased.
 */
public final class SpecOptions {
    private final String spec;
    private final String what;
    private final String name;
    private final Map<String, String> given = new LinkedHashMap<>();

    private SpecOptions(String spec, String what) {
        this.spec = spec;
        this.what = what;
        int colon = spec.indexOf(':');
        this.name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : spec.substring(colon + 1);
        if (rest.isBlank()) {
            return;
        }
        for (String item : rest.split(",", -1)) {
            String[] kv = item.split("=", -1);
            if (kv.length != 2 || kv[0].isBlank() || kv[1].isBlank()) {
                throw invalid("expected key=value, got '" + item.trim() + "'");
            }
            String key = kv[0].trim().toLowerCase(Locale.ROOT);
            if (given.put(key, kv[1].trim().toLowerCase(Locale.ROOT)) != null) {
                throw invalid("option '" + key + "' given twice");
            }
        }
    }

    /**
     * Parses a specification whose name must be one of {@code known}.
     *
     * @param what what the specification describes, for messages (e.g. "counter")
     * @throws IllegalArgumentException on an empty specification, an unknown name or a malformed option
     */
    public static SpecOptions parse(String spec, String what, List<String> known) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty " + what + " specification; known: " + String.join(", ", known));
        }
        SpecOptions o = new SpecOptions(spec.trim(), what);
        if (!known.contains(o.name)) {
            throw new IllegalArgumentException("unknown " + what + " '" + o.name + "' in '" + o.spec + "'; known: "
                    + String.join(", ", known));
        }
        return o;
    }

    /** The lower-cased name before the colon. */
    public String name() {
        return name;
    }

    /** The specification as given (trimmed). */
    public String spec() {
        return spec;
    }

    /** An error about this specification: {@code invalid <what> specification '<spec>': <why>}. */
    public IllegalArgumentException invalid(String why) {
        return new IllegalArgumentException("invalid " + what + " specification '" + spec + "': " + why);
    }

    /**
     * The integer option {@code key}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is not an integer in {@code [min, max]}
     */
    public int integer(String key, int fallback, int min, int max) {
        String v = given.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            int i = Integer.parseInt(v);
            if (i >= min && i <= max) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key + " must be an integer from " + min + " to " + max + ", got '" + v + "'");
    }

    /**
     * The number option {@code key}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is not a number in {@code [min, max]}
     */
    public double real(String key, double fallback, double min, double max) {
        String v = given.remove(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v);
            if (d >= min && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw invalid(key + " must be a number from " + min + " to " + max + ", got '" + v + "'");
    }

    /**
     * The boolean option {@code key} ({@code true} or {@code false}), or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is neither
     */
    public boolean bool(String key, boolean fallback) {
        String v = given.remove(key);
        if (v == null) {
            return fallback;
        }
        if (v.equals("true") || v.equals("false")) {
            return v.equals("true");
        }
        throw invalid(key + " must be true or false, got '" + v + "'");
    }

    /**
     * The option {@code key}, one of {@code allowed}, or {@code fallback} when absent.
     *
     * @throws IllegalArgumentException if the value is not one of {@code allowed}
     */
    public String choice(String key, String fallback, String... allowed) {
        String v = given.remove(key);
        if (v == null) {
            return fallback;
        }
        if (!List.of(allowed).contains(v)) {
            throw invalid(key + " must be one of " + String.join(", ", allowed) + ", got '" + v + "'");
        }
        return v;
    }

    /**
     * Rejects the options no getter asked for.
     *
     * @throws IllegalArgumentException naming the unknown keys
     */
    public void noneLeft() {
        if (!given.isEmpty()) {
            throw invalid("unknown option(s) " + given.keySet() + " for '" + name + "'");
        }
    }
}
