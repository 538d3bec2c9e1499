package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TernGradCodecTest {

    @Nested
    class Default extends CodecContract {
        @Override
        String spec() {
            return "terngrad:bucket=512";
        }

        @Override
        double maxRelativeError() {
            // E err^2 = sum (s |v_i| - v_i^2) with s = max |v| of the bucket (about 3.1 for 512 Gaussians):
            // relative error about sqrt(3.1 * 0.798 - 1) = 1.23 (measured 1.26 on large n); random, and at
            // n = 1000 (two buckets) it varies more: measured worst 1.45 over 20 seeds
            return 1.55;
        }
    }

    @Nested
    class OddBucket extends CodecContract {
        @Override
        String spec() {
            return "terngrad:bucket=7";
        }

        @Override
        double maxRelativeError() {
            // s is the max of only 7 magnitudes (about 1.6): sqrt(1.6 * 0.798 - 1) = 0.53, plus sampling noise
            return 0.75;
        }
    }

    @Test
    void wireSizeIsExact() {
        for (int bucket : new int[] {1, 7, 64, 512}) {
            GradientCodec c = Codecs.create("terngrad:bucket=" + bucket, 1);
            for (int n : new int[] {0, 1, 3, 4, 5, 511, 512, 513, 10_000}) {
                int want = 10 + 4 * ((n + bucket - 1) / bucket) + (2 * n + 7) / 8;
                assertThat(CodecContract.encode(c, CodecContract.gaussian(n, n))).hasSize(want);
                assertThat(c.maxEncodedSize(n)).isEqualTo(want);
                if (n > 0) {
                    assertThat(c.bitsPerElement(n)).isEqualTo(8.0 * want / n);
                }
            }
        }
    }

    @Test
    void decodesToZeroOrThePlusMinusBucketMaximumWithTheSignOfTheInput() {
        int n = 1000;
        int bucket = 64;
        float[] v = CodecContract.gaussian(n, 3);
        GradientCodec c = Codecs.create("terngrad:bucket=" + bucket, 3);
        byte[] p = CodecContract.encode(c, v);
        float[] out = new float[n];
        c.decode(p, 0, p.length, out, 0, n);
        for (int b0 = 0; b0 < n; b0 += bucket) {
            float s = 0;
            for (int i = b0; i < Math.min(n, b0 + bucket); i++) {
                s = Math.max(s, Math.abs(v[i]));
            }
            assertThat(Wire.getFloat(p, 10 + 4 * (b0 / bucket))).isEqualTo(s);
            for (int i = b0; i < Math.min(n, b0 + bucket); i++) {
                assertThat(out[i]).isIn(0f, Math.copySign(s, v[i]));
            }
        }
    }

    @Test
    void isUnbiased() {
        // two buckets of 50; element i is s sign(v_i) with probability |v_i| / s: variance s |v_i| - v_i^2
        int n = 100;
        int trials = 20_000;
        float[] v = CodecContract.gaussian(n, 9);
        v[7] = 0; // a zero stays zero
        GradientCodec c = Codecs.create("terngrad:bucket=50", 4);
        double[] sum = new double[n];
        float[] out = new float[n];
        byte[] buf = new byte[c.maxEncodedSize(n)];
        for (int t = 0; t < trials; t++) {
            int len = c.encode(v, 0, n, buf, 0);
            c.decodeAdd(buf, 0, len, out, 0, n);
            if (t % 1000 == 999) { // flush the float accumulator into doubles now and then
                for (int i = 0; i < n; i++) {
                    sum[i] += out[i];
                    out[i] = 0;
                }
            }
        }
        double z2 = 0;
        int counted = 0;
        for (int i = 0; i < n; i++) {
            float s = 0;
            for (int j = i / 50 * 50; j < i / 50 * 50 + 50; j++) {
                s = Math.max(s, Math.abs(v[j]));
            }
            double var = (double) s * Math.abs(v[i]) - (double) v[i] * v[i];
            double mean = sum[i] / trials;
            if (var == 0) {
                // zero, or the bucket maximum itself (kept with probability 1 - 2^-24 at most; float sums round)
                assertThat(mean).as("element %d", i).isCloseTo(v[i], org.assertj.core.data.Offset.offset(1e-4));
                continue;
            }
            double z = (mean - v[i]) / Math.sqrt(var / trials);
            assertThat(Math.abs(z)).as("element %d: mean %f, value %f", i, mean, v[i]).isLessThan(5);
            z2 += z * z;
            counted++;
        }
        assertThat(z2 / counted).as("mean squared z-score").isBetween(0.5, 1.6);
    }

    @Test
    void rejectsInvalidCodesScalesAndPadding() {
        GradientCodec c = Codecs.create("terngrad:bucket=4", 1);
        int n = 6; // two buckets, 12 code bits in two bytes
        float[] out = new float[n];
        byte[] good = CodecContract.encode(c, new float[] {1, -2, 0, 3, 4, -5});
        c.decode(good, 0, good.length, out, 0, n);
        byte[] code11 = good.clone();
        code11[10 + 8] |= 0x03; // element 0 -> 11
        Wire.seal(code11, 0, code11.length);
        assertThatThrownBy(() -> c.decode(code11, 0, code11.length, out, 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("invalid ternary code 11 for element 0");
        byte[] pad = good.clone();
        pad[10 + 9] |= 0x40; // second code byte: elements 4 and 5 in bits 0..3, padding above
        Wire.seal(pad, 0, pad.length);
        assertThatThrownBy(() -> c.decode(pad, 0, pad.length, out, 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("padding");
        for (float bad : new float[] {-1f, Float.NaN, Float.POSITIVE_INFINITY, -0f}) {
            byte[] scale = good.clone();
            Wire.putFloat(scale, 10 + 4, bad);
            Wire.seal(scale, 0, scale.length);
            assertThatThrownBy(() -> c.decode(scale, 0, scale.length, out, 0, n))
                    .isInstanceOf(CodecFormatException.class).hasMessageContaining("scale")
                    .hasMessageContaining("bucket 1");
        }
    }

    @Test
    void nonFiniteInputIsRefusedWithTheBucket() {
        GradientCodec c = Codecs.create("terngrad:bucket=4", 1);
        float[] v = {1, 2, 3, 4, 5, Float.NaN};
        assertThatThrownBy(() -> CodecContract.encode(c, v)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bucket [4, 6)");
    }

    @Test
    void specificationIsCanonicalAndValidated() {
        assertThat(Codecs.create("terngrad", 1).spec()).isEqualTo("terngrad:bucket=512");
        assertThat(Codecs.create("terngrad:bucket=1K", 1).spec()).isEqualTo("terngrad:bucket=1024");
        assertThatThrownBy(() -> Codecs.create("terngrad:bucket=0", 1)).hasMessageContaining("bucket");
        Codecs.Entry e = Codecs.entries().stream().filter(x -> x.name().equals("terngrad")).findFirst()
                .orElseThrow();
        assertThat(e.help()).contains("bucket", "512");
        assertThat(Codecs.create(e.example(), 1).spec()).isEqualTo(e.example());
    }
}
