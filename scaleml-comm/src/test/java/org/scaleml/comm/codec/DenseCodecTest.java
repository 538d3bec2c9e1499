package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class DenseCodecTest {
    @Nested
    class Fp32 extends CodecContract {
        @Override
        String spec() {
            return "fp32";
        }

        @Override
        double maxRelativeError() {
            return 0;
        }

        @Test
        void wireSizeIsTheFormula() {
            GradientCodec c = codec(1);
            assertThat(encode(c, gaussian(1000, 1))).hasSize(10 + 4000);
            assertThat(c.bitsPerElement(1000)).isEqualTo(8.0 * 4010 / 1000);
        }

        @Test
        void keepsSpecialValues() {
            GradientCodec c = codec(1);
            float[] v = {Float.NaN, Float.POSITIVE_INFINITY, -0f, Float.MIN_VALUE, Float.MAX_VALUE};
            float[] out = new float[v.length];
            byte[] p = encode(c, v);
            c.decode(p, 0, p.length, out, 0, v.length);
            assertThat(Float.isNaN(out[0])).isTrue();
            assertThat(Float.floatToRawIntBits(out[2])).isEqualTo(Float.floatToRawIntBits(-0f));
            assertThat(out[4]).isEqualTo(Float.MAX_VALUE);
        }
    }

    @Nested
    class Fp16 extends CodecContract {
        @Override
        String spec() {
            return "fp16";
        }

        @Override
        double maxRelativeError() {
            return 1e-3; // 11 significant bits: 2^-11 relative per element at most
        }

        @Test
        void wireSizeIsTheFormula() {
            assertThat(encode(codec(1), gaussian(1000, 1))).hasSize(10 + 2000);
        }
    }

    @Nested
    class Bf16 extends CodecContract {
        @Override
        String spec() {
            return "bf16";
        }

        @Override
        double maxRelativeError() {
            return 4e-3; // 8 significant bits: 2^-8 relative per element at most
        }

        @Test
        void wireSizeIsTheFormula() {
            assertThat(encode(codec(1), gaussian(1000, 1))).hasSize(10 + 2000);
        }
    }

    @Test
    void halfPrecisionRoundsToNearestEvenAndMatchesEveryHalfValue() {
        // every binary16 value converts to a float and back to itself
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.fromHalf((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.fromHalf(HalfFloats.toHalf(f)))).isTrue();
                continue;
            }
            assertThat(HalfFloats.toHalf(f) & 0xFFFF).as("half 0x%04x", h).isEqualTo(h);
        }
        // ties: 1 + 2^-11 is halfway between 1 and 1 + 2^-10: rounds to even (1)
        assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(1f + 0x1p-11f))).isEqualTo(1f);
        assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(1f + 3 * 0x1p-11f))).isEqualTo(1f + 2 * 0x1p-10f);
        assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(65520f))).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(0x1p-25f))).isEqualTo(0f); // ties to even at zero
        assertThat(HalfFloats.fromHalf(HalfFloats.toHalf(0x1.8p-25f))).isEqualTo(0x1p-24f);
        // bf16: every value round-trips; ties to even
        for (int b = 0; b < 0x10000; b++) {
            float f = HalfFloats.fromBf16((short) b);
            if (!Float.isNaN(f)) {
                assertThat(HalfFloats.toBf16(f) & 0xFFFF).isEqualTo(b);
            }
        }
        assertThat(HalfFloats.fromBf16(HalfFloats.toBf16(1f + 0x1p-8f))).isEqualTo(1f);
    }
}
