package org.scaleml.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Row;
import org.scaleml.common.SplitMix64;
import org.scaleml.train.data.Dataset;

/**
 * Turns the rows of one partition ({@code features} vector, {@code label} number: the two columns the estimator
 * selects, in that order) into a ScaleML {@link Dataset}, checked row by row, in a canonical order.
 *
 * <p><b>Canonical order.</b> Spark does not promise the order in which a shuffled partition's rows arrive (it
 * depends on which map outputs are fetched first), but the trainer's batches are positions in that order. So the
 * rows are sorted by their content (a 64-bit hash of label and features, ties broken by comparing the values
 * themselves): the same multiset of rows always gives the same data set, bitwise, on every stage attempt and
 * executor. That is what makes a retried stage resume from a checkpoint into exactly the run it interrupted.
 *
 * <p><b>Storage.</b> Dense unless more than half of the rows arrive as sparse vectors with under a quarter of their
 * entries non-zero (then compressed rows, as LIBSVM data are read), so a9a-like data stay sparse end to end.
 */
final class Parts {
    private Parts() {
    }

    /** One row, as read. */
    private static final class Example {
        final int label;
        final int[] idx;   // null when dense
        final float[] val;
        final long hash;

        Example(int label, int[] idx, float[] val) {
            this.label = label;
            this.idx = idx;
            this.val = val;
            long h = SplitMix64.GOLDEN_GAMMA * (label + 1);
            if (idx == null) {
                for (int i = 0; i < val.length; i++) {
                    if (val[i] != 0f) {
                        h = SplitMix64.mix(h ^ ((long) i << 32 | (Float.floatToIntBits(val[i]) & 0xFFFFFFFFL)));
                    }
                }
            } else {
                for (int k = 0; k < idx.length; k++) {
                    if (val[k] != 0f) {
                        h = SplitMix64.mix(h ^ ((long) idx[k] << 32 | (Float.floatToIntBits(val[k]) & 0xFFFFFFFFL)));
                    }
                }
            }
            this.hash = h;
        }

        float at(int j, int features) {
            if (idx == null) {
                return val[j];
            }
            int k = Arrays.binarySearch(idx, j);
            return k >= 0 ? val[k] : 0f;
        }
    }

    /**
     * Reads a partition.
     *
     * @param name      the data set's name (for messages)
     * @param featuresCol name of the features column (for messages)
     * @param labelCol  name of the label column (for messages)
     * @param features  the vector size every row must have
     * @param classes   labels must be integers in {@code [0, classes)}
     * @param shape     the features' shape (e.g. {@code {1, 28, 28}})
     * @throws IllegalArgumentException naming the column, the row's position in the partition and what is wrong
     */
    static Dataset read(String name, Iterator<Row> rows, String featuresCol, String labelCol, int features,
                        int classes, int[] shape) {
        List<Example> ex = new ArrayList<>();
        int sparseRows = 0;
        long nnz = 0;
        int pos = 0;
        while (rows.hasNext()) {
            Row r = rows.next();
            pos++;
            Object f = r.get(0);
            Object l = r.get(1);
            if (!(f instanceof Vector)) {
                throw new IllegalArgumentException("column '" + featuresCol + "', row " + pos + " of the partition: "
                        + (f == null ? "null" : f.getClass().getSimpleName()) + ", expected a vector of "
                        + features + " features (org.apache.spark.ml.linalg.Vector)");
            }
            Vector v = (Vector) f;
            if (v.size() != features) {
                throw new IllegalArgumentException("column '" + featuresCol + "', row " + pos
                        + " of the partition: a vector of " + v.size() + " features, expected " + features
                        + " (the first row's size)");
            }
            if (!(l instanceof Number)) {
                throw new IllegalArgumentException("column '" + labelCol + "', row " + pos + " of the partition: "
                        + (l == null ? "null" : l.getClass().getSimpleName()) + ", expected a class number");
            }
            double d = ((Number) l).doubleValue();
            if (!(d >= 0) || d >= classes || d != Math.rint(d)) {
                throw new IllegalArgumentException("column '" + labelCol + "', row " + pos + " of the partition: "
                        + "label " + d + " is not an integer in [0, " + classes + ")");
            }
            if (v instanceof SparseVector) {
                SparseVector sv = (SparseVector) v;
                int[] idx = sv.indices().clone();
                double[] vals = sv.values();
                float[] fv = new float[vals.length];
                for (int k = 0; k < vals.length; k++) {
                    fv[k] = (float) vals[k];
                }
                ex.add(new Example((int) d, idx, fv));
                sparseRows++;
                nnz += idx.length;
            } else {
                double[] vals = ((DenseVector) v).values();
                float[] fv = new float[vals.length];
                for (int k = 0; k < vals.length; k++) {
                    fv[k] = (float) vals[k];
                }
                ex.add(new Example((int) d, null, fv));
                nnz += features;
            }
        }
        ex.sort(Parts::compare);
        int n = ex.size();
        int[] labels = new int[n];
        boolean sparse = sparseRows * 2L > n && nnz * 4L < (long) n * features && shape.length == 1;
        if (!sparse) {
            float[] x = new float[Math.multiplyExact(n, features)];
            for (int i = 0; i < n; i++) {
                Example e = ex.get(i);
                labels[i] = e.label;
                if (e.idx == null) {
                    System.arraycopy(e.val, 0, x, i * features, features);
                } else {
                    for (int k = 0; k < e.idx.length; k++) {
                        x[i * features + e.idx[k]] = e.val[k];
                    }
                }
            }
            return Dataset.dense(name, x, labels, features, classes, shape);
        }
        long[] rowStart = new long[n + 1];
        List<int[]> cols = new ArrayList<>(n);
        List<float[]> vals = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Example e = ex.get(i);
            labels[i] = e.label;
            int[] c;
            float[] v;
            if (e.idx == null) {
                int k = 0;
                for (float value : e.val) {
                    k += value != 0f ? 1 : 0;
                }
                c = new int[k];
                v = new float[k];
                k = 0;
                for (int j = 0; j < features; j++) {
                    if (e.val[j] != 0f) {
                        c[k] = j;
                        v[k++] = e.val[j];
                    }
                }
            } else {
                c = e.idx;
                v = e.val;
            }
            cols.add(c);
            vals.add(v);
            rowStart[i + 1] = rowStart[i] + c.length;
        }
        int total = Math.toIntExact(rowStart[n]);
        int[] columns = new int[total];
        float[] values = new float[total];
        for (int i = 0; i < n; i++) {
            System.arraycopy(cols.get(i), 0, columns, (int) rowStart[i], cols.get(i).length);
            System.arraycopy(vals.get(i), 0, values, (int) rowStart[i], vals.get(i).length);
        }
        return Dataset.sparse(name, rowStart, columns, values, labels, features, classes);
    }

    /** Content order: hash, then label, then the feature values. */
    private static int compare(Example a, Example b) {
        int c = Long.compare(a.hash, b.hash);
        if (c != 0) {
            return c;
        }
        c = Integer.compare(a.label, b.label);
        if (c != 0) {
            return c;
        }
        int n = a.idx == null ? a.val.length : b.idx == null ? b.val.length : Integer.MAX_VALUE;
        if (n == Integer.MAX_VALUE) { // both sparse
            c = Arrays.compare(a.idx, b.idx);
            return c != 0 ? c : Arrays.compare(a.val, b.val);
        }
        for (int j = 0; j < n; j++) {
            c = Float.compare(a.at(j, n), b.at(j, n));
            if (c != 0) {
                return c;
            }
        }
        return 0;
    }
}
