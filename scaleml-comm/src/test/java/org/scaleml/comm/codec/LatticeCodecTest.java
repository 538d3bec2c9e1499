package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.codec.QuantizerTestSupport.reseal;

import java.util.HexFormat;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LatticeCodecTest {

    /**
     * Default: 4 bits, range 8, so step 8/7 on N(0, 1) data decoded against 0. Stochastic rounding to a grid of
     * step S has variance u(1 - u) S^2 per element (u the fractional position), on average S^2 / 6 for a spread
     * input: relative error about S / sqrt(6) = 0.47; bound with margin 0.55.
     */
    @Nested
    class Cubic extends CodecContract {
        @Override
        String spec() {
            return "lattice";
        }

        @Override
        double maxRelativeError() {
            return 0.55;
        }

        @Test
        void canonicalSpecificationListsEveryParameter() {
            assertThat(codec(1).spec()).isEqualTo("lattice:bits=4,range=8,basis=cubic");
            assertThat(Codecs.create("LATTICE:step=0.25,bits=3", 1).spec())
                    .isEqualTo("lattice:bits=3,step=0.25,basis=cubic");
            assertThat(Codecs.create("lattice:basis=hadamard,block=256,range=1.5", 1).spec())
                    .isEqualTo("lattice:bits=4,range=1.5,basis=hadamard,block=256");
            assertThat(((ReferenceCodec) Codecs.create("lattice:bits=3,range=6", 1)).step()).isEqualTo(2.0);
        }

        @Test
        void rejectsBadParameters() {
            assertThatThrownBy(() -> Codecs.create("lattice:bits=1", 1)).hasMessageContaining("bits must be in [2, 16]");
            assertThatThrownBy(() -> Codecs.create("lattice:bits=17", 1)).hasMessageContaining("bits");
            assertThatThrownBy(() -> Codecs.create("lattice:range=0", 1)).hasMessageContaining("range must be in");
            assertThatThrownBy(() -> Codecs.create("lattice:step=-1", 1)).hasMessageContaining("step must be in");
            assertThatThrownBy(() -> Codecs.create("lattice:step=1,range=2", 1))
                    .hasMessageContaining("range or step, not both");
            assertThatThrownBy(() -> Codecs.create("lattice:basis=e8", 1)).hasMessageContaining("basis must be one of");
            assertThatThrownBy(() -> Codecs.create("lattice:basis=hadamard,block=100", 1))
                    .hasMessageContaining("power of two");
            assertThatThrownBy(() -> Codecs.create("lattice:block=64", 1)).hasMessageContaining("hadamard only");
            assertThatThrownBy(() -> Codecs.create("lattice:levels=3", 1)).hasMessageContaining("unknown parameter");
        }

        @Test
        void rejectsNonFiniteInput() {
            GradientCodec c = codec(1);
            float[] v = gaussian(100, 1);
            v[42] = Float.NaN;
            assertThatThrownBy(() -> encode(c, v)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("offset 42");
        }

        @Test
        void wireSizeIsBitsPerElementPlusTheHeaders() {
            for (int bits : new int[] {2, 3, 4, 8, 13, 16}) {
                GradientCodec c = Codecs.create("lattice:bits=" + bits, 1);
                for (int n : new int[] {0, 1, 7, 1000}) {
                    assertThat(encode(c, gaussian(n, n)).length).isEqualTo(10 + 24 + (n * bits + 7) / 8);
                }
            }
        }
    }

    /** Rotated blocks of 64 (and smaller tails); the error norm is that of the cubic lattice. */
    @Nested
    class Hadamard extends CodecContract {
        @Override
        String spec() {
            return "lattice:bits=4,range=8,basis=hadamard,block=64";
        }

        @Override
        double maxRelativeError() {
            return 0.55;
        }
    }

    static ReferenceCodec lattice(String spec, long seed) {
        return (ReferenceCodec) Codecs.create(spec, seed);
    }

    static byte[] encode(ReferenceCodec c, float[] v, double step) {
        byte[] buf = new byte[c.maxEncodedSize(v.length)];
        return java.util.Arrays.copyOf(buf, c.encode(v, 0, v.length, buf, 0, step));
    }

    /** x and y differ by less than the range per coordinate, with offsets far larger than the range. */
    static float[][] nearPair(int n, double range, double offset, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) (offset * (r.nextDouble() - 0.5) + r.nextDouble(-1, 1));
            y[i] = (float) (x[i] + 0.999 * range * r.nextDouble(-1, 1));
        }
        return new float[][] {x, y};
    }

    @Test
    void decodesWithinOneStepOfTheInputForEveryBitWidthWhenTheReferenceIsWithinRange() {
        for (int bits = 2; bits <= 16; bits++) {
            for (double range : new double[] {0.01, 1, 300}) {
                ReferenceCodec c = lattice("lattice:bits=" + bits + ",range=" + range, bits);
                float[][] xy = nearPair(2001, range, 1e3 * range, bits * 31L);
                byte[] p = CodecContract.encode(c, xy[0]);
                float[] out = new float[2001];
                c.decode(p, 0, p.length, xy[1], 0, out, 0, 2001);
                for (int i = 0; i < out.length; i++) {
                    assertThat(Math.abs((double) out[i] - xy[0][i])).as("bits %d range %s [%d]", bits, range, i)
                            .isLessThanOrEqualTo(c.step() * (1 + 1e-6) + Math.ulp(xy[0][i]) * 2);
                }
            }
        }
    }

    @Test
    void decodedPointIsALatticePointOfTheGivenColor() {
        ReferenceCodec c = lattice("lattice:bits=3,step=0.5", 3);
        float[] x = {0f, 0.5f, 1.25f, -3.75f, 100f};
        byte[] p = CodecContract.encode(c, x);
        float[] out = new float[x.length];
        c.decode(p, 0, p.length, x, 0, out, 0, x.length);
        for (int i = 0; i < x.length; i++) {
            double k = out[i] / 0.5;
            assertThat(k).isEqualTo(Math.rint(k));
            assertThat(Math.abs((double) out[i] - x[i])).isLessThan(0.5);
        }
        assertThat(out[0]).isEqualTo(0f);
        assertThat(out[1]).isEqualTo(0.5f); // lattice points are exact
        assertThat(out[4]).isEqualTo(100f);
    }

    @Test
    void isUnbiasedWithALargeOffset() {
        // mean of 4000 independent encodings of x decoded against a reference 2.5 steps away: within 5 sigma of x
        ReferenceCodec c = lattice("lattice:bits=4,step=0.1", 5);
        int n = 64;
        float[] x = new float[n];
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1000f + i * 0.013f;
            y[i] = x[i] + 0.25f;
        }
        double[] sum = new double[n];
        float[] out = new float[n];
        int reps = 4000;
        for (int k = 0; k < reps; k++) {
            byte[] p = CodecContract.encode(c, x);
            c.decode(p, 0, p.length, y, 0, out, 0, n);
            for (int i = 0; i < n; i++) {
                sum[i] += out[i];
            }
        }
        double sigma = 0.05 / Math.sqrt(reps); // the rounding's standard deviation is at most step / 2
        for (int i = 0; i < n; i++) {
            assertThat(sum[i] / reps).as("[%d]", i).isCloseTo(x[i], org.assertj.core.data.Offset.offset(5 * sigma
                    + 1e-4));
        }
    }

    @Test
    void errorDoesNotDependOnTheOffset() {
        for (String spec : new String[] {"lattice:bits=4,range=4", "lattice:bits=4,range=4,basis=hadamard"}) {
            double[] err = new double[3];
            double[] offsets = {0, 1e3, 1e5};
            for (int k = 0; k < offsets.length; k++) {
                ReferenceCodec c = lattice(spec, 9);
                float[] x = CodecContract.gaussian(20_000, 3);
                float[] y = CodecContract.gaussian(20_000, 4);
                for (int i = 0; i < x.length; i++) {
                    x[i] += (float) offsets[k];
                    y[i] = x[i] + 0.5f * y[i];
                }
                byte[] p = CodecContract.encode(c, x);
                float[] out = new float[x.length];
                c.decode(p, 0, p.length, y, 0, out, 0, x.length);
                double s = 0;
                for (int i = 0; i < x.length; i++) {
                    s += (out[i] - (double) x[i]) * (out[i] - (double) x[i]);
                }
                err[k] = Math.sqrt(s / x.length);
            }
            // float rounding of values near 1e5 adds at most half an ulp (0.004): the rest is the lattice's
            assertThat(err[1]).as(spec).isCloseTo(err[0], org.assertj.core.data.Offset.offset(0.05 * err[0]));
            assertThat(err[2]).as(spec).isCloseTo(err[0], org.assertj.core.data.Offset.offset(0.05 * err[0]));
            assertThat(err[0]).as(spec).isLessThan(4.0 / 7 / 2);
        }
    }

    @Test
    void aReferenceOutsideTheRangeIsDetected() {
        ReferenceCodec c = lattice("lattice:bits=4,range=7", 1); // step 1
        int n = 5000;
        float[] x = CodecContract.gaussian(n, 1);
        for (int moved : new int[] {0, 17, n - 1}) {
            float[] y = x.clone();
            y[moved] += 9f; // more than range + one step away: the decoded color is one period off
            byte[] p = CodecContract.encode(c, x);
            assertThatThrownBy(() -> c.decode(p, 0, p.length, y, 0, new float[n], 0, n))
                    .isInstanceOf(ReferenceMismatchException.class).hasMessageContaining("lattice check failed");
            // a retry with twice the step decodes
            byte[] q = encode(c, x, 2 * c.step());
            float[] out = new float[n];
            c.decode(q, 0, q.length, y, 0, out, 0, n);
            assertThat(Math.abs(out[moved] - x[moved])).isLessThan(2f);
        }
        // plain decode is reference 0
        float[] far = CodecContract.constant(10, 50f);
        byte[] p = CodecContract.encode(c, far);
        assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[10], 0, 10))
                .isInstanceOf(ReferenceMismatchException.class);
        float[] out = new float[10];
        c.decode(p, 0, p.length, CodecContract.constant(10, 49f), 0, out, 0, 10);
        assertThat(out).containsOnly(50f);
    }

    @Test
    void rotationDecodesASpikyDifferenceThatTheCubicLatticeCannot() {
        int n = 4096;
        float[] x = CodecContract.gaussian(n, 5);
        float[] y = x.clone();
        y[100] += 20f; // one coordinate 20 away, L2 distance 20: rotated, about 20 / sqrt(1024) = 0.6 per coordinate
        ReferenceCodec cubic = lattice("lattice:bits=4,range=7", 2);
        ReferenceCodec rotated = lattice("lattice:bits=4,range=7,basis=hadamard", 2);
        byte[] pc = CodecContract.encode(cubic, x);
        assertThatThrownBy(() -> cubic.decode(pc, 0, pc.length, y, 0, new float[n], 0, n))
                .isInstanceOf(ReferenceMismatchException.class);
        byte[] pr = CodecContract.encode(rotated, x);
        float[] out = new float[n];
        rotated.decode(pr, 0, pr.length, y, 0, out, 0, n);
        assertThat(CodecContract.relError(out, x)).isLessThan(0.6);
    }

    @Test
    void decodesInPlaceOverTheReferenceAndAddsExactly() {
        for (String spec : new String[] {"lattice:bits=5,range=3", "lattice:bits=5,range=3,basis=hadamard,block=32"}) {
            ReferenceCodec c = lattice(spec, 4);
            float[][] xy = nearPair(1000, 1, 10, 8);
            byte[] p = CodecContract.encode(c, xy[0]);
            float[] want = new float[1000];
            c.decode(p, 0, p.length, xy[1], 0, want, 0, 1000);
            float[] inPlace = xy[1].clone();
            c.decode(p, 0, p.length, inPlace, 0, inPlace, 0, 1000);
            assertThat(inPlace).as(spec).containsExactly(want);
            float[] acc = CodecContract.constant(1000, 2f);
            c.decodeAdd(p, 0, p.length, xy[1], 0, acc, 0, 1000);
            for (int i = 0; i < 1000; i++) {
                assertThat(acc[i]).isEqualTo(2f + want[i]);
            }
        }
    }

    /** A fixed input and seed give exactly these bytes (cubic) and this layout; a format change must show here. */
    @Test
    void wireFormatIsPinned() {
        ReferenceCodec c = lattice("lattice:bits=4,step=0.5", 7);
        float[] x = {0f, 0.5f, -0.5f, 3.0f, -4.0f, 1.25f, 0.75f};
        byte[] p = CodecContract.encode(c, x);
        String hex = HexFormat.of().formatHex(p);
        // header: version 1, id 16, n = 7, CRC32C; body: bits 4, cubic, 0, 0, step 0.5 (0x3FE0...), seed 0, check
        assertThat(hex).startsWith("011007000000");
        assertThat(hex.substring(20, 68)).isEqualTo("04000000" + "000000000000e03f" + "0000000000000000"
                + hex.substring(60, 68));
        // colors of k = 0, 1, -1, 6, -8 exactly (lattice points), then 2 or 3, then 1 or 2, LSB first
        int c5 = p[37] & 0xF;
        int c6 = (p[37] >>> 4) & 0xF;
        assertThat(p[34] & 0xFF).isEqualTo(0x10); // k0 = 0, k1 = 1
        assertThat(p[35] & 0xFF).isEqualTo(0x6F); // k2 = -1 -> 15, k3 = 6
        assertThat(p[36] & 0x0F).isEqualTo(0x8);  // k4 = -8 -> 8
        assertThat((p[36] >>> 4) & 0xF).isIn(2, 3);
        assertThat(c5).isIn(1, 2);
        assertThat(c6).isZero(); // padding
        assertThat(p.length).isEqualTo(38);
        long h = 0x243F6A8885A308D3L;
        long[] ks = {0, 1, -1, 6, -8, (p[36] >>> 4) & 0xF, c5};
        for (long k : ks) {
            h = (h ^ k) * 0x9E3779B97F4A7C15L;
        }
        assertThat(Wire.getInt(p, 30)).isEqualTo((int) (org.scaleml.common.SplitMix64.mix(h) >>> 32));
        // and the whole payload is reproducible from the seed
        assertThat(hex).isEqualTo(HexFormat.of().formatHex(CodecContract.encode(lattice("lattice:bits=4,step=0.5", 7),
                x)));
        assertThat(hex).isEqualTo("011007000000e664a971" + "04000000" + "000000000000e03f" + "0000000000000000"
                + "9cb4759b" + "106f2801");
    }

    @Test
    void rejectsBadFields() {
        ReferenceCodec c = lattice("lattice:bits=4,range=8", 1);
        int n = 300;
        byte[] good = CodecContract.encode(c, CodecContract.gaussian(n, 1));
        Object[][] cases = {{10, (byte) 5, "5 bits"}, {11, (byte) 1, "basis 1"}, {12, (byte) 3, "log2 of the block"},
                {13, (byte) 1, "reserved"}, {22, (byte) 1, "rotation seed"}};
        for (Object[] k : cases) {
            byte[] p = good.clone();
            p[(int) k[0]] = (byte) k[1];
            reseal(p);
            assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n], 0, n))
                    .isInstanceOf(CodecFormatException.class).hasMessageContaining((String) k[2]);
        }
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            byte[] p = good.clone();
            Wire.putLong(p, 14, Double.doubleToRawLongBits(bad));
            reseal(p);
            assertThatThrownBy(() -> c.decode(p, 0, p.length, new float[n], 0, n))
                    .isInstanceOf(CodecFormatException.class).hasMessageContaining("step");
        }
        byte[] odd = CodecContract.encode(lattice("lattice:bits=3,range=8", 1), CodecContract.gaussian(3, 1));
        ReferenceCodec c3 = lattice("lattice:bits=3,range=8", 1);
        odd[odd.length - 1] |= (byte) 0x80; // a padding bit (9 bits used of 16)
        reseal(odd);
        assertThatThrownBy(() -> c3.decode(odd, 0, odd.length, new float[3], 0, 3))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("padding");
        byte[] other = good.clone();
        other[1] = (byte) CodecIds.QSGD;
        assertThatThrownBy(() -> c.decode(other, 0, other.length, new float[n], 0, new float[n], 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("codec id");
    }
}
