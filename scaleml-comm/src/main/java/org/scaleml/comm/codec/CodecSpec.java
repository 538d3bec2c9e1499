package org.scaleml.comm.codec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * A parsed codec specification {@code name[:key=value,...]}, e.g. {@code qsgd:bits=4,bucket=512}, or
 * {@code ef:topk:ratio=0.01} for a wrapper around an inner specification. Typed getters validate each value and
 * remember which keys were read, so {@link #requireAllUsed()} can reject unknown keys by name.
 */
public final class CodecSpec {
    private final String text;
    private final String name;
    private final Map<String, String> params;
    private final Set<String> used = new LinkedHashSet<>();
    private final String inner;

    private CodecSpec(String text, String name, Map<String, String> params, String inner) {
        this.text = text;
        this.name = name;
        this.params = params;
        this.inner = inner;
    }

    /**
     * Parses a specification.
     *
     * @throws IllegalArgumentException if it is empty or a parameter is not {@code key=value} or repeats
     */
    public static CodecSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty codec specification");
        }
        String t = text.strip();
        int colon = t.indexOf(':');
        String name = (colon < 0 ? t : t.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : t.substring(colon + 1);
        if (name.equals("ef")) { // a wrapper: the rest is the inner specification
            if (rest.isBlank()) {
                throw new IllegalArgumentException("'" + t + "': ef needs an inner codec, e.g. ef:topk:ratio=0.01");
            }
            return new CodecSpec(t, name, Map.of(), rest);
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!rest.isEmpty()) {
            for (String part : rest.split(",", -1)) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException("'" + t + "': expected key=value, got '" + part + "'");
                }
                String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (params.put(key, part.substring(eq + 1).strip()) != null) {
                    throw new IllegalArgumentException("'" + t + "': parameter '" + key + "' given twice");
                }
            }
        }
        return new CodecSpec(t, name, params, null);
    }

    /** The codec name, lower case. */
    public String name() {
        return name;
    }

    /** The inner specification of a wrapper ({@code ef:INNER}), or null. */
    public String inner() {
        return inner;
    }

    /** The text as given. */
    @Override
    public String toString() {
        return text;
    }

    /** An integer parameter in {@code [min, max]}, or {@code fallback} if absent. */
    public int intParam(String key, int fallback, int min, int max) {
        used.add(key);
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        long x;
        try {
            x = parseCount(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': " + key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) {
            throw new IllegalArgumentException("'" + text + "': " + key + " must be in [" + min + ", " + max
                    + "], got " + v);
        }
        return (int) x;
    }

    /** A number parameter in {@code [min, max]}, or {@code fallback} if absent. */
    public double doubleParam(String key, double fallback, double min, double max) {
        used.add(key);
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "': " + key + " must be a number, got '" + v + "'");
        }
        if (!(x >= min && x <= max)) {
            throw new IllegalArgumentException("'" + text + "': " + key + " must be in [" + min + ", " + max
                    + "], got " + v);
        }
        return x;
    }

    /** One of {@code allowed} (case-insensitive), or {@code fallback} if absent. */
    public String choice(String key, String fallback, String... allowed) {
        used.add(key);
        String v = params.get(key);
        if (v == null) {
            return fallback;
        }
        for (String a : allowed) {
            if (a.equalsIgnoreCase(v)) {
                return a;
            }
        }
        throw new IllegalArgumentException("'" + text + "': " + key + " must be one of " + String.join(", ", allowed)
                + ", got '" + v + "'");
    }

    /** A boolean parameter ({@code true}/{@code false}), or {@code fallback} if absent. */
    public boolean flag(String key, boolean fallback) {
        return Boolean.parseBoolean(choice(key, Boolean.toString(fallback), "true", "false"));
    }

    /** True if the parameter was given. */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /**
     * Rejects parameters no getter asked for.
     *
     * @throws IllegalArgumentException naming the unknown key and the known ones
     */
    public void requireAllUsed() {
        List<String> unknown = new ArrayList<>();
        for (String k : params.keySet()) {
            if (!used.contains(k)) {
                unknown.add(k);
            }
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("'" + text + "': unknown parameter" + (unknown.size() > 1 ? "s " : " ")
                    + String.join(", ", unknown) + " for " + name + (used.isEmpty() ? " (it takes none)"
                    : " (known: " + String.join(", ", used) + ")"));
        }
    }

    /** Integers with an optional K/M/G suffix (powers of 1024) and underscores, e.g. 16M, 1_000. */
    public static long parseCount(String v) {
        String s = v.strip().replace("_", "");
        long mul = 1;
        if (!s.isEmpty()) {
            char c = Character.toUpperCase(s.charAt(s.length() - 1));
            if (c == 'K' || c == 'M' || c == 'G') {
                mul = c == 'K' ? 1L << 10 : c == 'M' ? 1L << 20 : 1L << 30;
                s = s.substring(0, s.length() - 1);
            }
        }
        return Math.multiplyExact(Long.parseLong(s), mul);
    }
}
