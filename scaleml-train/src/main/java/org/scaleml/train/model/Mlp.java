package org.scaleml.train.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.StringJoiner;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * Multilayer perceptron ({@code mlp}): fully connected hidden layers with one activation (relu, tanh or sigmoid)
 * and a linear output layer trained on the mean softmax cross-entropy.
 *
 * <p><b>Parameters.</b> Layer {@code l = 1..L} is {@code fc<l>.weight}, an {@code in x out} row-major matrix
 * (input-major: row {@code i} holds the weights leaving input {@code i}), then {@code fc<l>.bias[out]}. The
 * hidden layers use He initialization for relu and Xavier (Glorot uniform) for tanh and sigmoid; the output layer
 * uses Xavier; biases start at 0. All seeded.
 *
 * <p>Dense and sparse data sets both work; with sparse input the first layer touches only the weight rows of
 * the non-zero features.
 *
 * <p><b>Thread safety.</b> Immutable; each thread needs its own {@link Model.Workspace} and gradient array.
 * <b>Complexity.</b> About {@code 6 * batch * (weights)} flops per {@link #lossAndGradient} (2 forward, 4
 * backward), {@code 2 * batch * weights} per {@link #predict}; no allocation after the workspace's first batch.
 */
final class Mlp extends CheckedModel<Mlp.Workspace> {
    /*
     * Algorithm: plain backpropagation on whole mini-batches as matrices (no per-example loop). The batch is
     * gathered into X (rows x inputs); each layer computes A_l = act(A_{l-1} W_l + b_l) with one Gemm.nn, the
     * last without activation. The shared softmax cross-entropy (Ops) turns the logits into dZ_L =
     * (softmax - onehot) / rows in place; going down, dW_l = A_{l-1}^T dZ_l (Gemm.tn), db_l = column sums of dZ_l,
     * dA_{l-1} = dZ_l W_l^T (Gemm.nt) and dZ_{l-1} = dA_{l-1} * act'(A_{l-1}), where the derivative is expressed
     * through the stored output A_{l-1}. The first layer never computes dX. Sparse input replaces the first
     * product by sums of weight rows over each example's non-zeros, and its weight gradient by the matching
     * scatter.
     *
     * Workspace: X, one output and one delta matrix per layer (maxBatch x width), and a Gemm with its packing
     * buffers; X is allocated on the first dense batch only.
     */

    private final int[] widths;
    private final Activation activation;
    private final int[] weightOffset;
    private final int parameterCount;
    private final List<Layer> layers;
    private final String spec;

    /**
     * @param inputs  number of input features
     * @param hidden  widths of the hidden layers (at least one)
     * @param act     activation of the hidden layers
     * @param classes number of classes (output width)
     */
    Mlp(int inputs, int[] hidden, Activation act, int classes) {
        if (inputs <= 0 || classes < 2 || hidden.length == 0) {
            throw new IllegalArgumentException("mlp: need inputs > 0, classes >= 2 and at least one hidden layer");
        }
        widths = new int[hidden.length + 2];
        widths[0] = inputs;
        for (int l = 0; l < hidden.length; l++) {
            if (hidden[l] <= 0) {
                throw new IllegalArgumentException("mlp: hidden width " + hidden[l] + " is not positive");
            }
            widths[l + 1] = hidden[l];
        }
        widths[hidden.length + 1] = classes;
        activation = act;
        int depth = hidden.length + 1;
        weightOffset = new int[depth + 1];
        List<Layer> ls = new ArrayList<>();
        long off = 0;
        for (int l = 1; l <= depth; l++) {
            long w = (long) widths[l - 1] * widths[l];
            if (off + w + widths[l] > Integer.MAX_VALUE - 16) {
                throw new IllegalArgumentException("mlp: more than 2^31 parameters");
            }
            weightOffset[l] = (int) off;
            ls.add(new Layer("fc" + l + ".weight", (int) off, (int) w));
            ls.add(new Layer("fc" + l + ".bias", (int) (off + w), widths[l]));
            off += w + widths[l];
        }
        parameterCount = (int) off;
        layers = List.copyOf(ls);
        StringJoiner h = new StringJoiner("-");
        for (int w : hidden) {
            h.add(Integer.toString(w));
        }
        spec = "mlp:hidden=" + h + ",act=" + act.key();
    }

    @Override
    public String spec() {
        return spec;
    }

    @Override
    public int inputs() {
        return widths[0];
    }

    @Override
    public int classes() {
        return widths[widths.length - 1];
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    private int depth() {
        return widths.length - 1;
    }

    @Override
    public void initialize(float[] params, long seed) {
        Ops.checkLengths(this, params, null);
        SplittableRandom rnd = new SplittableRandom(seed);
        for (int l = 1; l <= depth(); l++) {
            int in = widths[l - 1];
            int out = widths[l];
            int off = weightOffset[l];
            if (l < depth() && activation.heInit()) {
                Ops.heNormal(params, off, in * out, in, rnd);
            } else {
                Ops.xavierUniform(params, off, in * out, in, out, rnd);
            }
            Arrays.fill(params, off + in * out, off + in * out + out, 0f);
        }
    }

    @Override
    public Model.Workspace workspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    @Override
    double checkedLossAndGradient(float[] params, Batch batch, float[] grad, Workspace ws) {
        int n = batch.size();
        forward(params, batch, ws);
        int depth = depth();
        double loss = Ops.softmaxCrossEntropy(ws.a[depth], n, classes(), batch);
        boolean sparse = batch.data().isSparse();
        for (int l = depth; l >= 1; l--) {
            int in = widths[l - 1];
            int out = widths[l];
            float[] dz = l == depth ? ws.a[depth] : ws.d[l];
            if (l == 1 && sparse) {
                sparseWeightGradient(batch, out, dz, grad, weightOffset[1]);
                Ops.columnSums(dz, n, out, grad, weightOffset[1] + in * out);
            } else {
                float[] x = l == 1 ? ws.x() : ws.a[l - 1];
                float[] dx = l == 1 ? null : ws.d[l - 1];
                Ops.denseBackward(ws.gemm, n, in, out, x, dz, params, weightOffset[l], grad, dx);
                if (dx != null) {
                    activation.backward(ws.a[l - 1], dx, 0, n * in);
                }
            }
        }
        return loss;
    }

    @Override
    void checkedPredict(float[] params, Batch batch, int[] out, Workspace ws) {
        forward(params, batch, ws);
        Ops.argmaxRows(ws.a[depth()], batch.size(), classes(), out);
    }

    @Override
    void checkedScores(float[] params, Batch batch, float[] out, Workspace ws) {
        forward(params, batch, ws);
        System.arraycopy(ws.a[depth()], 0, out, 0, batch.size() * classes());
    }

    /** Fills {@code ws.a[1..L]} (the last holds the logits). */
    private void forward(float[] params, Batch batch, Workspace ws) {
        int n = batch.size();
        int depth = depth();
        for (int l = 1; l <= depth; l++) {
            int in = widths[l - 1];
            int out = widths[l];
            if (l == 1 && batch.data().isSparse()) {
                sparseFirstLayer(params, batch, out, ws.a[1]);
            } else {
                float[] x = l == 1 ? gather(batch, ws) : ws.a[l - 1];
                Ops.denseForward(ws.gemm, n, in, out, x, params, weightOffset[l], ws.a[l]);
            }
            if (l < depth) {
                activation.apply(ws.a[l], 0, n * out);
            }
        }
    }

    private static float[] gather(Batch batch, Workspace ws) {
        float[] x = ws.x();
        Ops.gather(batch, x);
        return x;
    }

    /** {@code Z = X W_1 + b_1} for sparse X: each example adds the weight rows of its non-zero features. */
    private void sparseFirstLayer(float[] params, Batch batch, int out, float[] z) {
        int n = batch.size();
        int wOff = weightOffset[1];
        Ops.fillBias(z, n, out, params, wOff + widths[0] * out);
        Dataset d = batch.data();
        long[] start = d.rowStart();
        int[] col = d.columns();
        float[] val = d.values();
        for (int r = 0; r < n; r++) {
            int i = batch.row(r);
            int zo = r * out;
            for (int q = (int) start[i], to = (int) start[i + 1]; q < to; q++) {
                int wo = wOff + col[q] * out;
                float v = val[q];
                for (int j = 0; j < out; j++) {
                    z[zo + j] += v * params[wo + j];
                }
            }
        }
    }

    /** Overwrites the first layer's weight gradient with {@code X^T dZ} for sparse X. */
    private void sparseWeightGradient(Batch batch, int out, float[] dz, float[] grad, int wOff) {
        Arrays.fill(grad, wOff, wOff + widths[0] * out, 0f);
        Dataset d = batch.data();
        long[] start = d.rowStart();
        int[] col = d.columns();
        float[] val = d.values();
        for (int r = 0, n = batch.size(); r < n; r++) {
            int i = batch.row(r);
            int zo = r * out;
            for (int q = (int) start[i], to = (int) start[i + 1]; q < to; q++) {
                int wo = wOff + col[q] * out;
                float v = val[q];
                for (int j = 0; j < out; j++) {
                    grad[wo + j] += v * dz[zo + j];
                }
            }
        }
    }

    static final class Workspace extends CheckedModel.Scratch {
        private final int inputs;
        final Gemm gemm = new Gemm();
        /** {@code a[l]}: output of layer {@code l} (rows x width), {@code a[L]} the logits then dZ_L. */
        final float[][] a;
        /** {@code d[l]}, {@code 1 <= l < L}: gradient with respect to layer {@code l}'s pre-activation. */
        final float[][] d;
        private float[] x;

        Workspace(Mlp owner, int maxBatch) {
            super(owner, maxBatch);
            this.inputs = owner.widths[0];
            int depth = owner.depth();
            a = new float[depth + 1][];
            d = new float[depth][];
            for (int l = 1; l <= depth; l++) {
                a[l] = new float[Math.multiplyExact(maxBatch, owner.widths[l])];
                if (l < depth) {
                    d[l] = new float[a[l].length];
                }
            }
        }

        /** The gathered dense batch; allocated on the first dense batch (sparse input never needs it). */
        float[] x() {
            if (x == null) {
                x = new float[Math.multiplyExact(maxBatch(), inputs)];
            }
            return x;
        }
    }
}
