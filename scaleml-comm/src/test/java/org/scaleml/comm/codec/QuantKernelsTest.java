package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scaleml.common.SplitMix64;

/**
 * The 4-bit word paths, the random stream and TopK's scan: the fast kernels against the element-by-element code of
 * each codec, the vector kernels against the plain ones (whatever the JDK: their output must be identical), and the
 * random stream against an independent implementation of its documented layout.
 */
class QuantKernelsTest {

    /** The stream as documented: eight xoroshiro128+ lanes seeded by splitmix64, read step-major. */
    private static long[] referenceDraws(long seed, int count) {
        SplitMix64 init = new SplitMix64(seed);
        long[] s0 = new long[8];
        long[] s1 = new long[8];
        for (int j = 0; j < 8; j++) {
            s0[j] = init.nextLong();
            s1[j] = init.nextLong();
        }
        long[] out = new long[count];
        for (int d = 0; d < count; d++) {
            int j = d % 8;
            long a = s0[j];
            long b = s1[j];
            out[d] = a + b;
            b ^= a;
            s0[j] = Long.rotateLeft(a, 24) ^ b ^ (b << 16);
            s1[j] = Long.rotateLeft(b, 37);
        }
        return out;
    }

    @Test
    void streamFollowsItsDocumentedLayoutHoweverItIsRead() {
        long[] ref = referenceDraws(42, 4000);
        SplittableRandom pick = new SplittableRandom(1);
        for (int trial = 0; trial < 20; trial++) {
            LaneRandom r = new LaneRandom(42);
            int d = 0;
            while (d < 3900) { // mixed reads: single draws and bulk uniforms of random sizes
                if (pick.nextInt(3) == 0) {
                    assertThat(r.nextLong()).as("draw %d", d).isEqualTo(ref[d]);
                    d++;
                } else {
                    int draws = pick.nextInt(0, 70);
                    int[] u = new int[2 * draws + 3];
                    r.fillUniforms(u, 3, draws);
                    for (int t = 0; t < draws; t++) {
                        long x = ref[d + t];
                        assertThat(u[3 + 2 * t]).as("uniform of draw %d (low)", d + t).isEqualTo((int) x >>> 8);
                        assertThat(u[3 + 2 * t + 1]).as("uniform of draw %d (high)", d + t)
                                .isEqualTo((int) (x >>> 40));
                    }
                    d += draws;
                }
            }
        }
        // pinned: a change of the stream changes every stochastic payload, so it must be deliberate
        assertThat(String.format("%016x %016x %016x", ref[0], ref[1], ref[8]))
                .isEqualTo(PINNED_DRAWS);
    }

    /** The first draw of lanes 0 and 1 and the second of lane 0, seed 42. */
    private static final String PINNED_DRAWS = "e6c71559e2525f98 9f6f4956215a82e6 13b69ac93ec06b57";

    private static List<QuantKernels> kernels() {
        List<QuantKernels> k = new ArrayList<>();
        k.add(QuantKernels.plain());
        QuantKernels v = QuantKernels.vectorAnyVersion();
        if (v != null) {
            k.add(v);
        }
        return k;
    }

    @Test
    void everyKernelFillsTheSameUniforms() {
        for (QuantKernels k : kernels()) {
            LaneRandom a = new LaneRandom(7);
            long[] ref = referenceDraws(7, 8 * 37);
            int[] u = new int[16 * 37 + 5];
            k.uniforms(a.s0, a.s1, u, 5, 37);
            for (int d = 0; d < 8 * 37; d++) {
                assertThat(u[5 + 2 * d]).as("%s draw %d", k.name(), d).isEqualTo((int) ref[d] >>> 8);
                assertThat(u[6 + 2 * d]).as("%s draw %d", k.name(), d).isEqualTo((int) (ref[d] >>> 40));
            }
        }
    }

    /** Buckets that exercise every branch: signs, zeros, -0, tiny and subnormal values, the extremes. */
    private static float[] bucket(SplittableRandom r, int len, int shape) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) {
            double g = r.nextGaussian();
            v[i] = switch (shape) {
                case 0 -> (float) g;
                case 1 -> (float) (g * Math.exp(4 * r.nextGaussian())); // heavy tailed: many octaves
                case 2 -> (float) (r.nextDouble() * 10 - 3); // skewed, for max-min
                default -> (float) (g * 1e-38); // subnormal and tiny
            };
            int pick = r.nextInt(40);
            if (pick == 0) {
                v[i] = 0f;
            } else if (pick == 1) {
                v[i] = -0f;
            } else if (pick == 2) {
                v[i] = Float.MIN_VALUE;
            }
        }
        return v;
    }

    private static int nibble(byte[] words, int i) {
        return (words[i >>> 1] >>> ((i & 1) * 4)) & 15;
    }

    @Test
    void wordPathsEqualTheElementByElementCodes() {
        String[] specs = {"qsgd:bits=4,bucket=4096", "qsgd:bits=4,bucket=4096,norm=max", "maxmin:bits=4,bucket=4096",
                "nuqsgd:bits=4,bucket=4096"};
        SplittableRandom r = new SplittableRandom(3);
        for (String spec : specs) {
            for (int trial = 0; trial < 200; trial++) {
                FixedWidthQuantizer q = (FixedWidthQuantizer) Codecs.create(spec, trial);
                LaneRandom stream = new LaneRandom(trial); // the codec's stream, replayed
                int len = 16 * r.nextInt(1, 150);
                float[] v = bucket(r, len, trial % 4);
                q.beginBucket(v, 0, len, 0, new byte[8], 0);
                byte[] words = new byte[len / 2];
                int done = q.quantizeWords4(v, 0, len, words, 0);
                if (done == 0) { // a subnormal scale: the element path only, by design
                    assertThat(trial % 4).as("%s declined a normal scale", spec).isEqualTo(3);
                    continue;
                }
                assertThat(done).isEqualTo(len);
                int[] u = new int[len];
                stream.fillUniforms(u, 0, len / 2);
                byte[] codes = new byte[len];
                q.quantize(v, 0, len, u, 0, codes);
                for (int i = 0; i < len; i++) {
                    assertThat(nibble(words, i)).as("%s trial %d element %d (x = %s)", spec, trial, i, v[i])
                            .isEqualTo(codes[i] & 15);
                }
                assertThat(q.random.nextLong()).as("the word path draws exactly len / 2").isEqualTo(stream.nextLong());
            }
        }
    }

    @Test
    void vectorKernelsEqualThePlainOnes() {
        QuantKernels vec = QuantKernels.vectorAnyVersion();
        assumeTrue(vec != null, "vector kernels unavailable: " + QuantKernels.vectorUnavailableReason());
        QuantKernels plain = QuantKernels.plain();
        SplittableRandom r = new SplittableRandom(11);
        for (int trial = 0; trial < 150; trial++) {
            int len = 16 * r.nextInt(1, 130);
            float[] v = bucket(r, len + 3, trial % 3);
            int off = 3;
            float max = 0f;
            float mn = Float.POSITIVE_INFINITY;
            float mx = Float.NEGATIVE_INFINITY;
            for (int i = off; i < off + len; i++) {
                max = Math.max(max, Math.abs(v[i]));
                mn = Math.min(mn, v[i]);
                mx = Math.max(mx, v[i]);
            }
            if (max == 0f || mx == mn) {
                continue;
            }
            float k = 7 * 0x1p24f / max;
            while (k * max > 7 * 0x1p24f) {
                k = Math.nextDown(k);
            }
            float km = 15 * 0x1p23f / (mx - mn);
            while ((mx - mn) * km > 15 * 0x1p23f) {
                km = Math.nextDown(km);
            }
            float inv = 1f / (max * (1 + r.nextFloat()));
            for (int kernel = 0; kernel < 3; kernel++) {
                LaneRandom sa = new LaneRandom(trial);
                LaneRandom sb = new LaneRandom(trial);
                byte[] a = new byte[len / 2 + 8];
                byte[] b = new byte[len / 2 + 8];
                int pa;
                int pb;
                if (kernel == 0) {
                    pa = vec.qsgd4(v, off, len, k, sa.s0, sa.s1, a, 4);
                    pb = plain.qsgd4(v, off, len, k, sb.s0, sb.s1, b, 4);
                } else if (kernel == 1) {
                    pa = vec.maxmin4(v, off, len, mn, km, sa.s0, sa.s1, a, 4);
                    pb = plain.maxmin4(v, off, len, mn, km, sb.s0, sb.s1, b, 4);
                } else {
                    pa = vec.nuqsgd4(v, off, len, inv, sa.s0, sa.s1, a, 4);
                    pb = plain.nuqsgd4(v, off, len, inv, sb.s0, sb.s1, b, 4);
                }
                assertThat(pa).isEqualTo(pb).isEqualTo(4 + len / 2);
                assertThat(a).as("kernel %d trial %d", kernel, trial).isEqualTo(b);
                assertThat(sa.s0).isEqualTo(sb.s0);
                assertThat(sa.s1).isEqualTo(sb.s1);
            }
        }
    }

    @Test
    void everyKernelComputesTheSameScales() {
        SplittableRandom r = new SplittableRandom(9);
        QuantKernels plain = QuantKernels.plain();
        for (QuantKernels k : kernels()) {
            for (int trial = 0; trial < 300; trial++) {
                int len = r.nextInt(1, 700);
                float[] v = bucket(r, len + 2, trial % 4);
                if (trial % 10 == 1) {
                    v[1 + r.nextInt(len)] = Float.NaN;
                } else if (trial % 10 == 2) {
                    v[1 + r.nextInt(len)] = Float.NEGATIVE_INFINITY;
                } else if (trial % 10 == 3) {
                    Arrays.fill(v, 0f);
                    v[1 + r.nextInt(len)] = -0f;
                }
                assertThat(Double.doubleToRawLongBits(k.sumOfSquares(v, 1, len)))
                        .as("%s sum of squares, trial %d", k.name(), trial)
                        .isEqualTo(Double.doubleToRawLongBits(plain.sumOfSquares(v, 1, len)));
                long range = k.range(v, 1, len);
                float mn = Float.POSITIVE_INFINITY;
                float mx = Float.NEGATIVE_INFINITY;
                for (int i = 1; i <= len; i++) {
                    mn = Math.min(mn, v[i]);
                    mx = Math.max(mx, v[i]);
                }
                assertThat(range).as("%s range, trial %d", k.name(), trial)
                        .isEqualTo(QuantKernels.packRange(mn, mx));
            }
        }
    }

    @Test
    void everyKernelCollectsExactlyTheElementsAboveTheBound() {
        SplittableRandom r = new SplittableRandom(5);
        for (QuantKernels k : kernels()) {
            for (int trial = 0; trial < 100; trial++) {
                int n = r.nextInt(0, 3000);
                float[] v = bucket(r, n + 1, trial % 2);
                int lower = MagnitudeSelector.key((float) Math.abs(r.nextGaussian() * 2));
                List<Integer> want = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    if (MagnitudeSelector.key(v[1 + i]) >= lower) {
                        want.add(i);
                    }
                }
                int[] idx = new int[n + 1];
                int[] bits = new int[n + 1];
                int m = k.collect(v, 1, n, lower, n, idx, bits);
                assertThat(m).isEqualTo(want.size());
                for (int c = 0; c < m; c++) {
                    assertThat(idx[c]).isEqualTo(want.get(c));
                    assertThat(bits[c]).isEqualTo(Float.floatToRawIntBits(v[1 + idx[c]]));
                }
                if (!want.isEmpty()) { // one candidate too many for the buffer: overflow
                    assertThat(k.collect(v, 1, n, lower, want.size() - 1, idx, bits)).isEqualTo(-1);
                }
            }
        }
    }
}
