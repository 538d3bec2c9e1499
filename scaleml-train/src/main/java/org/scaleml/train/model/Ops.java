package org.scaleml.train.model;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * Kernels shared by the models: gathering a batch into a dense matrix, fully connected layers forward and
 * backward on whole batches, softmax cross-entropy, bias and argmax passes, seeded initialization and argument
 * checks.
 *
 * <p>Matrices are flat row-major {@code float[]}; a batch of activations is {@code rows x width} starting at index
 * 0 of its array. A fully connected layer's weight is stored input-major, {@code in x out} (row {@code i} holds
 * the weights leaving input {@code i}), followed by its {@code out} biases.
 *
 * <p><b>Thread safety.</b> Stateless; the {@link Gemm} passed in carries the caller's scratch space.
 * <b>Complexity.</b> Linear in the data touched, except the layer products ({@code 2 rows in out} flops each).
 * No allocation.
 */
final class Ops {
    /*
     * Fully connected layer, batch form: Z = X W + 1 b^T (rows x out) is one Gemm.nn; the backward pass is
     * dW = X^T dZ (Gemm.tn, overwriting the gradient slice, so the mean over the batch comes from dZ already
     * carrying the 1/rows factor), db = column sums of dZ, dX = dZ W^T (Gemm.nt). With the input-major layout the
     * forward product and the weight gradient both stream the output dimension, and a sparse input row touches
     * contiguous weight rows only (see Mlp).
     *
     * Softmax cross-entropy: per row, subtract the maximum logit before exponentiating (so exp never overflows),
     * loss = log(sum exp(z - max)) - (z_y - max), gradient (softmax - onehot) / rows written over the logits.
     */

    private Ops() {
    }

    static double sigmoid(double z) {
        if (z >= 0) {
            return 1.0 / (1.0 + Math.exp(-z));
        }
        double e = Math.exp(z);
        return e / (1.0 + e);
    }

    /** {@code log(1 + e^z)} without overflow or loss of precision for large {@code |z|}. */
    static double softplus(double z) {
        return Math.max(z, 0.0) + Math.log1p(Math.exp(-Math.abs(z)));
    }

    /** Checks a batch against a model and a workspace; cheap, no allocation. */
    static void check(Model model, Batch batch, Model.Workspace ws) {
        int n = batch.size();
        if (n > ws.maxBatch()) {
            throw new IllegalArgumentException("batch of " + n + " examples exceeds the workspace's maximum of "
                    + ws.maxBatch());
        }
        Dataset d = batch.data();
        if (d.features() != model.inputs()) {
            throw new IllegalArgumentException("data set " + d.name() + " has " + d.features()
                    + " features; model " + model.spec() + " expects " + model.inputs());
        }
        if (d.classes() > model.classes()) {
            throw new IllegalArgumentException("data set " + d.name() + " has " + d.classes()
                    + " classes; model " + model.spec() + " predicts " + model.classes());
        }
    }

    static void checkLengths(Model model, float[] params, float[] grad) {
        if (params.length < model.parameterCount()) {
            throw new IllegalArgumentException("parameter array of " + params.length + " floats; model "
                    + model.spec() + " has " + model.parameterCount() + " parameters");
        }
        if (grad != null && grad.length < model.parameterCount()) {
            throw new IllegalArgumentException("gradient array of " + grad.length + " floats; model "
                    + model.spec() + " has " + model.parameterCount() + " parameters");
        }
    }

    /** Copies the batch's examples densely into {@code dst[0, size * features)}, one row each. */
    static void gather(Batch batch, float[] dst) {
        Dataset d = batch.data();
        int f = d.features();
        for (int r = 0, n = batch.size(); r < n; r++) {
            d.copyRow(batch.row(r), dst, r * f);
        }
    }

    /** {@code z[r][j] = bias[j]} for every row: the starting value of a layer output. */
    static void fillBias(float[] z, int rows, int n, float[] params, int bOff) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(params, bOff, z, r * n, n);
        }
    }

    /** {@code grad[gOff + j] = sum_r d[r][j]}. */
    static void columnSums(float[] d, int rows, int n, float[] grad, int gOff) {
        Arrays.fill(grad, gOff, gOff + n, 0f);
        for (int r = 0; r < rows; r++) {
            int o = r * n;
            for (int j = 0; j < n; j++) {
                grad[gOff + j] += d[o + j];
            }
        }
    }

    /** {@code Z = X W + b} for {@code rows} dense rows of {@code in} inputs; {@code W} at {@code wOff}, then b. */
    static void denseForward(Gemm g, int rows, int in, int out, float[] x, float[] params, int wOff, float[] z) {
        fillBias(z, rows, out, params, wOff + in * out);
        g.nn(rows, out, in, x, 0, in, params, wOff, out, z, 0, out, true);
    }

    /**
     * Overwrites the layer's gradient slice with {@code X^T dZ} and the column sums of {@code dZ}, and, when
     * {@code dx != null}, writes {@code dX = dZ W^T}.
     */
    static void denseBackward(Gemm g, int rows, int in, int out, float[] x, float[] dz, float[] params, int wOff,
                              float[] grad, float[] dx) {
        g.tn(in, out, rows, x, 0, in, dz, 0, out, grad, wOff, out, false);
        columnSums(dz, rows, out, grad, wOff + in * out);
        if (dx != null) {
            g.nt(rows, in, out, dz, 0, out, params, wOff, out, dx, 0, in, false);
        }
    }

    /**
     * Mean softmax cross-entropy of {@code rows} rows of {@code k} logits against the batch's labels; overwrites
     * the logits with the gradient of the mean loss, {@code (softmax - onehot) / rows}.
     */
    static double softmaxCrossEntropy(float[] z, int rows, int k, Batch batch) {
        double loss = 0;
        double scale = 1.0 / rows;
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            float max = z[o];
            for (int c = 1; c < k; c++) {
                max = Math.max(max, z[o + c]);
            }
            int y = batch.label(r);
            float zy = z[o + y];
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double e = Math.exp(z[o + c] - max);
                z[o + c] = (float) e;
                sum += e;
            }
            loss += Math.log(sum) - ((double) zy - max);
            double inv = scale / sum;
            for (int c = 0; c < k; c++) {
                z[o + c] = (float) (z[o + c] * inv);
            }
            z[o + y] -= (float) scale;
        }
        return loss * scale;
    }

    /** {@code out[r] = argmax_c z[r][c]} (first maximum on ties). */
    static void argmaxRows(float[] z, int rows, int k, int[] out) {
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            int best = 0;
            float bv = z[o];
            for (int c = 1; c < k; c++) {
                if (z[o + c] > bv) {
                    bv = z[o + c];
                    best = c;
                }
            }
            out[r] = best;
        }
    }

    /** Fills {@code params[off, off + len)} with N(0, 2 / fanIn) (He et al., ICCV 2015). */
    static void heNormal(float[] params, int off, int len, int fanIn, SplittableRandom rnd) {
        double sd = Math.sqrt(2.0 / fanIn);
        for (int i = off; i < off + len; i++) {
            params[i] = (float) (gaussian(rnd) * sd);
        }
    }

    /** Fills {@code params[off, off + len)} with U(-a, a), a = sqrt(6 / (fanIn + fanOut)) (Glorot, AISTATS 2010). */
    static void xavierUniform(float[] params, int off, int len, int fanIn, int fanOut, SplittableRandom rnd) {
        double a = Math.sqrt(6.0 / (fanIn + fanOut));
        for (int i = off; i < off + len; i++) {
            params[i] = (float) ((rnd.nextDouble() * 2 - 1) * a);
        }
    }

    /** A standard normal deviate (Box-Muller; SplittableRandom has no nextGaussian on Java 17). */
    static double gaussian(SplittableRandom rnd) {
        double u = 1.0 - rnd.nextDouble();
        double v = rnd.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }
}
