package org.scaleml.comm.codec;

/**
 * IEEE 754 binary16 and bfloat16 conversions with round-to-nearest-even (Java 17 has no
 * {@code Float.floatToFloat16}). NaN stays NaN (quiet), infinities stay infinite, overflow rounds to infinity.
 */
final class HalfFloats {
    private HalfFloats() {
    }

    /** The binary16 bits nearest to {@code f} (ties to even). */
    static short toHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int ax = x & 0x7FFF_FFFF;
        if (ax >= 0x3880_0000 && ax < 0x477F_F000) {
            // The common case, |f| in [2^-14, 65520): a normal half after rounding. Rebias the exponent
            // (127 - 15 = 112) and round the 13 dropped mantissa bits to nearest even; a carry moves into the
            // exponent, which is the correct result.
            int r = ax - 0x3800_0000;
            r = (r + 0xFFF + ((r >>> 13) & 1)) >>> 13;
            return (short) (((x >>> 16) & 0x8000) | r);
        }
        return toHalfSlow(x);
    }

    /** Zeros, subnormal halves, overflow, infinities and NaN. */
    private static short toHalfSlow(int x) {
        int sign = (x >>> 16) & 0x8000;
        int exp = (x >>> 23) & 0xFF;
        int mant = x & 0x7F_FFFF;
        if (exp == 0xFF) {
            return (short) (sign | 0x7C00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
        }
        int e = exp - 127 + 15;
        if (e >= 0x1F) {
            return (short) (sign | 0x7C00);
        }
        if (e <= 0) { // binary16 subnormal or zero: m = M >> (14 - e), rounded
            if (e < -10) {
                return (short) sign;
            }
            int m = mant | 0x80_0000;
            int shift = 14 - e;
            int half = m >>> shift;
            int rem = m & ((1 << shift) - 1);
            int mid = 1 << (shift - 1);
            if (rem > mid || (rem == mid && (half & 1) != 0)) {
                half++;
            }
            return (short) (sign | half);
        }
        int half = (e << 10) | (mant >>> 13);
        int rem = mant & 0x1FFF;
        if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
            half++; // a carry into the exponent is the correct rounding, up to infinity
        }
        return (short) (sign | half);
    }

    /** The float value of binary16 bits (exact). */
    static float fromHalf(short h) {
        int sign = (h & 0x8000) << 16;
        int exp = (h >>> 10) & 0x1F;
        if (exp != 0 && exp != 0x1F) { // normal: rebias the exponent, widen the mantissa
            return Float.intBitsToFloat(sign | (((h & 0x7FFF) + 0x1_C000) << 13));
        }
        int mant = h & 0x3FF;
        if (exp == 0) {
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F80_0000 | (mant << 13));
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** The bfloat16 bits nearest to {@code f} (ties to even). */
    static short toBf16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7F80_0000) == 0x7F80_0000 && (x & 0x7F_FFFF) != 0) {
            return (short) ((x >>> 16) | 0x40); // NaN stays a (quiet) NaN
        }
        return (short) ((x + 0x7FFF + ((x >>> 16) & 1)) >>> 16);
    }

    /** The float value of bfloat16 bits (exact). */
    static float fromBf16(short b) {
        return Float.intBitsToFloat(b << 16);
    }
}
