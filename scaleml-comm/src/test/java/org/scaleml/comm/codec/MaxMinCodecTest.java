package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.codec.QuantizerTestSupport.ceilDiv;
import static org.scaleml.comm.codec.QuantizerTestSupport.decode;
import static org.scaleml.comm.codec.QuantizerTestSupport.reseal;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class MaxMinCodecTest {

    /**
     * Default: 4 bits (16 levels), buckets of 512. The range of 512 Gaussians is about 6.1 sigma, so the step is
     * w = 0.41 sigma and the rounding variance, w^2 u(1-u) for a fractional position u, averages w^2 / 6: a relative
     * error of about 0.167 (measured 0.165 +- 0.010 on vectors of 1000; bounds here: mean + 5 standard deviations
     * at 1000 elements).
     */
    @Nested
    class Default extends CodecContract {
        @Override
        String spec() {
            return "maxmin";
        }

        @Override
        double maxRelativeError() {
            return 0.22;
        }

        @Test
        void canonicalSpecification() {
            assertThat(codec(1).spec()).isEqualTo("maxmin:bits=4,bucket=512");
            assertThat(Codecs.create("maxmin:bits=1,bucket=2K", 1).spec()).isEqualTo("maxmin:bits=1,bucket=2048");
            assertThatThrownBy(() -> Codecs.create("maxmin:bits=0", 1)).hasMessageContaining("bits must be in [1, 8]");
            assertThatThrownBy(() -> Codecs.create("maxmin:bits=9", 1)).hasMessageContaining("bits");
        }

        @Test
        void rejectsBadRanges() {
            GradientCodec c = codec(1);
            int n = 600;
            byte[] good = encode(c, gaussian(n, 1));
            float[][] bad = {{1f, 0f}, {Float.NaN, 1f}, {0f, Float.POSITIVE_INFINITY},
                    {Float.NEGATIVE_INFINITY, 0f}};
            for (float[] r : bad) {
                byte[] p = good.clone();
                Wire.putFloat(p, Wire.HEADER_BYTES + 8, r[0]); // bucket 1
                Wire.putFloat(p, Wire.HEADER_BYTES + 12, r[1]);
                reseal(p);
                assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n], 0, n))
                        .isInstanceOf(CodecFormatException.class).hasMessageContaining("bucket 1 has range");
            }
        }

        @Test
        void rejectsNonFiniteInput() {
            float[] v = gaussian(100, 1);
            v[7] = Float.NaN;
            assertThatThrownBy(() -> encode(codec(1), v)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset 7");
        }
    }

    /**
     * One bit, buckets of 64: each element becomes min or max of its bucket. Range of 64 Gaussians about 4.7 sigma;
     * variance (x - min)(max - x), mean about 4.5 sigma^2 over the bucket: relative error about 2.1 (measured
     * 2.115 +- 0.068).
     */
    @Nested
    class OneBit extends CodecContract {
        @Override
        String spec() {
            return "maxmin:bits=1,bucket=64";
        }

        @Override
        double maxRelativeError() {
            return 2.45;
        }
    }

    /** 8 bits, buckets of 1000: step 6.5 sigma / 255, measured 0.0104 +- 0.0008. */
    @Nested
    class EightBits extends CodecContract {
        @Override
        String spec() {
            return "maxmin:bits=8,bucket=1000";
        }

        @Override
        double maxRelativeError() {
            return 0.015;
        }
    }

    /** 3 bits, buckets of 13 (39 bits): misaligned bucket starts; measured 0.184 +- 0.005. */
    @Nested
    class ThreeBitsBucket13 extends CodecContract {
        @Override
        String spec() {
            return "maxmin:bits=3,bucket=13";
        }

        @Override
        double maxRelativeError() {
            return 0.21;
        }
    }

    @Test
    void everyElementRoundsToAnAdjacentGridPointInsideTheRange() {
        for (int bits = 1; bits <= 8; bits++) {
            for (int bucket : new int[] {1, 13, 512}) {
                String spec = "maxmin:bits=" + bits + ",bucket=" + bucket;
                GradientCodec c = Codecs.create(spec, bits);
                int n = 1500;
                float[] v = QuantizerTestSupport.testVector(n, bits);
                for (int i = 0; i < n; i += 5) {
                    v[i] += 100; // shifted, skewed buckets: no sign, the grid covers [min, max]
                }
                byte[] p = CodecContract.encode(c, v);
                float[] out = decode(c, p, n);
                int q = (1 << bits) - 1;
                for (int i = 0; i < n; i++) {
                    int b = i / bucket;
                    double min = Wire.getFloat(p, Wire.HEADER_BYTES + 8 * b);
                    double max = Wire.getFloat(p, Wire.HEADER_BYTES + 8 * b + 4);
                    assertThat(min).isLessThanOrEqualTo(v[i]);
                    assertThat(max).isGreaterThanOrEqualTo(v[i]);
                    if (min == max) {
                        assertThat(out[i]).isEqualTo(v[i]);
                        continue;
                    }
                    double w = (max - min) / q;
                    double u = (v[i] - min) / w;
                    double level = (out[i] - min) / w;
                    double tol = 1e-6 * Math.max(Math.abs(min), Math.abs(max)) / w + 1e-6;
                    assertThat(level).as("%s element %d", spec, i)
                            .isBetween(Math.floor(u) - tol, Math.ceil(u) + tol);
                    assertThat(Math.abs(level - Math.rint(level))).isLessThanOrEqualTo(tol);
                }
            }
        }
    }

    @Test
    void constantBucketsAndBucketMinimaDecodeExactly() {
        GradientCodec c = Codecs.create("maxmin:bits=2,bucket=100", 1);
        float[] v = CodecContract.gaussian(300, 5);
        for (int i = 100; i < 200; i++) {
            v[i] = -2.75f;
        }
        byte[] p = CodecContract.encode(c, v);
        float[] out = decode(c, p, 300);
        for (int i = 100; i < 200; i++) {
            assertThat(out[i]).isEqualTo(-2.75f);
        }
        for (int b : new int[] {0, 2}) {
            float min = Wire.getFloat(p, Wire.HEADER_BYTES + 8 * b);
            for (int i = b * 100; i < b * 100 + 100; i++) {
                if (v[i] == min) {
                    assertThat(out[i]).isEqualTo(min);
                }
            }
        }
    }

    @Test
    void rangesAtTheEdgesOfTheFloatRange() {
        GradientCodec c = Codecs.create("maxmin:bits=4,bucket=8", 1);
        float[] v = {-Float.MAX_VALUE, Float.MAX_VALUE, 0, 1e38f, -3e38f, 2e38f, 5, -5, // width overflows a float
                1e-45f, 2e-45f, 0, 3e-45f, 1e-45f, 0, 2e-45f, 4e-45f}; // subnormal width: k overflows a float
        byte[] p = CodecContract.encode(c, v);
        float[] out = decode(c, p, v.length);
        for (int i = 0; i < v.length; i++) {
            float min = Wire.getFloat(p, Wire.HEADER_BYTES + 8 * (i / 8));
            float max = Wire.getFloat(p, Wire.HEADER_BYTES + 8 * (i / 8) + 4);
            assertThat(out[i]).as("element %d", i).isBetween(min, max);
        }
        assertThat(out[0]).isEqualTo(-Float.MAX_VALUE);
        assertThat(out[8 + 0]).isIn(0f, 1e-45f, 2e-45f, 3e-45f, 4e-45f); // a multiple of the subnormal step
    }

    @Test
    void wireSizeIsTheFormula() {
        for (int bits = 1; bits <= 8; bits++) {
            for (int n : new int[] {0, 1, 511, 512, 513, 1000}) {
                GradientCodec c = Codecs.create("maxmin:bits=" + bits, 1);
                long want = 10 + 8 * ceilDiv(n, 512) + ceilDiv((long) n * bits, 8);
                assertThat(CodecContract.encode(c, CodecContract.gaussian(n, n)).length).isEqualTo(want);
            }
        }
    }
}
