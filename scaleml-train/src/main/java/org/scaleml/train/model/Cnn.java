package org.scaleml.train.model;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * A small convolutional network ({@code cnn}) for image data of shape {@code {channels, height, width}}:
 * <pre>
 *   conv1 5x5, c1 channels, padding 2 (same size) + relu + 2x2 max-pool (stride 2)
 *   conv2 5x5, c2 channels, padding 2 + relu + 2x2 max-pool
 *   fc1   (c2 * (height/4) * (width/4)) -> fc, relu
 *   fc2   fc -> classes, softmax cross-entropy
 * </pre>
 * with defaults {@code c1 = 16, c2 = 32, fc = 128}. Pooling floors odd sizes (the last row or column is dropped).
 *
 * <p><b>Parameters</b>, in order: {@code conv1.weight} ({@code c1 x channels x 5 x 5}, row-major),
 * {@code conv1.bias[c1]}, {@code conv2.weight} ({@code c2 x c1 x 5 x 5}), {@code conv2.bias[c2]},
 * {@code fc1.weight} (input-major {@code in x fc}, as in {@link Mlp}), {@code fc1.bias}, {@code fc2.weight}
 * ({@code fc x classes}), {@code fc2.bias}. He initialization for the convolutions and fc1, Xavier for fc2, zero
 * biases; seeded.
 *
 * <p>The data set's {@code shape()} must equal {@code {channels, height, width}} of the model, otherwise
 * {@link IllegalArgumentException}; sparse storage is accepted (examples are gathered densely).
 *
 * <p><b>Thread safety.</b> Immutable; each thread needs its own {@link Model.Workspace} and gradient array.
 * <b>Complexity.</b> Per example about {@code 2 * 25 * (channels * c1 * H * W + c1 * c2 * H * W / 4)} flops
 * forward for the convolutions plus the fully connected layers, about twice that backward; no allocation.
 */
final class Cnn extends CheckedModel<Cnn.Workspace> {
    /*
     * Algorithm. A convolution of a C x H x W input with Cout filters of C x 5 x 5 is a matrix product by im2col
     * (Chellapilla, Puri and Simard, "High performance convolutional neural networks for document processing",
     * IWFHR 2006; the Caffe scheme): col is the (C * 25) x (H * W) matrix whose column (oy, ox) holds the input
     * patch under the filter at that output position (zeros where the patch leaves the padded image), so the
     * output (Cout x H * W, bias-initialized) += W col with W seen as Cout x (C * 25) (Gemm.nn). Rows of col are
     * shifted copies of input rows, built with System.arraycopy segments.
     *
     * Backward, per example, with dOut the output gradient after the relu mask: dW += dOut col^T (Gemm.nt,
     * accumulated over the batch), db += row sums of dOut, and dcol = W^T dOut (Gemm.tn), which col2im (the
     * adjoint of im2col: each col entry is added back to the input pixel it was copied from) turns into the
     * input gradient. The first convolution skips dcol (no gradient for the data). col is recomputed in the
     * backward pass instead of being kept for the whole batch (it is cheap next to the products and keeps the
     * workspace small and cache-resident).
     *
     * Max-pooling records the index of the maximum of each 2x2 window in the forward pass (first maximum on
     * ties); backward routes each pooled gradient to that index alone (windows do not overlap, so this is an
     * assignment into a cleared buffer). The fully connected part runs on the whole batch as matrices through
     * Ops, like Mlp.
     *
     * The shape check compares the data set's shape once per data set and workspace (Dataset.shape() copies),
     * so steady-state steps allocate nothing.
     */

    private static final int K = 5;
    private static final int PAD = 2;

    private final int channels;
    private final int height;
    private final int width;
    private final int classes;
    private final int c1;
    private final int c2;
    private final int fc;
    private final int h2;
    private final int w2;
    private final int h4;
    private final int w4;
    private final int fcIn;
    private final int conv1W;
    private final int conv2W;
    private final int fc1W;
    private final int fc2W;
    private final int parameterCount;
    private final List<Layer> layers;

    Cnn(int channels, int height, int width, int classes, int c1, int c2, int fc) {
        if (channels <= 0 || height < 4 || width < 4) {
            throw new IllegalArgumentException("cnn: input must be at least 1 x 4 x 4 (channels x height x width), got "
                    + channels + " x " + height + " x " + width);
        }
        if (classes < 2 || c1 <= 0 || c2 <= 0 || fc <= 0) {
            throw new IllegalArgumentException("cnn: need classes >= 2 and positive c1, c2, fc; got classes="
                    + classes + ", c1=" + c1 + ", c2=" + c2 + ", fc=" + fc);
        }
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.classes = classes;
        this.c1 = c1;
        this.c2 = c2;
        this.fc = fc;
        h2 = height / 2;
        w2 = width / 2;
        h4 = h2 / 2;
        w4 = w2 / 2;
        long in = (long) c2 * h4 * w4;
        long w1 = (long) c1 * channels * K * K;
        long ww2 = (long) c2 * c1 * K * K;
        long f1 = in * fc;
        long f2 = (long) fc * classes;
        long total = w1 + c1 + ww2 + c2 + f1 + fc + f2 + classes;
        long maxPlane = (long) Math.max(channels, c1) * K * K * height * width;
        if (total > Integer.MAX_VALUE - 16 || maxPlane > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("cnn: architecture too large (" + total + " parameters)");
        }
        fcIn = (int) in;
        conv1W = (int) w1;
        conv2W = (int) ww2;
        fc1W = (int) f1;
        fc2W = (int) f2;
        parameterCount = (int) total;
        String[] names = {"conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias",
            "fc2.weight", "fc2.bias"};
        int[] lengths = {conv1W, c1, conv2W, c2, fc1W, fc, fc2W, classes};
        Layer[] ls = new Layer[names.length];
        for (int i = 0, o = 0; i < ls.length; o += lengths[i], i++) {
            ls[i] = new Layer(names[i], o, lengths[i]);
        }
        layers = List.of(ls);
    }

    @Override
    public String spec() {
        return "cnn:c1=" + c1 + ",c2=" + c2 + ",fc=" + fc;
    }

    @Override
    public int inputs() {
        return channels * height * width;
    }

    @Override
    public int classes() {
        return classes;
    }

    @Override
    public int parameterCount() {
        return parameterCount;
    }

    @Override
    public List<Layer> layers() {
        return layers;
    }

    /** The input shape {@code {channels, height, width}} this network was built for (a copy). */
    int[] shape() {
        return new int[] {channels, height, width};
    }

    private int off(int layer) {
        return layers.get(layer).offset();
    }

    @Override
    public void initialize(float[] params, long seed) {
        Ops.checkLengths(this, params, null);
        SplittableRandom rnd = new SplittableRandom(seed);
        Ops.heNormal(params, off(0), conv1W, channels * K * K, rnd);
        Arrays.fill(params, off(1), off(1) + c1, 0f);
        Ops.heNormal(params, off(2), conv2W, c1 * K * K, rnd);
        Arrays.fill(params, off(3), off(3) + c2, 0f);
        Ops.heNormal(params, off(4), fc1W, fcIn, rnd);
        Arrays.fill(params, off(5), off(5) + fc, 0f);
        Ops.xavierUniform(params, off(6), fc2W, fc, classes, rnd);
        Arrays.fill(params, off(7), off(7) + classes, 0f);
    }

    @Override
    public Model.Workspace workspace(int maxBatch) {
        return new Workspace(this, maxBatch);
    }

    @Override
    double checkedLossAndGradient(float[] params, Batch batch, float[] grad, Workspace ws) {
        int n = batch.size();
        forward(params, batch, ws);
        double loss = Ops.softmaxCrossEntropy(ws.logits, n, classes, batch);
        Gemm g = ws.gemm;
        // Fully connected part, whole batch.
        Ops.denseBackward(g, n, fc, classes, ws.h, ws.logits, params, off(6), grad, ws.dh);
        Activation.RELU.backward(ws.h, ws.dh, 0, n * fc);
        Ops.denseBackward(g, n, fcIn, fc, ws.p2, ws.dh, params, off(4), grad, ws.dp2);
        // Convolutions, example by example, accumulating into the cleared gradient slices.
        Arrays.fill(grad, off(0), off(4), 0f);
        int hw = height * width;
        int hw2 = h2 * w2;
        int r1 = channels * K * K;
        int r2 = c1 * K * K;
        int a1Len = c1 * hw;
        int a2Len = c2 * hw2;
        for (int b = 0; b < n; b++) {
            // conv2 block: unpool, relu mask, gradients, input gradient.
            unpool(ws.dp2, b * fcIn, ws.i2, b * fcIn, fcIn, ws.da2, a2Len);
            reluMask(ws.a2, b * a2Len, ws.da2, a2Len);
            rowSums(ws.da2, c2, hw2, grad, off(3));
            im2col(ws.p1, b * c1 * hw2, c1, h2, w2, ws.col);
            g.nt(c2, r2, hw2, ws.da2, 0, hw2, ws.col, 0, hw2, grad, off(2), r2, true);
            g.tn(r2, hw2, c2, params, off(2), r2, ws.da2, 0, hw2, ws.dcol, 0, hw2, false);
            col2im(ws.dcol, c1, h2, w2, ws.dp1);
            // conv1 block.
            unpool(ws.dp1, 0, ws.i1, b * c1 * hw2, c1 * hw2, ws.da1, a1Len);
            reluMask(ws.a1, b * a1Len, ws.da1, a1Len);
            rowSums(ws.da1, c1, hw, grad, off(1));
            im2col(ws.x, b * channels * hw, channels, height, width, ws.col);
            g.nt(c1, r1, hw, ws.da1, 0, hw, ws.col, 0, hw, grad, off(0), r1, true);
        }
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

    private void forward(float[] params, Batch batch, Workspace ws) {
        int n = batch.size();
        Gemm g = ws.gemm;
        Ops.gather(batch, ws.x);
        int hw = height * width;
        int hw2 = h2 * w2;
        int r1 = channels * K * K;
        int r2 = c1 * K * K;
        for (int b = 0; b < n; b++) {
            int a1o = b * c1 * hw;
            im2col(ws.x, b * channels * hw, channels, height, width, ws.col);
            for (int c = 0; c < c1; c++) {
                Arrays.fill(ws.a1, a1o + c * hw, a1o + (c + 1) * hw, params[off(1) + c]);
            }
            g.nn(c1, hw, r1, params, off(0), r1, ws.col, 0, hw, ws.a1, a1o, hw, true);
            Activation.RELU.apply(ws.a1, a1o, a1o + c1 * hw);
            pool(ws.a1, a1o, c1, height, width, ws.p1, b * c1 * hw2, ws.i1);

            int a2o = b * c2 * hw2;
            im2col(ws.p1, b * c1 * hw2, c1, h2, w2, ws.col);
            for (int c = 0; c < c2; c++) {
                Arrays.fill(ws.a2, a2o + c * hw2, a2o + (c + 1) * hw2, params[off(3) + c]);
            }
            g.nn(c2, hw2, r2, params, off(2), r2, ws.col, 0, hw2, ws.a2, a2o, hw2, true);
            Activation.RELU.apply(ws.a2, a2o, a2o + c2 * hw2);
            pool(ws.a2, a2o, c2, h2, w2, ws.p2, b * fcIn, ws.i2);
        }
        Ops.denseForward(g, n, fcIn, fc, ws.p2, params, off(4), ws.h);
        Activation.RELU.apply(ws.h, 0, n * fc);
        Ops.denseForward(g, n, fc, classes, ws.h, params, off(6), ws.logits);
    }

    /**
     * Writes the (c * 25) x (h * w) im2col matrix of the c x h x w image at {@code src[sOff..]} into {@code col}:
     * row {@code (ci * 5 + ky) * 5 + kx}, column {@code oy * w + ox} holds pixel {@code (ci, oy + ky - 2,
     * ox + kx - 2)}, or 0 outside the image.
     */
    static void im2col(float[] src, int sOff, int c, int h, int w, float[] col) {
        int hw = h * w;
        int r = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = sOff + ci * hw;
            for (int ky = 0; ky < K; ky++) {
                for (int kx = 0; kx < K; kx++, r++) {
                    int lo = Math.max(0, PAD - kx);
                    int hi = Math.min(w, w + PAD - kx);
                    int row = r * hw;
                    for (int oy = 0; oy < h; oy++) {
                        int dst = row + oy * w;
                        int iy = oy + ky - PAD;
                        if (iy < 0 || iy >= h || hi <= lo) {
                            Arrays.fill(col, dst, dst + w, 0f);
                            continue;
                        }
                        if (lo > 0) {
                            Arrays.fill(col, dst, dst + lo, 0f);
                        }
                        System.arraycopy(src, plane + iy * w + lo + kx - PAD, col, dst + lo, hi - lo);
                        if (hi < w) {
                            Arrays.fill(col, dst + hi, dst + w, 0f);
                        }
                    }
                }
            }
        }
    }

    /** The adjoint of {@link #im2col}: clears {@code dst[0, c h w)} and adds every col entry to its pixel. */
    static void col2im(float[] col, int c, int h, int w, float[] dst) {
        int hw = h * w;
        Arrays.fill(dst, 0, c * hw, 0f);
        int r = 0;
        for (int ci = 0; ci < c; ci++) {
            int plane = ci * hw;
            for (int ky = 0; ky < K; ky++) {
                for (int kx = 0; kx < K; kx++, r++) {
                    int lo = Math.max(0, PAD - kx);
                    int hi = Math.min(w, w + PAD - kx);
                    int row = r * hw;
                    for (int oy = 0; oy < h; oy++) {
                        int iy = oy + ky - PAD;
                        if (iy < 0 || iy >= h) {
                            continue;
                        }
                        int s = row + oy * w;
                        int d = plane + iy * w + kx - PAD;
                        for (int ox = lo; ox < hi; ox++) {
                            dst[d + ox] += col[s + ox];
                        }
                    }
                }
            }
        }
    }

    /**
     * 2x2 max-pool with stride 2 of the c x h x w planes at {@code src[sOff..]} into {@code dst[dOff..]}
     * ({@code c x h/2 x w/2}); {@code idx[dOff + o]} receives the argmax's index relative to {@code sOff}.
     */
    static void pool(float[] src, int sOff, int c, int h, int w, float[] dst, int dOff, int[] idx) {
        int ph = h / 2;
        int pw = w / 2;
        int o = dOff;
        for (int ci = 0; ci < c; ci++) {
            for (int oy = 0; oy < ph; oy++) {
                int base = ci * h * w + 2 * oy * w;
                for (int ox = 0; ox < pw; ox++, o++) {
                    int i = base + 2 * ox;
                    int best = i;
                    float bv = src[sOff + i];
                    if (src[sOff + i + 1] > bv) {
                        best = i + 1;
                        bv = src[sOff + i + 1];
                    }
                    if (src[sOff + i + w] > bv) {
                        best = i + w;
                        bv = src[sOff + i + w];
                    }
                    if (src[sOff + i + w + 1] > bv) {
                        best = i + w + 1;
                        bv = src[sOff + i + w + 1];
                    }
                    dst[o] = bv;
                    idx[o] = best;
                }
            }
        }
    }

    /**
     * Clears {@code dst[0, len)} and routes each pooled gradient {@code grad[gOff + o]}, {@code o < count}, to
     * {@code dst[idx[iOff + o]]}.
     */
    private static void unpool(float[] grad, int gOff, int[] idx, int iOff, int count, float[] dst, int len) {
        Arrays.fill(dst, 0, len, 0f);
        for (int o = 0; o < count; o++) {
            dst[idx[iOff + o]] = grad[gOff + o];
        }
    }

    private static void reluMask(float[] a, int aOff, float[] d, int len) {
        for (int i = 0; i < len; i++) {
            if (a[aOff + i] <= 0f) {
                d[i] = 0f;
            }
        }
    }

    /** {@code grad[gOff + r] += sum of row r} of the {@code rows x cols} matrix {@code d}. */
    private static void rowSums(float[] d, int rows, int cols, float[] grad, int gOff) {
        for (int r = 0; r < rows; r++) {
            float s = 0;
            for (int j = r * cols, e = j + cols; j < e; j++) {
                s += d[j];
            }
            grad[gOff + r] += s;
        }
    }

    /** Checks the data set's image shape, once per data set and workspace. */
    @Override
    void checkData(Batch batch, Workspace ws) {
        Dataset d = batch.data();
        if (ws.checked != d) {
            int[] s = d.shape();
            if (s.length != 3 || s[0] != channels || s[1] != height || s[2] != width) {
                throw new IllegalArgumentException("data set " + d.name() + " has shape " + Arrays.toString(s)
                        + "; " + spec() + " expects images of shape [" + channels + ", " + height + ", " + width
                        + "] (channels, height, width)");
            }
            ws.checked = d;
        }
    }

    static final class Workspace extends CheckedModel.Scratch {
        final Gemm gemm = new Gemm();
        Dataset checked;
        final float[] x;
        final float[] a1;
        final float[] p1;
        final int[] i1;
        final float[] a2;
        final float[] p2;
        final int[] i2;
        final float[] h;
        final float[] logits;
        final float[] dh;
        final float[] dp2;
        final float[] col;
        final float[] dcol;
        final float[] da2;
        final float[] dp1;
        final float[] da1;

        Workspace(Cnn m, int maxBatch) {
            super(m, maxBatch);
            int hw = m.height * m.width;
            int hw2 = m.h2 * m.w2;
            x = new float[Math.multiplyExact(maxBatch, m.channels * hw)];
            a1 = new float[Math.multiplyExact(maxBatch, m.c1 * hw)];
            p1 = new float[maxBatch * m.c1 * hw2];
            i1 = new int[p1.length];
            a2 = new float[maxBatch * m.c2 * hw2];
            p2 = new float[maxBatch * m.fcIn];
            i2 = new int[p2.length];
            h = new float[maxBatch * m.fc];
            dh = new float[h.length];
            logits = new float[maxBatch * m.classes];
            dp2 = new float[p2.length];
            col = new float[Math.max(m.channels * K * K * hw, m.c1 * K * K * hw2)];
            dcol = new float[m.c1 * K * K * hw2];
            da2 = new float[m.c2 * hw2];
            dp1 = new float[m.c1 * hw2];
            da1 = new float[m.c1 * hw];
        }

    }
}
