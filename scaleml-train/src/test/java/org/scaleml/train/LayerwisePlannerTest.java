package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;

import org.junit.jupiter.api.Test;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;

class LayerwisePlannerTest {
    /** Uniform values in [-1, 1]. */
    static float[] uniform(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 2 * r.nextFloat() - 1;
        }
        return v;
    }

    /** Cauchy values (heavy-tailed: a few huge entries set every bucket's max-norm scale), clipped to +-1e4. */
    static float[] heavy(int n, long seed) {
        Random r = new Random(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) Math.max(-1e4, Math.min(1e4, Math.tan(Math.PI * (r.nextDouble() - 0.5))));
        }
        return v;
    }

    /** Scales {@code v} in place to L2 norm {@code norm}. */
    static float[] withNorm(float[] v, double norm) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        double k = norm / Math.sqrt(s);
        for (int i = 0; i < v.length; i++) {
            v[i] *= (float) k;
        }
        return v;
    }

    static double[] errors(float[] v, int min, int max) {
        double[] e = new double[max - min + 1];
        LayerwisePlanner.accumulateErrors(v, 0, v.length, 512, true, min, max, e, 0);
        return e;
    }

    static long usedBits(int[] sizes, int[] bits) {
        long u = 0;
        for (int i = 0; i < sizes.length; i++) {
            u += (long) sizes[i] * bits[i];
        }
        return u;
    }

    static double totalError(double[][] err, int[] bits, int min) {
        double t = 0;
        for (int i = 0; i < bits.length; i++) {
            t += err[i][bits[i] - min];
        }
        return t;
    }

    @Test
    void closedFormErrorIsTheCodecsMeanSquaredError() {
        float[][] inputs = {uniform(4096, 1), heavy(4096, 2)};
        for (float[] v : inputs) {
            for (int bits : new int[] {2, 4, 8}) {
                double expected = errors(v, bits, bits)[0];
                double sum = 0;
                int trials = 300;
                float[] out = new float[v.length];
                for (int t = 0; t < trials; t++) {
                    GradientCodec c = Codecs.create("qsgd:bits=" + bits + ",bucket=512,norm=max", 100 + t);
                    byte[] buf = new byte[c.maxEncodedSize(v.length)];
                    int len = c.encode(v, 0, v.length, buf, 0);
                    c.decode(buf, 0, len, out, 0, v.length);
                    for (int i = 0; i < v.length; i++) {
                        double d = (double) out[i] - v[i];
                        sum += d * d;
                    }
                }
                assertThat(sum / trials).as("bits %d", bits).isCloseTo(expected, within(0.05 * expected));
            }
        }
    }

    @Test
    void sampledEstimateIsCloseToTheFullSum() {
        // a layer whose magnitude drifts along its length, so that a sample of a few buckets must be spread out
        float[] v = uniform(200_000, 9);
        for (int i = 0; i < v.length; i++) {
            v[i] *= 1 + 3f * i / v.length;
        }
        double[] full = errors(v, 2, 8);
        Random r = new Random(10);
        double[] mean = new double[7];
        for (int t = 0; t < 10; t++) {
            double[] one = new double[7];
            LayerwisePlanner.accumulateErrors(v, 0, v.length, 512, true, 2, 8, LayerwisePlanner.MEASURED_BUCKETS,
                    r.nextDouble(), one, 0);
            for (int c = 0; c < 7; c++) {
                assertThat(one[c]).isCloseTo(full[c], within(0.25 * full[c]));
                mean[c] += one[c] / 10;
            }
        }
        for (int c = 0; c < 7; c++) {
            assertThat(mean[c]).isCloseTo(full[c], within(0.1 * full[c]));
        }
        // a layer of at most MEASURED_BUCKETS buckets is measured whole, whatever the start
        float[] small = uniform(16 * 512, 11);
        double[] whole = new double[7];
        LayerwisePlanner.accumulateErrors(small, 0, small.length, 512, true, 2, 8, 16, 0.7, whole, 0);
        assertThat(whole).containsExactly(errors(small, 2, 8));
    }

    @Test
    void heavyTailedLayersGetMoreBitsWithinTheBudget() {
        // the same typical magnitude (median |x| = 1/2), different tails: a Cauchy layer's rare huge entries set
        // its buckets' max-norm scales, so its many small entries quantize coarsely
        float[] h = scaled(heavy(4096, 3), 0.5f);
        float[] u = uniform(4096, 4);
        double[][] err = {errors(h, 2, 8), errors(u, 2, 8)};
        assertThat(err[0][4 - 2]).isGreaterThan(10 * err[1][4 - 2]); // the premise
        int[] sizes = {4096, 4096};
        int[] bits = LayerwisePlanner.choose(sizes, err, 2, 4);
        assertThat(bits[0]).isGreaterThan(4).isGreaterThan(bits[1]);
        assertThat(usedBits(sizes, bits)).isLessThanOrEqualTo(4L * 8192);
        assertThat(totalError(err, bits, 2)).isLessThan(totalError(err, new int[] {4, 4}, 2));

        // unequal sizes and a fractional budget: 3.5 bits per element over 6144 elements is 21504 bits
        int[] sizes2 = {2048, 4096};
        double[][] err2 = {errors(scaled(heavy(2048, 5), 0.5f), 2, 8), err[1]};
        int[] bits2 = LayerwisePlanner.choose(sizes2, err2, 2, 3.5);
        assertThat(bits2[0]).isGreaterThan(bits2[1]);
        assertThat(usedBits(sizes2, bits2)).isLessThanOrEqualTo(21504);

        // equal L2 norms instead: the Cauchy layer is still the worse one at 4 bits, but by less than the 4-to-3
        // loss of the uniform layer would cost, so the optimum stays uniform; the planner must not move bits then
        double[][] err3 = {errors(withNorm(heavy(4096, 3), 10), 2, 8), errors(withNorm(uniform(4096, 4), 10), 2, 8)};
        assertThat(err3[0][2]).isGreaterThan(err3[1][2]);
        assertThat(LayerwisePlanner.choose(sizes, err3, 2, 4)).containsExactly(4, 4);
    }

    static float[] scaled(float[] v, float k) {
        for (int i = 0; i < v.length; i++) {
            v[i] *= k;
        }
        return v;
    }

    @Test
    void equalLayersGetUniformBits() {
        float[] block = uniform(512, 6);
        int[] sizes = {512, 2048, 1024};
        double[][] err = new double[3][];
        for (int i = 0; i < 3; i++) {
            float[] v = new float[sizes[i]];
            for (int j = 0; j < v.length; j += 512) {
                System.arraycopy(block, 0, v, j, 512);
            }
            err[i] = errors(v, 2, 8);
        }
        for (int b = 2; b <= 8; b++) {
            assertThat(LayerwisePlanner.choose(sizes, err, 2, b)).as("budget %d", b).containsExactly(b, b, b);
        }
        // between two widths: no layer below floor(B), none above ceil(B), the budget kept
        int[] bits = LayerwisePlanner.choose(sizes, err, 2, 4.5);
        for (int x : bits) {
            assertThat(x).isBetween(4, 5);
        }
        assertThat(usedBits(sizes, bits)).isLessThanOrEqualTo((long) (4.5 * 3584));
    }

    @Test
    void choiceIsOptimalAgainstExhaustiveSearch() {
        Random r = new Random(7);
        for (int trial = 0; trial < 300; trial++) {
            int layers = 1 + r.nextInt(4);
            int min = 2 + r.nextInt(2);
            int cands = 1 + r.nextInt(4);
            int[] sizes = new int[layers];
            double[][] err = new double[layers][cands];
            for (int i = 0; i < layers; i++) {
                sizes[i] = 1 + r.nextInt(2000); // small enough for the exact grid
                for (int c = 0; c < cands; c++) { // any table, not only convex or decreasing ones
                    err[i][c] = r.nextInt(4) == 0 ? 0 : r.nextDouble() * 100;
                }
            }
            double budget = min + r.nextDouble() * (cands - 1);
            long total = 0;
            for (int s : sizes) {
                total += s;
            }
            long cap = (long) Math.floor(budget * total);
            int[] bits = LayerwisePlanner.choose(sizes, err, min, budget);
            assertThat(usedBits(sizes, bits)).isLessThanOrEqualTo(cap);
            double best = Double.POSITIVE_INFINITY;
            int[] pick = new int[layers];
            int combos = (int) Math.pow(cands, layers);
            for (int code = 0; code < combos; code++) {
                int x = code;
                for (int i = 0; i < layers; i++) {
                    pick[i] = min + x % cands;
                    x /= cands;
                }
                if (usedBits(sizes, pick) <= cap) {
                    best = Math.min(best, totalError(err, pick, min));
                }
            }
            assertThat(totalError(err, bits, min)).as("trial %d", trial).isCloseTo(best, within(1e-9));
        }
    }

    @Test
    void coarseGridNeverExceedsTheBudget() {
        Random r = new Random(8);
        for (int trial = 0; trial < 20; trial++) {
            int layers = 10 + r.nextInt(60);
            int[] sizes = new int[layers];
            double[][] err = new double[layers][7];
            for (int i = 0; i < layers; i++) {
                sizes[i] = 1 + r.nextInt(2_000_000);
                double e = r.nextDouble() * 1e3;
                for (int c = 0; c < 7; c++) {
                    err[i][c] = e / Math.pow(4, c);
                }
            }
            double budget = 2 + r.nextDouble() * 6;
            long total = 0;
            for (int s : sizes) {
                total += s;
            }
            int[] bits = LayerwisePlanner.choose(sizes, err, 2, budget);
            long used = usedBits(sizes, bits);
            assertThat(used).isLessThanOrEqualTo((long) Math.floor(budget * total));
            // the grid rounding leaves at most one unit per layer (plus one width step) of the budget unused
            assertThat(used).isGreaterThan((long) ((budget - 1) * total)
                    - (long) layers * total / LayerwisePlanner.GRID);
        }
    }

    @Test
    void specificationIsParsedAndCheckedByName() {
        LayerwisePlanner.Spec s = LayerwisePlanner.Spec.parse("adaptive:bits=3");
        assertThat(s.canonical()).isEqualTo("adaptive:bits=3,min=2,max=8,warmup=50,every=0,bucket=512,norm=max,"
                + "base=qsgd");
        assertThat(s.codec(5)).isEqualTo("qsgd:bits=5,bucket=512,norm=max");
        assertThat(LayerwisePlanner.Spec.parse(s.canonical())).isEqualTo(s);
        LayerwisePlanner.Spec f = LayerwisePlanner.Spec.parse("ADAPTIVE:bits=3.5,min=3,max=6,warmup=10,every=100");
        assertThat(f.warmupBits()).isEqualTo(3);
        assertThat(f.candidates()).isEqualTo(4);
        assertThat(LayerwisePlanner.Spec.parse(f.canonical())).isEqualTo(f);
        // warm-up 10, re-plans every 100: measured calls 6..10, 106..110, ...
        assertThat(f.measuresAt(5)).isFalse();
        assertThat(f.measuresAt(6)).isTrue();
        assertThat(f.plansAt(10)).isTrue();
        assertThat(f.measuresAt(11)).isFalse();
        assertThat(f.measuresAt(106)).isTrue();
        assertThat(f.plansAt(110)).isTrue();
        assertThat(f.plansAt(60)).isFalse();
        assertThat(LayerwisePlanner.Spec.parse("adaptive:bits=4,warmup=2").measuresAt(1)).isTrue();

        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive")).hasMessageContaining("needs bits=B");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=9"))
                .hasMessageContaining("bits must be in");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,min=4"))
                .hasMessageContaining("bits must be in [4.0, 8.0]");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,min=6,max=4"))
                .hasMessageContaining("min=6 is above max=4");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,warmup=0"))
                .hasMessageContaining("warmup must be in");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,base=topk"))
                .hasMessageContaining("base must be one of qsgd");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,ratio=0.1"))
                .hasMessageContaining("unknown parameter ratio");
        assertThatThrownBy(() -> LayerwisePlanner.Spec.parse("adaptive:bits=3,bucket=0"))
                .hasMessageContaining("bucket must be in");
    }
}
