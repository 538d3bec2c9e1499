package org.scaleml.train.robust;

import java.util.Objects;

/** Argument checks, small sorts and number formatting shared by the rules and attacks of this package. */
final class Slices {
    private Slices() {
    }

    /**
     * Checks an {@link Aggregator#aggregate} call: {@code world} non-null vectors, each and {@code out} covering
     * {@code [off, off + len)}.
     */
    static void checkAggregate(String rule, int world, float[][] grads, int off, int len, float[] out) {
        Objects.requireNonNull(grads, "grads");
        Objects.requireNonNull(out, "out");
        if (grads.length != world) {
            throw new IllegalArgumentException(rule + " was created for " + world + " workers but got "
                    + grads.length + " gradients");
        }
        if (off < 0 || len < 0) {
            throw new IllegalArgumentException(rule + ": bad slice off=" + off + ", len=" + len);
        }
        long end = (long) off + len;
        for (int i = 0; i < world; i++) {
            Objects.requireNonNull(grads[i], "grads[" + i + "]");
            if (grads[i].length < end) {
                throw new IllegalArgumentException(rule + ": gradient of rank " + i + " has length "
                        + grads[i].length + ", the slice needs " + end);
            }
        }
        if (out.length < end) {
            throw new IllegalArgumentException(rule + ": out has length " + out.length + ", the slice needs " + end);
        }
    }

    /** Checks that {@code [off, off + len)} lies inside {@code g}. */
    static void checkSlice(String what, float[] g, int off, int len) {
        Objects.requireNonNull(g, "g");
        if (off < 0 || len < 0 || (long) off + len > g.length) {
            throw new IllegalArgumentException(what + ": slice off=" + off + ", len=" + len
                    + " does not fit an array of length " + g.length);
        }
    }

    /**
     * Inserts {@code x} into the sorted prefix {@code s[0, n)}, keeping it sorted by {@link Float#compare} (NaN
     * last). Stable, so equal values keep their insertion order.
     */
    static void insert(float[] s, int n, float x) {
        int k = n;
        while (k > 0 && Float.compare(s[k - 1], x) > 0) {
            s[k] = s[k - 1];
            k--;
        }
        s[k] = x;
    }

    /** Sorts {@code s[0, n)} by {@link Double#compare} (NaN last), in place, by insertion. */
    static void sort(double[] s, int n) {
        for (int i = 1; i < n; i++) {
            double x = s[i];
            int k = i;
            while (k > 0 && Double.compare(s[k - 1], x) > 0) {
                s[k] = s[k - 1];
                k--;
            }
            s[k] = x;
        }
    }

    /** A number as a specification writes it: integers without a fraction, others as {@link Double#toString}. */
    static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }
}
