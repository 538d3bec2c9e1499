package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The sparse, sign and low-rank codecs under error feedback ({@code ef:SPEC}), the way they are meant to be used. */
class SparseErrorFeedbackTest {

    /**
     * Sum of inputs = sum of decoded payloads + residual over 200 steps of fresh N(0,1) vectors of 2000 elements.
     * The tolerance covers the float rounding of the residual updates: measured worst 1.4e-5 (randomk, whose
     * residual is the largest, about 9.5 per element); 1e-4 leaves a 7x margin.
     */
    @ParameterizedTest
    @ValueSource(strings = {"topk:ratio=0.01", "topk:ratio=0.01,select=exact", "randomk:ratio=0.01,unbiased=false",
        "threshold", "threshold:tau=2", "sign", "powersgd:rank=2,rows=40", "terngrad"})
    void conservesTheSumOfInputs(String inner) {
        ErrorFeedbackCodecTest.conservesMass(inner, 200, 1e-4);
    }

    /**
     * A constant gradient g: the average of what was sent over T steps is g - r_T / T, so its error shrinks as the
     * residual stays bounded; measured relative errors at T = 25 / 100 / 400: topk 0.70 / 0.38 / 0.11, randomk
     * 0.91 / 0.70 / 0.33, threshold (density 0.01) 0.37 / 0.25 / 0.074, sign 0.16 / 0.082 / 0.040, powersgd 0.45 /
     * 0.12 / 0.029. (At density 0.001 the threshold codec sends 2 of these 2000 elements per call, and tau must
     * first grow to about 800 to carry the gradient's mass: 0.69 / 0.48 / 0.22.)
     */
    @ParameterizedTest
    @ValueSource(strings = {"topk:ratio=0.01", "randomk:ratio=0.01,unbiased=false", "threshold:density=0.01", "sign",
        "powersgd:rank=2,rows=40"})
    void theAverageSentConvergesToAConstantGradient(String inner) {
        int n = 2000;
        GradientCodec c = Codecs.create("ef:" + inner, 5);
        float[] g = CodecContract.gaussian(n, 7);
        double[] sum = new double[n];
        float[] dec = new float[n];
        double[] err = new double[3];
        int[] at = {25, 100, 400};
        int next = 0;
        for (int step = 1; step <= 400; step++) {
            byte[] p = CodecContract.encode(c, g);
            c.decode(p, 0, p.length, dec, 0, n);
            for (int i = 0; i < n; i++) {
                sum[i] += dec[i];
            }
            if (step == at[next]) {
                float[] avg = new float[n];
                for (int i = 0; i < n; i++) {
                    avg[i] = (float) (sum[i] / step);
                }
                err[next++] = CodecContract.relError(avg, g);
            }
        }
        assertThat(err[1]).as("%s: error at 100 vs 25 steps", inner).isLessThan(0.8 * err[0]);
        assertThat(err[2]).as("%s: error at 400 vs 100 steps", inner).isLessThan(0.5 * err[1]).isLessThan(0.4);
    }

    @Test
    void adaptiveThresholdTracksItsDensityUnderErrorFeedback() {
        // under error feedback the residual of a noise stream is a random walk that is sent when it leaves
        // (-tau, tau): tau has to grow far above the quantile of a single gradient, and does
        int n = 20_000;
        double density = 0.01;
        ErrorFeedbackCodec c = (ErrorFeedbackCodec) Codecs.create("ef:threshold:density=0.01", 3);
        double sent = 0;
        float tau = 0;
        for (int step = 0; step < 200; step++) {
            byte[] p = CodecContract.encode(c, CodecContract.gaussian(n, 500 + step));
            if (step >= 150) {
                sent += Wire.getInt(p, 14);
            }
            tau = Wire.getFloat(p, 10);
        }
        // measured: 0.85 .. 1.2 D per call from call 100 on, tau about 9.2 (the random walk's exit rate
        // (1 / tau)^2 is then close to D); a single N(0,1) gradient would need only 2.58 for 1%
        assertThat(sent / 50 / n).isBetween(0.8 * density, 1.25 * density);
        assertThat(tau).isBetween(7f, 12f);
    }

    @Test
    void topkUnderErrorFeedbackSendsExactlyKEveryStep() {
        int n = 5000;
        GradientCodec c = Codecs.create("ef:topk:ratio=0.02", 1);
        float[] dec = new float[n];
        for (int step = 0; step < 20; step++) {
            byte[] p = CodecContract.encode(c, CodecContract.gaussian(n, step));
            c.decode(p, 0, p.length, dec, 0, n);
            int kept = 0;
            for (float x : dec) {
                kept += x != 0 ? 1 : 0;
            }
            assertThat(kept).isEqualTo(100);
        }
    }
}
