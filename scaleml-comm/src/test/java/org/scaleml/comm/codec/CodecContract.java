package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/**
 * The tests every codec must pass, whatever it compresses: extend this class and name the specification. Lossy
 * codecs state their error bound through {@link #maxRelativeError()} (checked on Gaussian data).
 */
abstract class CodecContract {
    /** The specification under test. */
    abstract String spec();

    /** Largest acceptable ||decode(encode(v)) - v|| / ||v|| on Gaussian vectors of 10k elements. */
    abstract double maxRelativeError();

    /** Element counts exercised: empty, tiny, around bucket boundaries, larger. */
    int[] sizes() {
        return new int[] {0, 1, 2, 7, 63, 64, 65, 511, 512, 513, 1000, 4096, 10_000};
    }

    GradientCodec codec(long seed) {
        return Codecs.create(spec(), seed);
    }

    static float[] gaussian(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            // Box-Muller
            double u1 = r.nextDouble();
            double u2 = r.nextDouble();
            v[i] = (float) (Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2));
        }
        return v;
    }

    static double norm(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s);
    }

    static double relError(float[] got, float[] want) {
        double s = 0;
        for (int i = 0; i < want.length; i++) {
            double d = got[i] - want[i];
            s += d * d;
        }
        double n = norm(want);
        return n == 0 ? Math.sqrt(s) : Math.sqrt(s) / n;
    }

    /** Encodes {@code v} with {@code c} into an exact-size array. */
    static byte[] encode(GradientCodec c, float[] v) {
        byte[] buf = new byte[c.maxEncodedSize(v.length)];
        int len = c.encode(v, 0, v.length, buf, 0);
        assertThat(len).isBetween(Wire.HEADER_BYTES, buf.length);
        return Arrays.copyOf(buf, len);
    }

    @Test
    void specificationRoundTripsThroughTheFactory() {
        GradientCodec c = codec(1);
        assertThat(Codecs.create(c.spec(), 1).spec()).isEqualTo(c.spec());
        assertThat(CodecIds.name(c.id())).isNotEqualTo("unknown");
    }

    @Test
    void everySizeDecodesWithinTheErrorBound() {
        GradientCodec c = codec(7);
        for (int n : sizes()) {
            float[] v = gaussian(n, n);
            byte[] p = encode(c, v);
            assertThat(p[0]).isEqualTo((byte) Wire.VERSION);
            assertThat(p[1] & 0xFF).isEqualTo(c.id());
            assertThat(Wire.getInt(p, 2)).isEqualTo(n);
            float[] out = new float[n];
            c.decode(p, 0, p.length, out, 0, n);
            for (float x : out) {
                assertThat(Float.isFinite(x)).as("decoded value of %s, n=%d", c.spec(), n).isTrue();
            }
            if (c.isLossless()) {
                assertThat(out).as("lossless %s, n=%d", c.spec(), n).containsExactly(v);
            } else if (n >= 1000) {
                assertThat(relError(out, v)).as("relative error of %s, n=%d", c.spec(), n)
                        .isLessThanOrEqualTo(maxRelativeError());
            }
        }
    }

    @Test
    void decodeAddAddsExactlyWhatDecodeWrites() {
        GradientCodec c = codec(3);
        int n = 3000;
        float[] v = gaussian(n, 11);
        byte[] p = encode(c, v);
        float[] dec = new float[n];
        c.decode(p, 0, p.length, dec, 0, n);
        float[] base = gaussian(n + 10, 12);
        float[] acc = base.clone();
        c.decodeAdd(p, 0, p.length, acc, 5, n);
        for (int i = 0; i < n + 10; i++) {
            float want = i >= 5 && i < 5 + n ? base[i] + dec[i - 5] : base[i];
            assertThat(acc[i]).as("element %d", i).isEqualTo(want);
        }
    }

    @Test
    void offsetsAreHonoured() {
        GradientCodec c = codec(5);
        int n = 700;
        float[] big = gaussian(n + 100, 13);
        byte[] buf = new byte[c.maxEncodedSize(n) + 33];
        int len = c.encode(big, 50, n, buf, 33);
        GradientCodec d = codec(5);
        byte[] alone = encode(d, Arrays.copyOfRange(big, 50, 50 + n));
        assertThat(Arrays.copyOfRange(buf, 33, 33 + len)).isEqualTo(alone);
        float[] out = new float[n + 20];
        c.decode(buf, 33, len, out, 20, n);
        float[] ref = new float[n];
        c.decode(alone, 0, alone.length, ref, 0, n);
        assertThat(Arrays.copyOfRange(out, 20, 20 + n)).containsExactly(ref);
    }

    @Test
    void sameSeedSamePayloads() {
        GradientCodec a = codec(99);
        GradientCodec b = codec(99);
        for (int step = 0; step < 3; step++) {
            float[] v = gaussian(2000, 100 + step);
            assertThat(encode(a, v)).as("step %d", step).isEqualTo(encode(b, v));
        }
    }

    @Test
    void maxEncodedSizeBoundsEveryPayload() {
        GradientCodec c = codec(17);
        for (int n : sizes()) {
            for (float[] v : new float[][] {gaussian(n, 1), new float[n], constant(n, 3.5f), spiky(n)}) {
                byte[] buf = new byte[c.maxEncodedSize(n)];
                assertThat(c.encode(v, 0, n, buf, 0)).isLessThanOrEqualTo(buf.length);
            }
        }
    }

    @Test
    void zeroVectorDecodesToZero() {
        GradientCodec c = codec(2);
        for (int n : new int[] {1, 100, 5000}) {
            float[] v = new float[n];
            byte[] p = encode(c, v);
            float[] out = constant(n, 9f);
            c.decode(p, 0, p.length, out, 0, n);
            assertThat(out).containsOnly(0f);
        }
    }

    static float[] constant(int n, float x) {
        float[] v = new float[n];
        Arrays.fill(v, x);
        return v;
    }

    static float[] spiky(int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i += 97) {
            v[i] = (i % 2 == 0 ? 1e4f : -3e-3f) * (1 + i % 5);
        }
        return v;
    }

    // ------------------------------------------------------------------------------ rejection and fuzzing

    @Test
    void rejectsTruncatedPayloadsAtEveryLength() {
        GradientCodec c = codec(4);
        int n = 600;
        byte[] p = encode(c, gaussian(n, 4));
        float[] out = new float[n];
        for (int len = 0; len < p.length; len++) {
            int l = len;
            assertThatThrownBy(() -> c.decode(p, 0, l, out, 0, n)).as("length %d of %d", l, p.length)
                    .isInstanceOf(CodecFormatException.class).hasMessageContaining("payload");
        }
    }

    @Test
    void rejectsTrailingBytes() {
        GradientCodec c = codec(4);
        int n = 600;
        byte[] p = encode(c, gaussian(n, 4));
        byte[] longer = Arrays.copyOf(p, p.length + 3);
        Wire.seal(longer, 0, longer.length); // even with a matching checksum
        assertThatThrownBy(() -> c.decode(longer, 0, longer.length, new float[n], 0, n))
                .isInstanceOf(CodecFormatException.class);
    }

    @Test
    void rejectsWrongVersionCodecAndCount() {
        GradientCodec c = codec(4);
        int n = 300;
        byte[] p = encode(c, gaussian(n, 4));
        byte[] v2 = p.clone();
        v2[0] = 2;
        assertThatThrownBy(() -> c.decode(v2, 0, v2.length, new float[n], 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("version 2");
        byte[] other = p.clone();
        other[1] = (byte) (c.id() == CodecIds.FP32 ? CodecIds.FP16 : CodecIds.FP32);
        assertThatThrownBy(() -> c.decode(other, 0, other.length, new float[n], 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("codec id");
        assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n + 1], 0, n + 1))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("elements");
    }

    @Test
    void fuzzedPayloadsAreRejectedOrDecodeCleanly() {
        GradientCodec c = codec(8);
        SplittableRandom r = new SplittableRandom(2024);
        int n = 1000;
        byte[] good = encode(c, gaussian(n, 8));
        float[] out = new float[n];
        int rejected = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] p;
            switch (trial % 4) {
                case 0: { // random bytes with a valid header and checksum: exercises the body checks
                    p = new byte[Wire.HEADER_BYTES + r.nextInt(2 * good.length)];
                    r.nextBytes(p);
                    Wire.begin(p, 0, c.id(), n);
                    Wire.seal(p, 0, p.length);
                    break;
                }
                case 1: { // a flipped bit, checksum recomputed: exercises the body checks
                    p = good.clone();
                    int bit = Wire.HEADER_BYTES * 8 + r.nextInt((p.length - Wire.HEADER_BYTES) * 8);
                    p[bit >>> 3] ^= (byte) (1 << (bit & 7));
                    Wire.seal(p, 0, p.length);
                    break;
                }
                case 2: { // a flipped bit anywhere, checksum kept: must be rejected
                    p = good.clone();
                    int bit = r.nextInt(p.length * 8);
                    p[bit >>> 3] ^= (byte) (1 << (bit & 7));
                    byte[] q = p;
                    assertThatThrownBy(() -> c.decode(q, 0, q.length, out, 0, n))
                            .isInstanceOf(CodecFormatException.class);
                    rejected++;
                    continue;
                }
                default: { // random garbage of any length
                    p = new byte[r.nextInt(64)];
                    r.nextBytes(p);
                    break;
                }
            }
            try {
                c.decode(p, 0, p.length, out, 0, n);
            } catch (CodecFormatException e) {
                rejected++;
                assertThat(e.getMessage()).contains("payload");
            }
        }
        assertThat(rejected).isGreaterThanOrEqualTo(750);
    }
}
