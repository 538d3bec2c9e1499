package org.scaleml.train.data;

import java.util.Objects;

/**
 * A mini-batch: the examples {@code rows[0, size)} of a {@link Dataset}. A batch is a view: it does not copy
 * features; models gather what they need into their workspace. Mutable and reused between steps by its owner;
 * not thread-safe.
 */
public final class Batch {
    private Dataset data;
    private int[] rows;
    private int size;

    public Batch(Dataset data, int[] rows, int size) {
        set(data, rows, size);
    }

    /** Points this batch at {@code rows[0, size)} of {@code data} (the array is kept, not copied). */
    public void set(Dataset data, int[] rows, int size) {
        this.data = Objects.requireNonNull(data, "data");
        this.rows = Objects.requireNonNull(rows, "rows");
        if (size < 0 || size > rows.length) {
            throw new IllegalArgumentException("batch size " + size + " outside [0, " + rows.length + "]");
        }
        this.size = size;
    }

    /** A batch of the examples {@code [from, to)} of {@code data}. */
    public static Batch range(Dataset data, int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return new Batch(data, r, r.length);
    }

    /** The row array this batch views (its capacity is the array length); for fillers in this package. */
    int[] rowBuffer() {
        return rows;
    }

    public Dataset data() {
        return data;
    }

    public int size() {
        return size;
    }

    /** The data-set index of the batch's {@code k}-th example. */
    public int row(int k) {
        return rows[k];
    }

    public int label(int k) {
        return data.label(rows[k]);
    }
}
