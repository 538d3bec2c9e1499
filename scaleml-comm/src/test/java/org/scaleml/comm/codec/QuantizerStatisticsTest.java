package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.scaleml.comm.codec.QuantizerTestSupport.ceilDiv;
import static org.scaleml.comm.codec.QuantizerTestSupport.decode;

import java.lang.management.ManagementFactory;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Statistical properties of the quantizers, measured with fixed seeds: unbiasedness, QSGD's variance bound, how
 * the non-uniform and adaptive levels compare with QSGD, exact wire sizes, and no allocation per element.
 */
class QuantizerStatisticsTest {

    // ------------------------------------------------------------------------------------------ (a) unbiasedness

    /**
     * Decodes {@code trials} independent encodes (codec seeds 0, 1, ...) of a fixed vector and checks that the mean
     * converges to the vector. With per-element sample variance var_i, the mean error e_i = mean_i - v_i has standard
     * error sqrt(var_i / trials). Checked:
     * <ol>
     *   <li>|e_i| <= 5 standard errors for every element that decoded to exactly two values across the trials
     *       (its two adjacent levels; the level table is the same in every trial), each at least 30 times, so that
     *       the binomial count is close to normal. An element whose rounding probability is near 0 or 1, or whose
     *       levels vary between trials (adaptive levels fitted on a random sample), has a skewed mean and is left to
     *       the next check.</li>
     *   <li>Three contrasts over all elements, sum w_i e_i for w = 1 (a shift), w = sign(v) (shrinking or inflating
     *       magnitudes) and w = v / max|v| (a scale bias), each within 5 standard errors
     *       sqrt(sum w_i^2 var_i / trials). A biased rounding rule, scale or level table fails this by many standard
     *       errors.</li>
     * </ol>
     */
    private static void assertUnbiased(String spec, float[] v, int trials) {
        int n = v.length;
        double[] sum = new double[n];
        double[] sumSq = new double[n];
        float[] first = new float[n];
        float[] second = new float[n];
        int[] firstCount = new int[n];
        int[] secondCount = new int[n];
        boolean[] more = new boolean[n]; // a third distinct value was seen
        float[] out = new float[n];
        for (int t = 0; t < trials; t++) {
            GradientCodec c = Codecs.create(spec, t);
            byte[] p = CodecContract.encode(c, v);
            c.decode(p, 0, p.length, out, 0, n);
            for (int i = 0; i < n; i++) {
                float x = out[i];
                sum[i] += x;
                sumSq[i] += (double) x * x;
                if (firstCount[i] == 0 || x == first[i]) {
                    first[i] = x;
                    firstCount[i]++;
                } else if (secondCount[i] == 0 || x == second[i]) {
                    second[i] = x;
                    secondCount[i]++;
                } else {
                    more[i] = true;
                }
            }
        }
        double max = 0;
        for (float x : v) {
            max = Math.max(max, Math.abs(x));
        }
        double[][] weights = new double[3][n];
        int tested = 0;
        for (int i = 0; i < n; i++) {
            double mean = sum[i] / trials;
            double var = Math.max(0, (sumSq[i] / trials - mean * mean) * trials / (trials - 1));
            double e = mean - v[i];
            double se = Math.sqrt(var / trials);
            if (!more[i] && firstCount[i] >= 30 && secondCount[i] >= 30) {
                assertThat(Math.abs(e)).as("%s: element %d (%g): mean %g, standard error %g", spec, i, v[i], mean, se)
                        .isLessThanOrEqualTo(5 * se);
                tested++;
            }
            weights[0][i] = 1;
            weights[1][i] = Math.signum(v[i]);
            weights[2][i] = v[i] / max;
        }
        if (tested < n / 10) {
            assertThat(spec).as("only adaptive levels fitted on a sample vary between trials").startsWith("a");
        }
        String[] names = {"shift", "magnitude", "scale"};
        for (int k = 0; k < 3; k++) {
            double s = 0;
            double var = 0;
            for (int i = 0; i < n; i++) {
                double mean = sum[i] / trials;
                double vi = Math.max(0, (sumSq[i] / trials - mean * mean) * trials / (trials - 1));
                s += weights[k][i] * (mean - v[i]);
                var += weights[k][i] * weights[k][i] * vi / trials;
            }
            assertThat(Math.abs(s)).as("%s: %s contrast %g, standard error %g", spec, names[k], s, Math.sqrt(var))
                    .isLessThanOrEqualTo(5 * Math.sqrt(var));
        }
    }

    @Test
    void quantizersAreUnbiased() {
        float[] v = QuantizerTestSupport.testVector(700, 1); // buckets of 512 and 188
        for (String spec : new String[] {"qsgd", "qsgd:bits=8,norm=max", "qsgd:bits=3,bucket=12", "qsgd-elias",
                "qsgd-elias:levels=6,bucket=100", "nuqsgd", "nuqsgd:bits=6,bucket=33", "alq", "amq",
                "alq:bits=3,bucket=100", "maxmin", "maxmin:bits=1,bucket=50"}) {
            assertUnbiased(spec, v, 2000);
        }
    }

    /** Above 4096 elements the adaptive codecs fit their levels on a random sample: unbiased all the same. */
    @Test
    void adaptiveCodecsAreUnbiasedWithSampledLevels() {
        float[] v = QuantizerTestSupport.testVector(6000, 2);
        assertUnbiased("alq:bits=4,bucket=1000", v, 600);
        assertUnbiased("amq:bits=3,bucket=1000", v, 600);
    }

    // ------------------------------------------------------------------------------------------ (b) QSGD variance

    /**
     * QSGD's variance: [1] Lemma 3.1 bounds E||Q(v) - v||^2 by min(d/s^2, sqrt(d)/s) ||v||^2 for one bucket of d
     * elements; summed over buckets. Measured as the mean over 300 encodes (different rounding draws) of a Gaussian
     * vector and of a flat one (all |v_i| equal, the worst case of the sqrt(d)/s term); also compared with the exact
     * expected variance sum (S/s)^2 f_i (1 - f_i), f_i the fractional part of s|v_i|/S (the payload gives S), which
     * must agree within 5 standard errors of the mean. With the max scale the bound is d max|v|^2 / (4 s^2).
     */
    @Test
    void qsgdVarianceIsWithinThePaperBound() {
        int n = 2048;
        int trials = 300;
        for (int bits : new int[] {2, 4, 8}) {
            int s = (1 << (bits - 1)) - 1;
            for (int bucket : new int[] {64, 512}) {
                for (String shape : new String[] {"gaussian", "flat"}) {
                    float[] v = CodecContract.gaussian(n, bits * 7L + bucket);
                    if (shape.equals("flat")) {
                        for (int i = 0; i < n; i++) {
                            v[i] = v[i] < 0 ? -1f : 1f;
                        }
                    }
                    for (String norm : new String[] {"l2", "max"}) {
                        String spec = "qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=" + norm;
                        GradientCodec c = Codecs.create(spec, 42);
                        double mean = 0;
                        double meanSq = 0;
                        double exact = 0;
                        for (int t = 0; t < trials; t++) {
                            byte[] p = CodecContract.encode(c, v);
                            float[] out = decode(c, p, n);
                            double err = 0;
                            for (int i = 0; i < n; i++) {
                                double d = out[i] - v[i];
                                err += d * d;
                            }
                            mean += err / trials;
                            meanSq += err * err / trials;
                            if (t == 0) {
                                for (int i = 0; i < n; i++) {
                                    double scale = Wire.getFloat(p, Wire.HEADER_BYTES + 4 * (i / bucket));
                                    double u = s * Math.abs(v[i]) / scale;
                                    double f = u - Math.floor(u);
                                    exact += scale * scale / ((double) s * s) * f * (1 - f);
                                }
                            }
                        }
                        double se = Math.sqrt(Math.max(0, meanSq - mean * mean) / trials);
                        double bound = 0;
                        for (int b = 0; b * bucket < n; b++) {
                            int d = Math.min(bucket, n - b * bucket);
                            double sq = 0;
                            double mx = 0;
                            for (int i = b * bucket; i < b * bucket + d; i++) {
                                sq += (double) v[i] * v[i];
                                mx = Math.max(mx, Math.abs(v[i]));
                            }
                            bound += norm.equals("l2") ? Math.min((double) d / s / s, Math.sqrt(d) / s) * sq
                                    : d * mx * mx / (4.0 * s * s);
                        }
                        String what = spec + " on " + shape + String.format(Locale.ROOT,
                                " data: measured %.4g, exact %.4g, bound %.4g", mean, exact, bound);
                        assertThat(mean).as(what).isLessThanOrEqualTo(bound);
                        assertThat(Math.abs(mean - exact)).as(what).isLessThanOrEqualTo(5 * se + 1e-9 * exact);
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ (c) level choices

    /**
     * Normalized variance E||Q(v) - v||^2 / ||v||^2 of each quantizer on Gaussian vectors (30 vectors of 8192,
     * buckets of 512, one codec instance per configuration so the adaptive ones refit along the way). Measured with
     * these seeds (qsgd l2 / qsgd max / nuqsgd / alq / amq / maxmin):
     * <pre>
     * bits 2:  17.08 / 1.610   / 17.08  / 17.24   / 17.24   / 0.693
     * bits 3:  5.045 / 0.199   / 3.540  / 0.302   / 0.528   / 0.127
     * bits 4:  1.590 / 0.0365  / 0.0882 / 0.0345  / 0.0829  / 0.0275
     * bits 5:  0.380 / 0.0080  / 0.0833 / 0.0098  / 0.0193  / 0.0065
     * bits 6:  0.0894/ 0.0019  / 0.0833 / 0.0029  / 0.0051  / 0.0016
     * bits 7:  0.0216/ 0.00045 / 0.0833 / 0.00096 / 0.0014  / 0.00038
     * bits 8:  0.0053/ 0.00011 / 0.0833 / 0.00038 / 0.00040 / 0.00010
     * </pre>
     * What holds, and is asserted: NUQSGD beats QSGD (both L2-scaled) from 3 to 6 bits and equals it at 2 bits
     * (same levels {0, 1}); ALQ and AMQ beat QSGD and NUQSGD from 3 bits up and match them at 2 bits (no free
     * level). What does not hold: NUQSGD is worse than QSGD from 7 bits on. Its levels 2^-k give one interval per
     * octave however many bits there are (the extra levels go below 2^-30, where no normalized coordinate lies), so
     * its variance stops improving at about 5 bits while QSGD's keeps falling by 4x per bit; the test asserts this
     * cross-over rather than hiding it. (Also measured, not asserted: QSGD with the max scale, and max-min, beat
     * all L2-scaled quantizers here; ALQ comes close to them at 4 bits.)
     */
    @Test
    void nonUniformAndAdaptiveLevelsAgainstQsgdOnGaussianData() {
        Map<String, double[]> var = new LinkedHashMap<>();
        for (String name : new String[] {"qsgd", "nuqsgd", "alq", "amq"}) {
            double[] byBits = new double[9];
            for (int bits = 2; bits <= 8; bits++) {
                byBits[bits] = normalizedVariance(name + ":bits=" + bits, 8192, 30);
            }
            var.put(name, byBits);
        }
        double[] qsgd = var.get("qsgd");
        double[] nuq = var.get("nuqsgd");
        assertThat(nuq[2] / qsgd[2]).as("nuqsgd = qsgd at 2 bits").isBetween(0.97, 1.03);
        for (int bits = 3; bits <= 6; bits++) {
            assertThat(nuq[bits]).as("nuqsgd vs qsgd at %d bits", bits).isLessThan(qsgd[bits]);
        }
        for (int bits = 7; bits <= 8; bits++) { // the documented cross-over
            assertThat(nuq[bits]).as("nuqsgd vs qsgd at %d bits", bits).isGreaterThan(qsgd[bits]);
        }
        for (String adaptive : new String[] {"alq", "amq"}) {
            double[] a = var.get(adaptive);
            assertThat(a[2] / qsgd[2]).as("%s = qsgd at 2 bits", adaptive).isBetween(0.97, 1.03);
            for (int bits = 3; bits <= 8; bits++) {
                assertThat(a[bits]).as("%s vs qsgd at %d bits", adaptive, bits).isLessThan(qsgd[bits]);
                assertThat(a[bits]).as("%s vs nuqsgd at %d bits", adaptive, bits).isLessThan(nuq[bits]);
            }
        }
    }

    /** E||Q(v) - v||^2 / ||v||^2 over {@code count} Gaussian vectors of {@code n}, one codec instance. */
    static double normalizedVariance(String spec, int n, int count) {
        GradientCodec c = Codecs.create(spec, 11);
        double num = 0;
        double den = 0;
        for (int t = 0; t < count; t++) {
            float[] v = CodecContract.gaussian(n, 500 + t);
            float[] out = decode(c, CodecContract.encode(c, v), n);
            for (int i = 0; i < n; i++) {
                double d = out[i] - v[i];
                num += d * d;
                den += (double) v[i] * v[i];
            }
        }
        return num / den;
    }

    // ------------------------------------------------------------------------------------------ (d) wire sizes

    /** Fixed-width codecs: the payload length is the formula, for n on and off bucket boundaries. */
    @Test
    void fixedWidthWireSizesAreTheFormula() {
        int[] sizes = {0, 1, 6, 7, 8, 99, 100, 101, 511, 512, 513, 1000, 4097};
        for (int bits = 1; bits <= 8; bits++) {
            int s = (1 << (bits - 1)) - 1;
            for (int bucket : new int[] {7, 100, 512}) {
                Map<String, Long> perBucket = new LinkedHashMap<>(); // spec -> header bytes per bucket
                Map<String, Long> prefix = new LinkedHashMap<>();
                perBucket.put("maxmin:bits=" + bits + ",bucket=" + bucket, 8L);
                prefix.put("maxmin:bits=" + bits + ",bucket=" + bucket, 0L);
                if (bits >= 2) {
                    for (String name : new String[] {"qsgd", "nuqsgd", "alq", "amq"}) {
                        String spec = name + ":bits=" + bits + ",bucket=" + bucket;
                        perBucket.put(spec, 4L);
                        prefix.put(spec, name.startsWith("a") ? 4L * s : 0L);
                    }
                    perBucket.put("qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=max", 4L);
                    prefix.put("qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=max", 0L);
                }
                for (Map.Entry<String, Long> e : perBucket.entrySet()) {
                    GradientCodec c = Codecs.create(e.getKey(), 3);
                    for (int n : sizes) {
                        long want = 10 + prefix.get(e.getKey()) + e.getValue() * ceilDiv(n, bucket)
                                + ceilDiv((long) n * bits, 8);
                        byte[] p = CodecContract.encode(c, QuantizerTestSupport.testVector(n, n));
                        assertThat((long) p.length).as("%s, n=%d", e.getKey(), n).isEqualTo(want);
                        assertThat((long) c.maxEncodedSize(n)).isEqualTo(want);
                        if (n > 0) {
                            assertThat(c.bitsPerElement(n)).isEqualTo(8.0 * want / n);
                        }
                    }
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ error feedback

    /**
     * Error feedback around the quantizers whose error is smaller than their input (E||Q(v) - v||^2 < ||v||^2, a
     * contraction): inputs = decoded payloads + residual over many steps, and the residual stays of the order of one
     * input.
     *
     * <p>Unbiased quantizers with a relative variance above 1 are not contractions, and error feedback around them
     * diverges: the residual is fed back with the next input and its quantization error grows it further. Measured
     * with 2000-element Gaussian inputs, ||r|| / ||g|| after 10, 30, 50 steps: qsgd (4 bits, L2 scale, variance 1.58)
     * 12, 103, 373; qsgd-elias (1 level, variance 17) 658, 1.9e4, 4.9e5; against 0.2 to 0.3 for nuqsgd, alq, amq and
     * qsgd with the max scale and 1.2 for 2-bit maxmin. Error feedback should wrap a contractive configuration (or a
     * quantizer scaled down by 1 / (1 + variance), which this library does not provide); the last assertion pins
     * the divergence so that it stays visible.
     */
    @Test
    void errorFeedbackAroundContractiveQuantizers() {
        for (String spec : new String[] {"qsgd:norm=max", "nuqsgd", "alq", "amq", "maxmin:bits=2"}) {
            ErrorFeedbackCodecTest.conservesMass(spec, 50, 1e-4);
            ErrorFeedbackCodec c = (ErrorFeedbackCodec) Codecs.create("ef:" + spec, 5);
            float[] g = null;
            for (int step = 0; step < 30; step++) {
                g = CodecContract.gaussian(2000, 1000 + step);
                CodecContract.encode(c, g);
            }
            assertThat(CodecContract.norm(c.residual()) / CodecContract.norm(g)).as(spec).isLessThan(2);
        }
        ErrorFeedbackCodec c = (ErrorFeedbackCodec) Codecs.create("ef:qsgd", 5);
        float[] g = null;
        for (int step = 0; step < 30; step++) {
            g = CodecContract.gaussian(2000, 1000 + step);
            CodecContract.encode(c, g);
        }
        assertThat(CodecContract.norm(c.residual()) / CodecContract.norm(g)).as("ef:qsgd diverges").isGreaterThan(10);
    }

    // ------------------------------------------------------------------------------------------ allocation

    /**
     * Encode, decode and decodeAdd of a million elements allocate a bounded amount (decode tables, a checksum
     * object, per-call level arrays), not anything per element: measured with the JVM's per-thread allocation
     * counter after warm-up.
     */
    @Test
    void noAllocationPerElement() {
        assumeTrue(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "needs the HotSpot thread allocation counter");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(mx.isThreadAllocatedMemorySupported());
        mx.setThreadAllocatedMemoryEnabled(true);
        int n = 1 << 20;
        float[] v = CodecContract.gaussian(n, 1);
        float[] out = new float[n];
        long tid = Thread.currentThread().getId();
        for (String spec : new String[] {"qsgd", "qsgd:bits=8,norm=max", "qsgd:bits=3,bucket=100", "qsgd-elias",
                "nuqsgd", "alq:update=1", "amq:update=1", "maxmin", "maxmin:bits=1"}) {
            GradientCodec c = Codecs.create(spec, 1);
            byte[] buf = new byte[c.maxEncodedSize(n)];
            int len = 0;
            for (int warm = 0; warm < 3; warm++) { // scratch grows on the first call
                len = c.encode(v, 0, n, buf, 0);
                c.decode(buf, 0, len, out, 0, n);
            }
            long before = mx.getThreadAllocatedBytes(tid);
            for (int r = 0; r < 3; r++) {
                len = c.encode(v, 0, n, buf, 0);
                c.decode(buf, 0, len, out, 0, n);
                c.decodeAdd(buf, 0, len, out, 0, n);
            }
            long allocated = mx.getThreadAllocatedBytes(tid) - before;
            assertThat(allocated).as("%s: bytes allocated by 3 x (encode, decode, decodeAdd) of %d elements", spec, n)
                    .isLessThan(64 * 1024);
        }
    }
}
