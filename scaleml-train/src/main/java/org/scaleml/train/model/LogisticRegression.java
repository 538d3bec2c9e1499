package org.scaleml.train.model;

import java.util.Arrays;
import java.util.List;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * Binary logistic regression ({@code logreg}): {@code p(y = 1 | x) = sigmoid(w . x + b)}, trained on the mean
 * logistic loss. Parameters: {@code weight[features]} then {@code bias} (layers {@code weight}, {@code bias}).
 * Labels must be 0 or 1 (a data set of 2 classes).
 *
 * <p>Dense and sparse (CSR) data sets both work; a sparse example costs time in its non-zeros only (plus the
 * {@code O(features)} clearing of the gradient that the overwrite contract of {@link #lossAndGradient} implies).
 * The two layouts give the same numbers up to float rounding.
 *
 * <p><b>Thread safety.</b> Immutable; each thread needs its own {@link Model.Workspace} and gradient array.
 * <b>Complexity.</b> {@code O(batch * features)} dense, {@code O(nnz(batch) + features)} sparse.
 */
final class LogisticRegression extends CheckedModel<LogisticRegression.Workspace> {
    /*
     * Algorithm. z = w . x + b; the loss of label y is softplus(z) - y z = log(1 + e^z) - y z, evaluated as
     * max(z, 0) + log1p(exp(-|z|)) - y z, which never overflows and keeps full precision when |z| is large (the
     * naive -log(sigmoid) form returns infinity or 0 there). Its derivative is sigmoid(z) - y, so the gradient of
     * the mean is sum_r (sigmoid(z_r) - y_r) / n * (x_r, 1).
     *
     * Dense rows are first copied into a workspace row at index 0: the dot product and the gradient axpy then
     * index w, x and grad with the same loop variable, which lets the JIT vectorize the axpy (see Gemm for why
     * differing offsets prevent it). Sparse rows visit their non-zeros directly.
     */

    private final int features;
    private final List<Layer> layers;

    LogisticRegression(int features) {
        if (features <= 0) {
            throw new IllegalArgumentException("logreg: features must be positive, got " + features);
        }
        this.features = features;
        this.layers = List.of(new Layer("weight", 0, features), new Layer("bias", features, 1));
    }

    @Override
    public String spec() {
        return "logreg";
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public int classes() {
        return 2;
    }

    @Override
    public int parameterCount() {
        return features + 1;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    /** Zero weights and bias: the loss is convex, so no symmetry needs breaking; {@code seed} is unused. */
    @Override
    public void initialize(float[] params, long seed) {
        Ops.checkLengths(this, params, null);
        Arrays.fill(params, 0, features + 1, 0f);
    }

    @Override
    public Model.Workspace workspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    @Override
    double checkedLossAndGradient(float[] params, Batch batch, float[] grad, Workspace ws) {
        int n = batch.size();
        Arrays.fill(grad, 0, features + 1, 0f);
        Dataset d = batch.data();
        float bias = params[features];
        double inv = 1.0 / n;
        double loss = 0;
        double gBias = 0;
        if (d.isSparse()) {
            long[] start = d.rowStart();
            int[] col = d.columns();
            float[] val = d.values();
            for (int r = 0; r < n; r++) {
                int i = batch.row(r);
                int from = (int) start[i];
                int to = (int) start[i + 1];
                double z = bias;
                for (int q = from; q < to; q++) {
                    z += params[col[q]] * val[q];
                }
                int y = batch.label(r);
                loss += Ops.softplus(z) - y * z;
                double dz = (Ops.sigmoid(z) - y) * inv;
                gBias += dz;
                float g = (float) dz;
                for (int q = from; q < to; q++) {
                    grad[col[q]] += g * val[q];
                }
            }
        } else {
            float[] x = ws.row;
            float[] dense = d.dense();
            for (int r = 0; r < n; r++) {
                System.arraycopy(dense, batch.row(r) * features, x, 0, features);
                double z = bias + dot(params, x, features);
                int y = batch.label(r);
                loss += Ops.softplus(z) - y * z;
                double dz = (Ops.sigmoid(z) - y) * inv;
                gBias += dz;
                float g = (float) dz;
                for (int j = 0; j < features; j++) {
                    grad[j] += g * x[j];
                }
            }
        }
        grad[features] = (float) gBias;
        return loss * inv;
    }

    /** Predicts 1 where {@code w . x + b > 0} (probability above one half), else 0. */
    @Override
    void checkedPredict(float[] params, Batch batch, int[] out, Workspace ws) {
        for (int r = 0, n = batch.size(); r < n; r++) {
            out[r] = margin(params, batch.data(), batch.row(r), ws) > 0 ? 1 : 0;
        }
    }

    @Override
    void checkedScores(float[] params, Batch batch, float[] out, Workspace ws) {
        for (int r = 0, n = batch.size(); r < n; r++) {
            out[2 * r] = 0f;
            out[2 * r + 1] = (float) margin(params, batch.data(), batch.row(r), ws);
        }
    }

    /** The margin {@code w . x_i + b} of example {@code i} of {@code d}. */
    private double margin(float[] params, Dataset d, int i, Workspace ws) {
        double z = params[features];
        if (d.isSparse()) {
            long[] start = d.rowStart();
            int[] col = d.columns();
            float[] val = d.values();
            for (int q = (int) start[i], to = (int) start[i + 1]; q < to; q++) {
                z += params[col[q]] * val[q];
            }
        } else {
            System.arraycopy(d.dense(), i * features, ws.row, 0, features);
            z += dot(params, ws.row, features);
        }
        return z;
    }

    /** {@code w[0, n) . x[0, n)} with four float partial sums (for instruction-level parallelism). */
    private static double dot(float[] w, float[] x, int n) {
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        int j = 0;
        for (; j + 3 < n; j += 4) {
            s0 += w[j] * x[j];
            s1 += w[j + 1] * x[j + 1];
            s2 += w[j + 2] * x[j + 2];
            s3 += w[j + 3] * x[j + 3];
        }
        for (; j < n; j++) {
            s0 += w[j] * x[j];
        }
        return (double) s0 + s1 + s2 + s3;
    }

    static final class Workspace extends CheckedModel.Scratch {
        final float[] row;

        Workspace(LogisticRegression owner, int maxBatch) {
            super(owner, maxBatch);
            this.row = new float[owner.features];
        }
    }
}
