package org.scaleml.train.data;

import java.util.Arrays;

/**
 * Maps the labels written in a text data file (LIBSVM, CSV) to class indices {@code 0..classes()-1}.
 *
 * <p><b>Rule.</b> {@link #infer} chooses: if the distinct labels are a subset of {@code {-1, +1}} or of
 * {@code {0, 1}}, the map is <em>binary</em>: {@code +1 -> 1} (the positive class) and {@code -1} or {@code 0 -> 0};
 * a binary map accepts either negative spelling, so a {@code 0/1} test file matches a {@code -1/+1} training file.
 * Otherwise the distinct labels, sorted ascending, become classes {@code 0, 1, ...} in that order. Pass the map of
 * a training file when reading its test file so both agree (a test file may lack a class).
 *
 * <p><b>Thread safety.</b> Immutable.
 */
public final class LabelMap {
    /*
     * Multiclass: a sorted array of distinct raw labels; classOf is a binary search (exact double equality, which
     * is right for labels parsed from the same decimal text). Binary: a flag and the negative spelling seen, used
     * only by label() and toString().
     */
    private final double[] sorted;
    private final boolean binary;
    private final double negative;

    private LabelMap(double[] sorted, boolean binary, double negative) {
        this.sorted = sorted;
        this.binary = binary;
        this.negative = negative;
    }

    /** The binary map {@code +1 -> 1}, {@code -1 -> 0}, {@code 0 -> 0}. */
    public static LabelMap binary() {
        return new LabelMap(null, true, -1);
    }

    /**
     * The multiclass map of the given distinct labels: sorted ascending, the {@code k}-th smallest is class k.
     *
     * @throws IllegalArgumentException if fewer than 2 labels are given, a label is not finite, or one repeats
     */
    public static LabelMap sorted(double... labels) {
        double[] s = labels.clone();
        Arrays.sort(s);
        if (s.length < 2) {
            throw new IllegalArgumentException("a label map needs at least 2 labels, got " + Arrays.toString(s));
        }
        for (int i = 0; i < s.length; i++) {
            if (!Double.isFinite(s[i])) {
                throw new IllegalArgumentException("label " + s[i] + " is not finite");
            }
            if (i > 0 && s[i] == s[i - 1]) {
                throw new IllegalArgumentException("label " + fmt(s[i]) + " repeats");
            }
        }
        return new LabelMap(s, false, 0);
    }

    /**
     * The map of a declared class count: labels are the class indices {@code 0 .. classes-1} themselves.
     *
     * @throws IllegalArgumentException if {@code classes < 2}
     */
    public static LabelMap indices(int classes) {
        if (classes < 2) {
            throw new IllegalArgumentException("at least 2 classes are needed, got " + classes);
        }
        double[] s = new double[classes];
        for (int i = 0; i < classes; i++) {
            s[i] = i;
        }
        return new LabelMap(s, false, 0);
    }

    /** True if this map sends every label {@code 0 .. classes()-1} to itself and knows no other. */
    public boolean isIndices() {
        if (binary) {
            return false;
        }
        for (int i = 0; i < sorted.length; i++) {
            if (sorted[i] != i) {
                return false;
            }
        }
        return true;
    }

    /**
     * The map the rule above chooses for a set of labels (duplicates allowed, any order).
     *
     * @throws IllegalArgumentException if the labels are not binary and fewer than 2 distinct ones occur
     */
    public static LabelMap infer(double[] labels) {
        double[] s = labels.clone();
        Arrays.sort(s);
        int n = 0;
        for (int i = 0; i < s.length; i++) {
            if (i == 0 || s[i] != s[n - 1]) {
                s[n++] = s[i];
            }
        }
        double[] distinct = Arrays.copyOf(s, n);
        boolean pm = true;
        boolean zo = true;
        for (double d : distinct) {
            pm &= d == -1 || d == 1;
            zo &= d == 0 || d == 1;
        }
        if (n > 0 && (pm || zo)) {
            return new LabelMap(null, true, pm && !zo ? -1 : 0);
        }
        if (n < 2) {
            throw new IllegalArgumentException("only " + n + " distinct label" + (n == 1 ? " (" + fmt(distinct[0])
                    + ")" : "s") + "; a classification data set needs 2 or more (or pass the training file's map)");
        }
        return new LabelMap(distinct, false, 0);
    }

    public int classes() {
        return binary ? 2 : sorted.length;
    }

    public boolean isBinary() {
        return binary;
    }

    /** The class of a raw label, or -1 if the map does not know it. */
    public int classOf(double label) {
        if (binary) {
            return label == 1 ? 1 : label == -1 || label == 0 ? 0 : -1;
        }
        int k = Arrays.binarySearch(sorted, label);
        return k >= 0 ? k : -1;
    }

    /** The raw label of class {@code c} (for a binary map: 1, or the negative spelling it was inferred from). */
    public double label(int c) {
        if (binary) {
            if (c < 0 || c > 1) {
                throw new IndexOutOfBoundsException("class " + c + " outside [0, 2)");
            }
            return c == 1 ? 1 : negative;
        }
        return sorted[c];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LabelMap m && m.binary == binary && Arrays.equals(m.sorted, sorted);
    }

    @Override
    public int hashCode() {
        return binary ? 1 : Arrays.hashCode(sorted);
    }

    @Override
    public String toString() {
        if (binary) {
            return "{" + fmt(negative) + " -> 0, 1 -> 1}";
        }
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < sorted.length; i++) {
            b.append(i == 0 ? "" : ", ").append(fmt(sorted[i])).append(" -> ").append(i);
        }
        return b.append('}').toString();
    }

    static String fmt(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
