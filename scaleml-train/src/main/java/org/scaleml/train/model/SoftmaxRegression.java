package org.scaleml.train.model;

import java.util.Arrays;
import java.util.List;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * Multiclass linear classifier ({@code softmax}, multinomial logistic regression): logits {@code W x + b},
 * trained on the mean softmax cross-entropy. Parameters: {@code weight} as a {@code classes x features} row-major
 * matrix (row {@code c} scores class {@code c}), then {@code bias[classes]}.
 *
 * <p>Dense and sparse (CSR) data sets both work; a sparse example costs {@code O(nnz * classes)}.
 *
 * <p><b>Thread safety.</b> Immutable; each thread needs its own {@link Model.Workspace} and gradient array.
 * <b>Complexity.</b> {@code O(batch * features * classes)} dense, {@code O(nnz(batch) * classes +
 * features * classes)} sparse (the second term clears the gradient).
 */
final class SoftmaxRegression extends CheckedModel<SoftmaxRegression.Workspace> {
    /*
     * Algorithm. Dense batches are gathered into X (rows x features) and handled as matrix products: the
     * transposed logits L^T = W X^T (classes x rows, Gemm.nt, so the vectorized inner loop runs over the batch
     * rather than over the few classes), transposed back to rows x classes for the shared softmax cross-entropy
     * (Ops), which leaves dL = (softmax - onehot) / rows; then dW = dL^T X (Gemm.tn) and db = column sums of dL.
     * Sparse rows accumulate W[c][j] x_j over their non-zeros j for every class c, and scatter dL[r][c] x_j
     * back into the same weights.
     */

    private final int features;
    private final int classes;
    private final List<Layer> layers;

    SoftmaxRegression(int features, int classes) {
        if (features <= 0 || classes < 2) {
            throw new IllegalArgumentException("softmax: need features > 0 and classes >= 2, got " + features
                    + " features and " + classes + " classes");
        }
        this.features = features;
        this.classes = classes;
        this.layers = List.of(new Layer("weight", 0, classes * features),
                new Layer("bias", classes * features, classes));
    }

    @Override
    public String spec() {
        return "softmax";
    }

    @Override
    public int inputs() {
        return features;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int parameterCount() {
        return classes * features + classes;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    /** Zero weights and biases (the loss is convex in the parameters); {@code seed} is unused. */
    @Override
    public void initialize(float[] params, long seed) {
        Ops.checkLengths(this, params, null);
        Arrays.fill(params, 0, parameterCount(), 0f);
    }

    @Override
    public Model.Workspace workspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    @Override
    double checkedLossAndGradient(float[] params, Batch batch, float[] grad, Workspace ws) {
        int n = batch.size();
        int wLen = classes * features;
        forward(params, batch, ws);
        double loss = Ops.softmaxCrossEntropy(ws.logits, n, classes, batch);
        float[] dl = ws.logits;
        Dataset d = batch.data();
        if (d.isSparse()) {
            Arrays.fill(grad, 0, wLen, 0f);
            long[] start = d.rowStart();
            int[] col = d.columns();
            float[] val = d.values();
            for (int r = 0; r < n; r++) {
                int i = batch.row(r);
                for (int q = (int) start[i], to = (int) start[i + 1]; q < to; q++) {
                    int j = col[q];
                    float v = val[q];
                    for (int c = 0; c < classes; c++) {
                        grad[c * features + j] += dl[r * classes + c] * v;
                    }
                }
            }
        } else {
            ws.gemm.tn(classes, features, n, dl, 0, classes, ws.x(), 0, features, grad, 0, features, false);
        }
        Ops.columnSums(dl, n, classes, grad, wLen);
        return loss;
    }

    @Override
    void checkedPredict(float[] params, Batch batch, int[] out, Workspace ws) {
        forward(params, batch, ws);
        Ops.argmaxRows(ws.logits, batch.size(), classes, out);
    }

    @Override
    void checkedScores(float[] params, Batch batch, float[] out, Workspace ws) {
        forward(params, batch, ws);
        System.arraycopy(ws.logits, 0, out, 0, batch.size() * classes);
    }

    /** Writes the logits, rows x classes, into {@code ws.logits}; dense batches also leave X in {@code ws.x}. */
    private void forward(float[] params, Batch batch, Workspace ws) {
        int n = batch.size();
        int wLen = classes * features;
        float[] z = ws.logits;
        Dataset d = batch.data();
        if (d.isSparse()) {
            long[] start = d.rowStart();
            int[] col = d.columns();
            float[] val = d.values();
            Ops.fillBias(z, n, classes, params, wLen);
            for (int r = 0; r < n; r++) {
                int i = batch.row(r);
                for (int q = (int) start[i], to = (int) start[i + 1]; q < to; q++) {
                    int j = col[q];
                    float v = val[q];
                    for (int c = 0; c < classes; c++) {
                        z[r * classes + c] += params[c * features + j] * v;
                    }
                }
            }
        } else {
            Ops.gather(batch, ws.x());
            float[] zt = ws.logitsT;
            for (int c = 0; c < classes; c++) {
                Arrays.fill(zt, c * n, (c + 1) * n, params[wLen + c]);
            }
            ws.gemm.nt(classes, n, features, params, 0, features, ws.x(), 0, features, zt, 0, n, true);
            for (int c = 0; c < classes; c++) {
                for (int r = 0; r < n; r++) {
                    z[r * classes + c] = zt[c * n + r];
                }
            }
        }
    }

    static final class Workspace extends CheckedModel.Scratch {
        private final int features;
        final Gemm gemm = new Gemm();
        /** The gathered dense batch; allocated on the first dense batch (sparse data sets never need it). */
        private float[] x;
        final float[] logits;
        final float[] logitsT;

        Workspace(SoftmaxRegression owner, int maxBatch) {
            super(owner, maxBatch);
            this.features = owner.features;
            this.logits = new float[maxBatch * owner.classes];
            this.logitsT = new float[maxBatch * owner.classes];
        }

        float[] x() {
            if (x == null) {
                x = new float[Math.multiplyExact(maxBatch(), features)];
            }
            return x;
        }
    }
}
