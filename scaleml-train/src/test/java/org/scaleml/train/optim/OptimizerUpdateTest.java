package org.scaleml.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OptimizerUpdateTest {

    @Test
    void plainSgd() {
        Optimizer o = Optimizers.create("sgd:lr=0.1", 2, 10);
        float[] p = {1, -2};
        o.step(p, new float[] {0.5f, 1});
        assertThat(p[0]).isCloseTo(0.95f, within(1e-7f));
        assertThat(p[1]).isCloseTo(-2.1f, within(1e-7f));
        assertThat(o.steps()).isEqualTo(1);
        assertThat(o.buffers()).isEmpty();
    }

    @Test
    void heavyBallMomentum() {
        Optimizer o = Optimizers.create("sgd:lr=0.1,momentum=0.9", 1, 10);
        float[] p = {1};
        o.step(p, new float[] {1}); // v = 1, p = 0.9
        assertThat(p[0]).isCloseTo(0.9f, within(1e-6f));
        o.step(p, new float[] {1}); // v = 1.9, p = 0.71
        assertThat(p[0]).isCloseTo(0.71f, within(1e-6f));
        assertThat(o.buffers()[0][0]).isCloseTo(1.9f, within(1e-6f));
    }

    @Test
    void nesterovMomentum() {
        Optimizer o = Optimizers.create("sgd:lr=0.1,momentum=0.9,nesterov=true", 1, 10);
        float[] p = {1};
        o.step(p, new float[] {1}); // v = 1, p -= 0.1 * (1 + 0.9) -> 0.81
        assertThat(p[0]).isCloseTo(0.81f, within(1e-6f));
        o.step(p, new float[] {1}); // v = 1.9, p -= 0.1 * (1 + 1.71) -> 0.539
        assertThat(p[0]).isCloseTo(0.539f, within(1e-6f));
    }

    @Test
    void sgdWeightDecayIsL2ThroughMomentum() {
        Optimizer o = Optimizers.create("sgd:lr=0.1,momentum=0.5,wd=0.1", 1, 10);
        float[] p = {1};
        o.step(p, new float[] {0}); // g = 0.1, v = 0.1, p = 0.99
        assertThat(p[0]).isCloseTo(0.99f, within(1e-7f));
        o.step(p, new float[] {0}); // g = 0.099, v = 0.05 + 0.099 = 0.149, p = 0.99 - 0.0149 = 0.9751
        assertThat(p[0]).isCloseTo(0.9751f, within(1e-6f));
    }

    @Test
    void adamWithBiasCorrection() {
        Optimizer o = Optimizers.create("adam:lr=0.1", 1, 10);
        float[] p = {1};
        o.step(p, new float[] {2}); // bias-corrected first step moves by lr * sign(g)
        assertThat(p[0]).isCloseTo(0.9f, within(1e-6f));
        o.step(p, new float[] {-1});
        // m = 0.08, v = 0.004996; mhat = 0.08 / 0.19, vhat = 0.004996 / 0.001999
        assertThat(p[0]).isCloseTo(0.8733663f, within(2e-6f));
        float[][] b = o.buffers();
        assertThat(b).hasNumberOfRows(2);
        assertThat(b[0][0]).isCloseTo(0.08f, within(1e-7f));
        assertThat(b[1][0]).isCloseTo(0.004996f, within(1e-8f));
    }

    @Test
    void adamWeightDecayIsDecoupled() {
        Optimizer o = Optimizers.create("adam:lr=0.1,wd=0.1", 2, 10);
        float[] p = {1, 1};
        o.step(p, new float[] {0, 2}); // zero gradient: only the decay p *= 1 - lr * wd
        assertThat(p[0]).isCloseTo(0.99f, within(1e-7f));
        assertThat(p[1]).isCloseTo(0.99f - 0.1f, within(1e-6f)); // the decay does not enter the moments
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9", "sgd:lr=0.05,momentum=0.9,nesterov=true",
        "adam:lr=0.05", "sgd:lr=0.1,momentum=0.9,schedule=cosine,warmup=20", "adam:lr=0.1,schedule=step:every=200,gamma=0.5"})
    void minimizesAQuadratic(String spec) {
        // f(p) = 1/2 sum a_i (p_i - c_i)^2, curvatures 0.5 .. 2
        int n = 8;
        float[] a = new float[n];
        float[] c = new float[n];
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = 0.5f + 1.5f * i / (n - 1);
            c[i] = i - 3.5f;
        }
        Optimizer o = Optimizers.create(spec, n, 1000);
        float[] g = new float[n];
        for (int s = 0; s < 1000; s++) {
            for (int i = 0; i < n; i++) {
                g[i] = a[i] * (p[i] - c[i]);
            }
            o.step(p, g);
        }
        for (int i = 0; i < n; i++) {
            assertThat(p[i]).as("%s p[%d]", spec, i).isCloseTo(c[i], within(1e-2f));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9,wd=1e-3",
        "sgd:lr=0.05,momentum=0.9,nesterov=true,wd=1e-4,schedule=cosine,warmup=7",
        "adam:lr=1e-2,wd=0.01,schedule=step,every=9,gamma=0.5", "adam:lr=1e-3,schedule=cosine,warmup=30"})
    void restoreReproducesTheRunBitwise(String spec) {
        int n = 37;
        int steps = 40;
        float[] straight = init(n);
        Optimizer a = Optimizers.create(spec, n, steps);
        for (int s = 0; s < steps; s++) {
            a.step(straight, grad(n, s, straight));
        }
        float[] resumed = init(n);
        Optimizer b = Optimizers.create(spec, n, steps);
        for (int s = 0; s < steps / 2; s++) {
            b.step(resumed, grad(n, s, resumed));
        }
        Optimizer c = Optimizers.create(b.spec(), n, steps); // the canonical spec recreates the optimizer
        c.restore(b.steps(), b.buffers());
        assertThat(c.learningRate()).isEqualTo(b.learningRate());
        for (int s = steps / 2; s < steps; s++) {
            c.step(resumed, grad(n, s, resumed));
        }
        assertThat(c.steps()).isEqualTo(steps);
        for (int i = 0; i < n; i++) {
            assertThat(Float.floatToRawIntBits(resumed[i])).as("param %d", i)
                    .isEqualTo(Float.floatToRawIntBits(straight[i]));
        }
        float[][] x = a.buffers();
        float[][] y = c.buffers();
        for (int k = 0; k < x.length; k++) {
            assertThat(y[k]).containsExactly(x[k]);
        }
    }

    @Test
    void buffersAreCopiesAndRestoreChecksShapes() {
        Optimizer o = Optimizers.create("adam", 3, 10);
        float[] p = new float[3];
        o.step(p, new float[] {1, 1, 1});
        float[][] b = o.buffers();
        b[0][0] = 99;
        assertThat(o.buffers()[0][0]).isNotEqualTo(99);
        assertThatThrownBy(() -> o.restore(1, new float[1][3])).hasMessageContaining("keeps 2 buffer(s), got 1");
        assertThatThrownBy(() -> o.restore(1, new float[][] {new float[3], new float[2]}))
                .hasMessageContaining("buffer 1 must hold 3 values, got 2");
        assertThatThrownBy(() -> o.restore(-1, new float[2][3])).hasMessageContaining("steps must be >= 0");
        Optimizer s = Optimizers.create("sgd", 3, 10);
        assertThatThrownBy(() -> s.step(new float[2], new float[3])).hasMessageContaining("3 parameters");
        s.restore(5, new float[0][]);
        assertThat(s.steps()).isEqualTo(5);
    }

    private static float[] init(int n) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (i % 5) - 2;
        }
        return p;
    }

    /** A noisy gradient that depends on the step and the parameters, as in training. */
    private static float[] grad(int n, int step, float[] p) {
        SplittableRandom r = new SplittableRandom(step * 31L + 7);
        float[] g = new float[n];
        for (int i = 0; i < n; i++) {
            g[i] = p[i] * 0.3f + (float) r.nextGaussian();
        }
        return g;
    }
}
