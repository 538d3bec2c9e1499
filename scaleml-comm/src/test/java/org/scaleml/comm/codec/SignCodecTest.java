package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class SignCodecTest {

    @Nested
    class Default extends CodecContract {
        @Override
        String spec() {
            return "sign:bucket=512";
        }

        @Override
        double maxRelativeError() {
            // per bucket the error is ||v||^2 - d s^2 with s = mean |v|: relative error sqrt(1 - 2/pi) = 0.603 on
            // Gaussian data; measured 0.579 .. 0.619 over 20 seeds and n in {1000, 4096, 10000, 100000}
            return 0.63;
        }
    }

    @Nested
    class OddBucket extends CodecContract {
        @Override
        String spec() {
            return "sign:bucket=7"; // buckets and sign bytes out of step: exercises the unaligned paths
        }

        @Override
        double maxRelativeError() {
            return 0.6; // smaller buckets fit the scale better: measured 0.536 .. 0.575
        }
    }

    @Test
    void wireSizeIsExact() {
        for (int bucket : new int[] {1, 7, 64, 512}) {
            GradientCodec c = Codecs.create("sign:bucket=" + bucket, 1);
            for (int n : new int[] {0, 1, 7, 8, 9, 63, 64, 65, 511, 512, 513, 10_000}) {
                int want = 10 + 4 * ((n + bucket - 1) / bucket) + (n + 7) / 8;
                assertThat(CodecContract.encode(c, CodecContract.gaussian(n, n))).hasSize(want);
                assertThat(c.maxEncodedSize(n)).isEqualTo(want);
                if (n > 0) {
                    assertThat(c.bitsPerElement(n)).isEqualTo(8.0 * want / n);
                }
            }
        }
        assertThat(Codecs.create("sign", 1).bitsPerElement(1 << 20)).isCloseTo(1.0625, org.assertj.core.data
                .Offset.offset(1e-3));
    }

    @Test
    void decodesToPlusMinusTheMeanMagnitudeOfEachBucket() {
        for (int bucket : new int[] {3, 8, 100, 512}) {
            for (int n : new int[] {1, 13, 1000, 4099}) {
                float[] v = CodecContract.gaussian(n, bucket + n);
                v[0] = -0f; // the IEEE sign bit decides: -0.0 sends -s
                GradientCodec c = Codecs.create("sign:bucket=" + bucket, 1);
                byte[] p = CodecContract.encode(c, v);
                float[] out = new float[n];
                c.decode(p, 0, p.length, out, 0, n);
                for (int b0 = 0; b0 < n; b0 += bucket) {
                    int b1 = Math.min(n, b0 + bucket);
                    double sum = 0;
                    for (int i = b0; i < b1; i++) {
                        sum += Math.abs(v[i]);
                    }
                    float s = (float) (sum / (b1 - b0));
                    assertThat(Wire.getFloat(p, 10 + 4 * (b0 / bucket))).isCloseTo(s,
                            org.assertj.core.data.Offset.offset(Math.ulp(s)));
                    float scale = Wire.getFloat(p, 10 + 4 * (b0 / bucket));
                    for (int i = b0; i < b1; i++) {
                        float want = (Float.floatToRawIntBits(v[i]) < 0) ? -scale : scale;
                        assertThat(out[i]).as("bucket %d n %d element %d", bucket, n, i).isEqualTo(want);
                    }
                }
            }
        }
    }

    @Test
    void rejectsBadScalesAndPadding() {
        GradientCodec c = Codecs.create("sign:bucket=4", 1);
        int n = 6;
        float[] out = new float[n];
        byte[] good = CodecContract.encode(c, new float[] {1, -2, 0, 3, 4, -5});
        c.decode(good, 0, good.length, out, 0, n);
        assertThat(out).containsExactly(1.5f, -1.5f, 1.5f, 1.5f, 4.5f, -4.5f);
        byte[] pad = good.clone();
        pad[10 + 8] |= (byte) 0x80; // bit 7 of the sign byte: after the 6th sign
        Wire.seal(pad, 0, pad.length);
        assertThatThrownBy(() -> c.decode(pad, 0, pad.length, out, 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("padding");
        for (float bad : new float[] {-1f, Float.NaN, Float.NEGATIVE_INFINITY, -0f}) {
            byte[] scale = good.clone();
            Wire.putFloat(scale, 10, bad);
            Wire.seal(scale, 0, scale.length);
            assertThatThrownBy(() -> c.decode(scale, 0, scale.length, out, 0, n))
                    .isInstanceOf(CodecFormatException.class).hasMessageContaining("scale")
                    .hasMessageContaining("bucket 0");
        }
    }

    @Test
    void nonFiniteInputIsRefusedWithTheBucket() {
        GradientCodec c = Codecs.create("sign:bucket=4", 1);
        assertThatThrownBy(() -> CodecContract.encode(c, new float[] {1, Float.POSITIVE_INFINITY, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bucket [0, 3)");
    }

    @Test
    void specificationIsCanonicalAndValidated() {
        assertThat(Codecs.create("sign", 1).spec()).isEqualTo("sign:bucket=512");
        assertThat(Codecs.create("SIGN:bucket=64", 1).spec()).isEqualTo("sign:bucket=64");
        assertThatThrownBy(() -> Codecs.create("sign:bucket=-1", 1)).hasMessageContaining("bucket");
        assertThatThrownBy(() -> Codecs.create("sign:bits=1", 1)).hasMessageContaining("unknown parameter bits");
        Codecs.Entry e = Codecs.entries().stream().filter(x -> x.name().equals("sign")).findFirst().orElseThrow();
        assertThat(e.help()).contains("bucket", "512");
        assertThat(Codecs.create(e.example(), 1).spec()).isEqualTo(e.example());
    }
}
