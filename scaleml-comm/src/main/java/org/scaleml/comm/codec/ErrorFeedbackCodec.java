package org.scaleml.comm.codec;

import java.util.Arrays;

/**
 * Error feedback (residual memory) around any codec, as in "The Convergence of Sparsified Gradient Methods"
 * (Alistarh et al., NeurIPS 2018) and EF-SignSGD (Karimireddy et al., ICML 2019): the encoder keeps a residual
 * {@code r}, encodes {@code a = g + r} with the inner codec, and keeps {@code r = a - decode(payload)}, so what
 * one step drops is sent later. Over any number of steps, the sum of the inputs equals the sum of the decoded
 * payloads plus the current residual (up to float rounding of the additions).
 *
 * <p>Error feedback needs a <em>contractive</em> inner codec, one whose error is smaller than its input
 * ({@code ||C(x) - x|| <= (1 - delta) ||x||}): TopK, threshold, scaled sign, PowerSGD, max-min, or the quantizers
 * scaled by the maximum ({@code qsgd:norm=max}). With an unbiased quantizer whose error exceeds the input, such as
 * 4-bit QSGD scaled by the L2 norm of a 512-element bucket, the residual grows without bound (measured: 373 times
 * the input after 50 steps; see QuantizerStatisticsTest); use those codecs without {@code ef:}.
 *
 * <p>The payloads are the inner codec's (same id and format): error feedback is purely the sender's business, and
 * decoding delegates to the inner codec. The residual has the length of the first encoded tensor; one instance
 * serves one tensor stream, and encoding a different length is an error. Costs one extra decode per encode and
 * {@code 8n} bytes of state.
 */
public final class ErrorFeedbackCodec implements GradientCodec {
    private final GradientCodec inner;
    private float[] residual;
    private float[] work;
    private float[] sent;

    public ErrorFeedbackCodec(GradientCodec inner) {
        this.inner = inner;
    }

    /** The wrapped codec. */
    public GradientCodec inner() {
        return inner;
    }

    /** A copy of the current residual (empty before the first encode). */
    public float[] residual() {
        return residual == null ? new float[0] : residual.clone();
    }

    /**
     * Replaces the residual by a copy of {@code r} (e.g. from a checkpoint); an empty array forgets it, as before
     * the first encode. Later encodes must have {@code r.length} elements.
     */
    public void restoreResidual(float[] r) {
        if (r.length == 0) {
            residual = null;
            work = null;
            sent = null;
            return;
        }
        residual = r.clone();
        work = new float[r.length];
        sent = new float[r.length];
    }

    /** Forgets the residual (e.g. after a model reset). */
    public void reset() {
        if (residual != null) {
            Arrays.fill(residual, 0f);
        }
    }

    @Override
    public String spec() {
        return "ef:" + inner.spec();
    }

    @Override
    public int id() {
        return inner.id();
    }

    @Override
    public boolean isLossless() {
        return inner.isLossless();
    }

    @Override
    public int maxEncodedSize(int n) {
        return inner.maxEncodedSize(n);
    }

    @Override
    public double bitsPerElement(int n) {
        return inner.bitsPerElement(n);
    }

    @Override
    public int encode(float[] src, int off, int n, byte[] dst, int dstOff) {
        Wire.checkEncodeArgs(src, off, n, dst, dstOff, maxEncodedSize(n));
        if (residual == null) {
            residual = new float[n];
            work = new float[n];
            sent = new float[n];
        } else if (residual.length != n) {
            throw new IllegalArgumentException(spec() + ": this error-feedback stream has " + residual.length
                    + " elements, got " + n + " (use one codec instance per tensor)");
        }
        final float[] r = residual;
        final float[] a = work;
        for (int i = 0; i < n; i++) {
            a[i] = src[off + i] + r[i];
        }
        int len = inner.encode(a, 0, n, dst, dstOff);
        inner.decode(dst, dstOff, len, sent, 0, n);
        final float[] s = sent;
        for (int i = 0; i < n; i++) {
            r[i] = a[i] - s[i];
        }
        return len;
    }

    @Override
    public void decode(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
        inner.decode(src, srcOff, srcLen, dst, dstOff, n);
    }

    @Override
    public void decodeAdd(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
        inner.decodeAdd(src, srcOff, srcLen, dst, dstOff, n);
    }

    @Override
    public String toString() {
        return spec();
    }
}
