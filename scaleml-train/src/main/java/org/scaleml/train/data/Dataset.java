package org.scaleml.train.data;

import java.util.Objects;
import org.scaleml.common.SplitMix64;

/**
 * An immutable labelled data set held in primitive arrays: {@code size()} examples of {@code features()}
 * features each, stored either dense (row-major {@code float[]}) or sparse (compressed rows), and one class label
 * per example in {@code [0, classes())}.
 *
 * <p><b>Layout.</b> Dense: example {@code i}'s features are {@code dense()[i * features() + j]}. Sparse (CSR):
 * example {@code i}'s non-zeros are at positions {@code rowStart()[i] .. rowStart()[i + 1]} of {@code columns()}
 * (0-based feature indices, strictly increasing within a row) and {@code values()}. The arrays are shared, not
 * copied: callers must not modify them.
 *
 * <p><b>Shape.</b> {@code shape()} describes the features for models that care (an image data set has
 * {@code {channels, height, width}}; anything else {@code {features}}).
 *
 * <p><b>Thread safety.</b> Immutable; safe to share between threads.
 */
public final class Dataset {
    private final String name;
    private final int size;
    private final int features;
    private final int classes;
    private final int[] shape;
    private final float[] dense;
    private final long[] rowStart;
    private final int[] columns;
    private final float[] values;
    private final int[] labels;
    /** {@link #contentHash()}, computed on first use; 0 until then (a racy single check: every thread agrees). */
    private volatile long contentHash;

    private Dataset(String name, int size, int features, int classes, int[] shape, float[] dense, long[] rowStart,
                    int[] columns, float[] values, int[] labels) {
        this.name = Objects.requireNonNull(name, "name");
        this.size = size;
        this.features = features;
        this.classes = classes;
        this.shape = shape.clone();
        this.dense = dense;
        this.rowStart = rowStart;
        this.columns = columns;
        this.values = values;
        this.labels = labels;
        if (labels.length != size) {
            throw new IllegalArgumentException(name + ": " + labels.length + " labels for " + size + " examples");
        }
        if (classes < 2) {
            throw new IllegalArgumentException(name + ": at least 2 classes needed, got " + classes);
        }
        for (int i = 0; i < size; i++) {
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of example " + i
                        + " is outside [0, " + classes + ")");
            }
        }
        long prod = 1;
        for (int s : shape) {
            prod *= s;
        }
        if (prod != features) {
            throw new IllegalArgumentException(name + ": shape does not multiply to " + features + " features");
        }
    }

    /** A dense data set; {@code x.length} must be {@code size * features}. */
    public static Dataset dense(String name, float[] x, int[] labels, int features, int classes, int... shape) {
        if (features <= 0) {
            throw new IllegalArgumentException(name + ": features must be positive, got " + features);
        }
        if (x.length % features != 0 || x.length / features != labels.length) {
            throw new IllegalArgumentException(name + ": " + x.length + " feature values do not make "
                    + labels.length + " examples of " + features + " features");
        }
        int[] sh = shape.length == 0 ? new int[] {features} : shape;
        return new Dataset(name, labels.length, features, classes, sh, x, null, null, null, labels);
    }

    /** A sparse (CSR) data set; {@code rowStart.length} must be {@code labels.length + 1}. */
    public static Dataset sparse(String name, long[] rowStart, int[] columns, float[] values, int[] labels,
                                 int features, int classes) {
        if (rowStart.length != labels.length + 1 || rowStart[0] != 0 || rowStart[labels.length] != columns.length
                || columns.length != values.length) {
            throw new IllegalArgumentException(name + ": inconsistent sparse rows");
        }
        for (int c : columns) {
            if (c < 0 || c >= features) {
                throw new IllegalArgumentException(name + ": feature index " + c + " outside [0, " + features + ")");
            }
        }
        return new Dataset(name, labels.length, features, classes, new int[] {features}, null, rowStart, columns,
                values, labels);
    }

    public String name() {
        return name;
    }

    public int size() {
        return size;
    }

    public int features() {
        return features;
    }

    public int classes() {
        return classes;
    }

    /** The feature shape, e.g. {@code {1, 28, 28}} for images (a copy). */
    public int[] shape() {
        return shape.clone();
    }

    public boolean isSparse() {
        return dense == null;
    }

    /** Row-major features of a dense data set (shared, do not modify); null when sparse. */
    public float[] dense() {
        return dense;
    }

    /** CSR row starts of a sparse data set (length {@code size() + 1}); null when dense. */
    public long[] rowStart() {
        return rowStart;
    }

    /** CSR feature indices of a sparse data set; null when dense. */
    public int[] columns() {
        return columns;
    }

    /** CSR values of a sparse data set; null when dense. */
    public float[] values() {
        return values;
    }

    /** Labels (shared, do not modify). */
    public int[] labels() {
        return labels;
    }

    public int label(int i) {
        return labels[i];
    }

    /** Copies example {@code i}'s features densely into {@code dst[off, off + features())}. */
    public void copyRow(int i, float[] dst, int off) {
        if (dense != null) {
            System.arraycopy(dense, i * features, dst, off, features);
        } else {
            java.util.Arrays.fill(dst, off, off + features, 0f);
            for (long k = rowStart[i]; k < rowStart[i + 1]; k++) {
                dst[off + columns[(int) k]] = values[(int) k];
            }
        }
    }

    /** A data set of the given examples, in that order (copies the rows). */
    public Dataset subset(String newName, int[] rows) {
        int[] lab = new int[rows.length];
        for (int k = 0; k < rows.length; k++) {
            lab[k] = labels[rows[k]];
        }
        if (dense != null) {
            float[] x = new float[rows.length * features];
            for (int k = 0; k < rows.length; k++) {
                System.arraycopy(dense, rows[k] * features, x, k * features, features);
            }
            return new Dataset(newName, rows.length, features, classes, shape, x, null, null, null, lab);
        }
        long[] rs = new long[rows.length + 1];
        for (int k = 0; k < rows.length; k++) {
            rs[k + 1] = rs[k] + (rowStart[rows[k] + 1] - rowStart[rows[k]]);
        }
        int nnz = (int) rs[rows.length];
        int[] col = new int[nnz];
        float[] val = new float[nnz];
        for (int k = 0; k < rows.length; k++) {
            int from = (int) rowStart[rows[k]];
            int len = (int) (rowStart[rows[k] + 1] - from);
            System.arraycopy(columns, from, col, (int) rs[k], len);
            System.arraycopy(values, from, val, (int) rs[k], len);
        }
        return new Dataset(newName, rows.length, features, classes, shape, null, rs, col, val, lab);
    }

    /**
     * A 64-bit hash of the content: size, features, classes, shape, storage (dense or sparse), every label and
     * every stored feature value (bit-exact, so {@code -0f} and {@code 0f} differ), and for sparse data the
     * feature indices. The name is not hashed. Two data sets with the same hash hold, with overwhelming
     * probability, the same examples in the same order. Computed once, on first call, in one pass over the
     * arrays; thread-safe.
     *
     * <p>Not a cryptographic hash: it detects accidental changes (another file, another split, reordered or
     * edited rows), not deliberate collisions.
     */
    public long contentHash() {
        long h = contentHash;
        if (h == 0) {
            h = computeHash();
            contentHash = h;
        }
        return h;
    }

    /*
     * A multiply-rotate stream hash (one 64-bit state, each 32-bit word mixed in with two odd constants, in the
     * style of xxHash's round) finished by a SplitMix64 avalanche; 0 is mapped to 1 so 0 can mean "not computed".
     */
    private long computeHash() {
        long h = 0x2545F4914F6CDD1DL;
        h = mix(h, size);
        h = mix(h, features);
        h = mix(h, classes);
        h = mix(h, shape.length);
        for (int s : shape) {
            h = mix(h, s);
        }
        for (int l : labels) {
            h = mix(h, l);
        }
        if (dense != null) {
            h = mix(h, 0xD);
            for (float v : dense) {
                h = mix(h, Float.floatToRawIntBits(v));
            }
        } else {
            h = mix(h, 0x5);
            for (long r : rowStart) {
                h = mix(h, (int) r);
                h = mix(h, (int) (r >>> 32));
            }
            for (int c : columns) {
                h = mix(h, c);
            }
            for (float v : values) {
                h = mix(h, Float.floatToRawIntBits(v));
            }
        }
        h = SplitMix64.mix(h);
        return h == 0 ? 1 : h;
    }

    private static long mix(long h, int word) {
        return Long.rotateLeft(h ^ ((word & 0xFFFFFFFFL) * 0xC2B2AE3D27D4EB4FL), 31) * 0x9E3779B185EBCA87L;
    }

    @Override
    public String toString() {
        return name + " (" + size + " examples, " + features + " features" + (isSparse() ? ", sparse" : "")
                + ", " + classes + " classes)";
    }
}
