package org.scaleml.train.robust;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AttacksTest {

    @ParameterizedTest
    @ValueSource(doubles = {10, 2.5, 0.1, 1, 0})
    void signflipSendsExactlyMinusXTimesTheGradient(double x) {
        float[] g = RobustTesting.normal(new SplittableRandom(1), 100);
        float[] honest = g.clone();
        Attacks.create("signflip:scale=" + x, 7, 3).apply(g, 10, 80, 5);
        for (int j = 0; j < 100; j++) {
            float expected = j < 10 || j >= 90 ? honest[j] : (float) (-x * honest[j]);
            assertThat(g[j]).as("coordinate %d", j).isEqualTo(expected);
        }
        if (x == 10) {
            assertThat(g[10]).isEqualTo(-10 * honest[10]); // for X = 10 the product is exact in float
        }
    }

    @Test
    void scaledSendsXTimesTheGradient() {
        float[] g = {1, -2, 0.5f, 3};
        Attacks.create("scaled", 0, 0).apply(g, 0, 3, 0);
        assertThat(g).containsExactly(10, -20, 5, 3);
        Attacks.create("scaled:scale=0.5", 0, 0).apply(g, 1, 3, 0);
        assertThat(g).containsExactly(10, -10, 2.5f, 1.5f);
    }

    @ParameterizedTest
    @ValueSource(doubles = {1, 0.01, 30})
    void noiseHasTheRequestedStandardDeviationAndIgnoresTheGradient(double std) {
        int n = 200_001; // odd: the last coordinate uses half a Box-Muller pair
        float[] g = new float[n + 2];
        Arrays.fill(g, 1000);
        Attacks.create("noise:scale=" + std, 12, 4).apply(g, 1, n, 0);
        assertThat(g[0]).isEqualTo(1000);
        assertThat(g[n + 1]).isEqualTo(1000);
        double sum = 0;
        double sq = 0;
        double fourth = 0;
        for (int j = 1; j <= n; j++) {
            double z = g[j] / std;
            sum += z;
            sq += z * z;
            fourth += z * z * z * z;
        }
        double mean = sum / n;
        double var = sq / n - mean * mean;
        assertThat(mean).isCloseTo(0, within(0.01)); // 4.5 standard errors
        assertThat(Math.sqrt(var)).isCloseTo(1, within(0.01)); // std error of the std is 1 / sqrt(2n) = 0.0016
        assertThat(fourth / n).isCloseTo(3, within(0.1)); // Gaussian kurtosis, not e.g. uniform (1.8)
        double corr = 0;
        for (int j = 1; j < n; j++) {
            corr += (double) g[j] * g[j + 1];
        }
        assertThat(corr / (n - 1) / (std * std)).isCloseTo(0, within(0.01)); // pairs of one draw are independent
    }

    @Test
    void noiseIsDeterministicPerSeedRankStepAndSlice() {
        float[] a = noise(5, 2, 10, 0, 64);
        assertThat(noise(5, 2, 10, 0, 64)).containsExactly(a);
        assertThat(noise(6, 2, 10, 0, 64)).isNotEqualTo(a);
        assertThat(noise(5, 3, 10, 0, 64)).isNotEqualTo(a);
        assertThat(noise(5, 2, 11, 0, 64)).isNotEqualTo(a);
        float[] shifted = noise(5, 2, 10, 64, 64);
        assertThat(Arrays.copyOfRange(shifted, 64, 128)).isNotEqualTo(Arrays.copyOf(a, 64));
        // one attack instance is stateless: applying it again to the same step gives the same noise
        Attack attack = Attacks.create("noise", 5, 2);
        float[] x = new float[64];
        float[] y = new float[64];
        attack.apply(x, 0, 64, 3);
        attack.apply(new float[64], 0, 64, 4);
        attack.apply(y, 0, 64, 3);
        assertThat(y).containsExactly(x);
    }

    private static float[] noise(long seed, int rank, long step, int off, int len) {
        float[] g = new float[off + len];
        Attacks.create("noise", seed, rank).apply(g, off, len, step);
        return g;
    }

    @Test
    void slicesOutsideTheArrayAreRejected() {
        Attack a = Attacks.create("signflip", 0, 0);
        assertThatThrownBy(() -> a.apply(new float[4], 2, 3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not fit an array of length 4");
        assertThatThrownBy(() -> a.apply(new float[4], -1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
