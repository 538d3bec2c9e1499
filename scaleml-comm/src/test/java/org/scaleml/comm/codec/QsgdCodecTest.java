package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.codec.QuantizerTestSupport.body;
import static org.scaleml.comm.codec.QuantizerTestSupport.ceilDiv;
import static org.scaleml.comm.codec.QuantizerTestSupport.decode;
import static org.scaleml.comm.codec.QuantizerTestSupport.gammaBits;
import static org.scaleml.comm.codec.QuantizerTestSupport.payload;
import static org.scaleml.comm.codec.QuantizerTestSupport.reseal;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class QsgdCodecTest {

    /**
     * Default: 4 bits (s = 7), buckets of 512, L2 scale. For a Gaussian bucket most normalized coordinates
     * u = |x| / ||v|| are below 1/s, where rounding has variance u/s - u^2, so the relative squared error is about
     * E||x||_1 / s - 1 = sqrt(2/pi) sqrt(512) / 7 - 1 = 1.58: relative error 1.26. That is the price of L2
     * scaling with few levels (and below the paper's sqrt(d)/s = 3.2 bound).
     *
     * <p>The bounds of this file are mean + 5 standard deviations of the relative error measured over 300 Gaussian
     * vectors of 1000 elements (the smallest size the contract checks; larger ones fluctuate less), here
     * 1.245 + 5 * 0.027.
     */
    @Nested
    class Default extends CodecContract {
        @Override
        String spec() {
            return "qsgd";
        }

        @Override
        double maxRelativeError() {
            return 1.4;
        }

        @Test
        void canonicalSpecificationListsEveryParameter() {
            assertThat(codec(1).spec()).isEqualTo("qsgd:bits=4,bucket=512,norm=l2");
            assertThat(Codecs.create("QSGD:norm=MAX,bucket=1K,bits=3", 1).spec())
                    .isEqualTo("qsgd:bits=3,bucket=1024,norm=max");
        }

        @Test
        void rejectsBadParameters() {
            assertThatThrownBy(() -> Codecs.create("qsgd:bits=9", 1)).hasMessageContaining("bits must be in [2, 8]");
            assertThatThrownBy(() -> Codecs.create("qsgd:bits=1", 1)).hasMessageContaining("bits");
            assertThatThrownBy(() -> Codecs.create("qsgd:bucket=0", 1)).hasMessageContaining("bucket");
            assertThatThrownBy(() -> Codecs.create("qsgd:norm=l1", 1)).hasMessageContaining("norm must be one of");
            assertThatThrownBy(() -> Codecs.create("qsgd:levels=3", 1)).hasMessageContaining("unknown parameter");
        }

        @Test
        void rejectsBadScales() {
            GradientCodec c = codec(1);
            int n = 600;
            byte[] good = encode(c, gaussian(n, 1));
            for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY, -Float.MIN_VALUE}) {
                byte[] p = good.clone();
                Wire.putFloat(p, Wire.HEADER_BYTES + 4, bad); // bucket 1
                reseal(p);
                assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n], 0, n))
                        .isInstanceOf(CodecFormatException.class).hasMessageContaining("bucket 1 has scale");
            }
        }

        @Test
        void rejectsNonFiniteInput() {
            GradientCodec c = codec(1);
            for (float bad : new float[] {Float.NaN, Float.NEGATIVE_INFINITY}) {
                float[] v = gaussian(100, 1);
                v[42] = bad;
                assertThatThrownBy(() -> encode(c, v)).isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("offset 42");
            }
        }
    }

    /** 8 bits with the max scale: variance per element (max/s)^2 / 6 on average; measured 0.0105 +- 0.0008. */
    @Nested
    class MaxScale8 extends CodecContract {
        @Override
        String spec() {
            return "qsgd:bits=8,norm=max";
        }

        @Override
        double maxRelativeError() {
            return 0.015;
        }
    }

    /**
     * 2 bits (s = 1) in buckets of 7: the bit stream is not byte-aligned at most bucket starts, which exercises
     * the generic packing. Relative squared error E||x||_1 / s - 1 for d = 7, s = 1: measured 1.089 +- 0.022.
     */
    @Nested
    class TwoBitsOddBucket extends CodecContract {
        @Override
        String spec() {
            return "qsgd:bits=2,bucket=7";
        }

        @Override
        double maxRelativeError() {
            return 1.2;
        }
    }

    /** 4 bits in buckets of 12 (48 bits): buckets alternate between the word path and the generic path. */
    @Nested
    class FourBitsBucket12 extends CodecContract {
        @Override
        String spec() {
            return "qsgd:bits=4,bucket=12,norm=max";
        }

        @Override
        double maxRelativeError() {
            return 0.13; // max scale, 7 levels over d = 12: measured 0.112 +- 0.003
        }
    }

    /**
     * Every element decodes to one of the two levels adjacent to s|x|/scale, with its sign, whatever the bit width,
     * bucket alignment and code path: the structural half of unbiased rounding (QuantizerStatisticsTest checks the
     * probabilities).
     */
    @Test
    void everyElementRoundsToAnAdjacentLevel() {
        for (int bits = 2; bits <= 8; bits++) {
            for (int bucket : new int[] {1, 7, 12, 64, 512}) {
                for (String norm : new String[] {"l2", "max"}) {
                    String spec = "qsgd:bits=" + bits + ",bucket=" + bucket + ",norm=" + norm;
                    GradientCodec c = Codecs.create(spec, bits * 31L + bucket);
                    int n = 1000;
                    float[] v = QuantizerTestSupport.testVector(n, bucket);
                    byte[] p = CodecContract.encode(c, v);
                    float[] out = decode(c, p, n);
                    int s = (1 << (bits - 1)) - 1;
                    for (int i = 0; i < n; i++) {
                        double scale = Wire.getFloat(p, Wire.HEADER_BYTES + 4 * (i / bucket));
                        if (scale == 0) {
                            assertThat(Float.floatToRawIntBits(out[i])).isZero();
                            continue;
                        }
                        double u = s * Math.abs(v[i]) / scale;
                        double level = Math.abs(out[i]) * s / scale;
                        assertThat(level).as("%s element %d (u = %f)", spec, i, u)
                                .isBetween(Math.floor(u) - 1e-4, Math.ceil(u) + 1e-4);
                        assertThat(Math.abs(level - Math.rint(level))).isLessThan(1e-4);
                        if (out[i] != 0) {
                            assertThat(Math.signum(out[i])).isEqualTo(Math.signum(v[i]));
                        } else {
                            assertThat(Float.floatToRawIntBits(out[i])).isZero(); // +0, never -0
                        }
                    }
                }
            }
        }
    }

    @Test
    void wireSizeIsTheFormula() {
        for (int bits = 2; bits <= 8; bits++) {
            for (int n : new int[] {0, 1, 100, 511, 512, 513, 1000}) {
                GradientCodec c = Codecs.create("qsgd:bits=" + bits, 1);
                long want = 10 + 4 * ceilDiv(n, 512) + ceilDiv((long) n * bits, 8);
                assertThat(CodecContract.encode(c, CodecContract.gaussian(n, n)).length).isEqualTo(want);
                assertThat(c.maxEncodedSize(n)).isEqualTo(want);
            }
        }
    }

    @Test
    void scalesAtTheEdgesOfTheFloatRange() {
        GradientCodec c = Codecs.create("qsgd:bits=4,bucket=64", 1);
        int n = 256;
        float[] v = CodecContract.gaussian(n, 3);
        for (int i = 0; i < 64; i++) {
            v[i] *= 1e-44f; // subnormal: s / scale overflows a float, the double path runs
        }
        for (int i = 64; i < 128; i++) {
            v[i] = i % 2 == 0 ? Float.MAX_VALUE : -Float.MAX_VALUE; // the L2 norm overflows: clamped scale
        }
        byte[] p = CodecContract.encode(c, v);
        float[] out = decode(c, p, n);
        for (int i = 0; i < n; i++) {
            assertThat(Float.isFinite(out[i])).isTrue();
            assertThat(Math.abs(out[i])).as("element %d", i)
                    .isLessThanOrEqualTo(Wire.getFloat(p, Wire.HEADER_BYTES + 4 * (i / 64)));
        }
        for (int i = 64; i < 128; i++) { // scale MAX_VALUE, |x| = MAX_VALUE: level s exactly
            assertThat(out[i]).isEqualTo(v[i]);
        }
    }

    // ------------------------------------------------------------------------------------------ Elias

    /**
     * One level (the paper's sparse regime): relative squared error E||x||_1 - 1 = 17 for Gaussian buckets of
     * 512, relative error 4.1: the variance bound sqrt(d)/s = 22.6 is far away, but s = 1 is inherently noisy, the
     * more so on 1000 elements where about 36 non-zero levels carry the whole error (measured 4.08 +- 0.33; on
     * 10000 elements 4.10 +- 0.09). It sends 0.45 bits per element.
     */
    @Nested
    class Elias extends CodecContract {
        @Override
        String spec() {
            return "qsgd-elias";
        }

        @Override
        double maxRelativeError() {
            return 5.8;
        }

        @Test
        void canonicalSpecification() {
            assertThat(codec(1).spec()).isEqualTo("qsgd-elias:levels=1,bucket=512");
        }
    }

    /** 8 levels in buckets of 100: measured relative error 0.510 +- 0.010. */
    @Nested
    class Elias8 extends CodecContract {
        @Override
        String spec() {
            return "qsgd-elias:levels=8,bucket=100";
        }

        @Override
        double maxRelativeError() {
            return 0.56;
        }
    }

    /** The payload length equals the code lengths recomputed from the decoded values, bucket by bucket. */
    @Test
    void eliasWireSizeIsTheSumOfTheCodeLengths() {
        for (String spec : new String[] {"qsgd-elias", "qsgd-elias:levels=4,bucket=100",
                "qsgd-elias:levels=300,bucket=33", "qsgd-elias:levels=1,bucket=1"}) {
            GradientCodec c = Codecs.create(spec, 5);
            CodecSpec parsed = CodecSpec.parse(c.spec());
            int levels = parsed.intParam("levels", 0, 0, 1 << 20);
            int bucket = parsed.intParam("bucket", 0, 0, 1 << 30);
            for (int n : new int[] {0, 1, 99, 100, 101, 1000, 5000}) {
                float[] v = QuantizerTestSupport.testVector(n, n);
                if (n > 200) {
                    for (int i = 100; i < 200; i++) {
                        v[i] = 0f; // a zero bucket or two
                    }
                }
                byte[] p = CodecContract.encode(c, v);
                float[] out = decode(c, p, n);
                long nb = ceilDiv(n, bucket);
                long bits = 0;
                for (int b = 0; b < nb; b++) {
                    double norm = Wire.getFloat(p, Wire.HEADER_BYTES + 4 * b);
                    int count = 0;
                    int prev = -1;
                    for (int i = b * bucket; i < Math.min(n, (b + 1) * bucket); i++) {
                        if (out[i] != 0) {
                            long level = Math.round(Math.abs(out[i]) * levels / norm);
                            assertThat(level).isBetween(1L, (long) levels);
                            int pos = i - b * bucket;
                            bits += gammaBits(pos - prev) + 1 + gammaBits(level);
                            prev = pos;
                            count++;
                        }
                    }
                    bits += gammaBits(count + 1);
                }
                long want = 10 + 4 * nb + ceilDiv(bits, 8);
                assertThat((long) p.length).as("%s, n=%d", spec, n).isEqualTo(want);
            }
        }
    }

    /** bitsPerElement (expected size on Gaussian data, documented) is within 3% of the measured mean size. */
    @Test
    void eliasBitsPerElementMatchesGaussianData() {
        for (String spec : new String[] {"qsgd-elias", "qsgd-elias:levels=4", "qsgd-elias:levels=22",
                "qsgd-elias:levels=2,bucket=128"}) {
            GradientCodec c = Codecs.create(spec, 9);
            int n = 20_000;
            long bytes = 0;
            int reps = 10;
            for (int r = 0; r < reps; r++) {
                bytes += CodecContract.encode(c, CodecContract.gaussian(n, 70 + r)).length;
            }
            double measured = 8.0 * bytes / reps / n;
            assertThat(c.bitsPerElement(n)).as(spec).isCloseTo(measured,
                    org.assertj.core.data.Percentage.withPercentage(3));
        }
    }

    @Test
    void eliasRejectsMalformedStreams() {
        GradientCodec c = Codecs.create("qsgd-elias:levels=3,bucket=8", 1);
        int n = 8;
        // a valid hand-made payload: norm 2, entries at positions 1 (+, level 3) and 6 (-, level 1)
        byte[] ok = eliasBody(2f, new long[] {3, 2, 0, 3, 5, 1, 1});
        float[] out = decode(c, payload(c, n, ok), n);
        assertThat(out).containsExactly(0f, 2f, 0f, 0f, 0f, 0f, -2f / 3, 0f);

        assertRejected(c, n, eliasBody(2f, new long[] {10}), "claims 9 non-zero levels");
        assertRejected(c, n, eliasBody(2f, new long[] {2, 9, 0, 1}), "beyond the bucket");
        assertRejected(c, n, eliasBody(2f, new long[] {3, 5, 0, 1, 4, 1, 1}), "beyond the bucket");
        assertRejected(c, n, eliasBody(2f, new long[] {2, 1, 0, 4}), "level 4 above 3");
        assertRejected(c, n, eliasBody(0f, new long[] {2, 1, 0, 1}), "norm 0 and 1 non-zero");
        assertRejected(c, n, eliasBody(Float.NaN, new long[] {1}), "has norm NaN");
        assertRejected(c, n, eliasBody(2f, new long[] {2, 1, 0}), "truncated");
        byte[] trailing = java.util.Arrays.copyOf(ok, ok.length + 1);
        assertRejected(c, n, trailing, "trailing");
        assertRejected(c, n, new byte[3], "truncated");
    }

    /**
     * An Elias body for one bucket: the norm, then {@code codes} as gamma codes except that the entry after each
     * gap (every third value from index 2) is written as one sign bit.
     */
    private static byte[] eliasBody(float norm, long[] codes) {
        byte[] b = new byte[64];
        Wire.putFloat(b, 0, norm);
        BitWriter w = new BitWriter().reset(b, 4);
        for (int i = 0; i < codes.length; i++) {
            if (i >= 2 && (i - 2) % 3 == 0) {
                w.write(codes[i], 1);
            } else {
                w.writeGamma(codes[i]);
            }
        }
        return java.util.Arrays.copyOf(b, w.finish());
    }

    private static void assertRejected(GradientCodec c, int n, byte[] body, String message) {
        byte[] p = payload(c, n, body);
        assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n], 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining(message);
    }

    @Test
    void eliasDecodeAddLeavesZeroPositionsAlone() {
        GradientCodec c = Codecs.create("qsgd-elias", 2);
        float[] v = CodecContract.gaussian(1000, 2);
        byte[] p = CodecContract.encode(c, v);
        float[] dec = decode(c, p, 1000);
        float[] acc = CodecContract.constant(1000, 1.5f);
        c.decodeAdd(p, 0, p.length, acc, 0, 1000);
        for (int i = 0; i < 1000; i++) {
            assertThat(acc[i]).isEqualTo(1.5f + dec[i]);
        }
        assertThat(body(p).length).isLessThan(1000 / 8 + 4 * 2 + 20); // well under a bit per element
    }
}
