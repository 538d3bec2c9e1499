package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class ErrorFeedbackCodecTest {

    /**
     * Sum of inputs = sum of decoded payloads + residual, over many steps, for the given inner codec. Sums in
     * double; the tolerance covers float rounding of the residual updates.
     */
    static void conservesMass(String inner, int steps, double tol) {
        ErrorFeedbackCodec c = (ErrorFeedbackCodec) Codecs.create("ef:" + inner, 5);
        int n = 2000;
        double[] in = new double[n];
        double[] out = new double[n];
        float[] dec = new float[n];
        for (int step = 0; step < steps; step++) {
            float[] g = CodecContract.gaussian(n, 1000 + step);
            byte[] p = CodecContract.encode(c, g);
            c.decode(p, 0, p.length, dec, 0, n);
            for (int i = 0; i < n; i++) {
                in[i] += g[i];
                out[i] += dec[i];
            }
        }
        float[] r = c.residual();
        double worst = 0;
        for (int i = 0; i < n; i++) {
            worst = Math.max(worst, Math.abs(in[i] - out[i] - r[i]));
        }
        assertThat(worst).as("ef:%s after %d steps", inner, steps).isLessThan(tol);
    }

    @Test
    void conservesTheSumOfInputsWithHalfPrecision() {
        conservesMass("bf16", 200, 1e-3);
    }

    @Test
    void residualIsZeroForALosslessCodec() {
        ErrorFeedbackCodec c = (ErrorFeedbackCodec) Codecs.create("ef:fp32", 1);
        CodecContract.encode(c, CodecContract.gaussian(100, 1));
        assertThat(c.residual()).containsOnly(0f);
        assertThat(c.spec()).isEqualTo("ef:fp32");
    }

    @Test
    void oneStreamOneLength() {
        GradientCodec c = Codecs.create("ef:fp16", 1);
        CodecContract.encode(c, new float[10]);
        assertThatThrownBy(() -> CodecContract.encode(c, new float[11])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("10 elements");
    }

    @Nested
    class Contract extends CodecContract {
        @Override
        String spec() {
            return "ef:bf16";
        }

        @Override
        double maxRelativeError() {
            return 4e-3;
        }

        @Override
        GradientCodec codec(long seed) {
            return new ReusableEf(Codecs.create("bf16", seed));
        }
    }

    /** The contract encodes many lengths with one codec; error feedback is per stream, so reset per length. */
    static final class ReusableEf implements GradientCodec {
        private final GradientCodec inner;

        ReusableEf(GradientCodec inner) {
            this.inner = inner;
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
            return new ErrorFeedbackCodec(inner).encode(src, off, n, dst, dstOff);
        }

        @Override
        public void decode(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
            inner.decode(src, srcOff, srcLen, dst, dstOff, n);
        }

        @Override
        public void decodeAdd(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
            inner.decodeAdd(src, srcOff, srcLen, dst, dstOff, n);
        }
    }
}
