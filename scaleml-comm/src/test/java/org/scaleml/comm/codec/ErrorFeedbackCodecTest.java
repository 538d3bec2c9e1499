package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    @Test
    void payloadsAreTheInnerCodecs() {
        GradientCodec ef = Codecs.create("ef:bf16", 3);
        GradientCodec inner = Codecs.create("bf16", 3);
        float[] v = CodecContract.gaussian(500, 3);
        byte[] p = CodecContract.encode(ef, v);
        assertThat(p).isEqualTo(CodecContract.encode(inner, v)); // first step: zero residual
        float[] a = new float[500];
        float[] b = new float[500];
        ef.decode(p, 0, p.length, a, 0, 500);
        inner.decode(p, 0, p.length, b, 0, 500);
        assertThat(a).containsExactly(b);
        assertThat(ef.id()).isEqualTo(inner.id());
        assertThat(ef.maxEncodedSize(500)).isEqualTo(inner.maxEncodedSize(500));
    }
}
