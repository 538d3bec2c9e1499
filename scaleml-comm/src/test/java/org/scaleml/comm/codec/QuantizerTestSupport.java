package org.scaleml.comm.codec;

import java.util.Arrays;

/** Helpers shared by the quantizer tests: crafted payloads, decoding, exact-size formulas. */
final class QuantizerTestSupport {
    private QuantizerTestSupport() {
    }

    /** A payload of codec {@code c} for {@code n} elements with the given body and a valid header and checksum. */
    static byte[] payload(GradientCodec c, int n, byte[] body) {
        byte[] p = new byte[Wire.HEADER_BYTES + body.length];
        Wire.begin(p, 0, c.id(), n);
        System.arraycopy(body, 0, p, Wire.HEADER_BYTES, body.length);
        Wire.seal(p, 0, p.length);
        return p;
    }

    /** The body of a payload. */
    static byte[] body(byte[] payload) {
        return Arrays.copyOfRange(payload, Wire.HEADER_BYTES, payload.length);
    }

    /** Re-seals a payload whose body was edited in place. */
    static byte[] reseal(byte[] payload) {
        Wire.seal(payload, 0, payload.length);
        return payload;
    }

    static float[] decode(GradientCodec c, byte[] p, int n) {
        float[] out = new float[n];
        c.decode(p, 0, p.length, out, 0, n);
        return out;
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** Independent Elias gamma length: 2 floor(log2 x) + 1. */
    static int gammaBits(long x) {
        int log = 0;
        while ((x >>> (log + 1)) != 0) {
            log++;
        }
        return 2 * log + 1;
    }

    /** A Gaussian vector with a few exact zeros and one large outlier, for edge coverage. */
    static float[] testVector(int n, long seed) {
        float[] v = CodecContract.gaussian(n, seed);
        for (int i = 3; i < n; i += 97) {
            v[i] = 0f;
        }
        if (n > 10) {
            v[10] = 6f;
        }
        return v;
    }
}
