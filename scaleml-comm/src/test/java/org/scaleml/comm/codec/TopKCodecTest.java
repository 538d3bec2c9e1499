package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Comparator;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class TopKCodecTest {

    @Nested
    class Sampled extends CodecContract {
        @Override
        String spec() {
            return "topk:ratio=0.01,select=sampled";
        }

        @Override
        double maxRelativeError() {
            // keeping the top 1% of N(0,1) keeps 2 (t phi(t) + Q(t)) = 8.45% of the energy (t = 2.576): relative
            // error sqrt(1 - 0.0845) = 0.957; with k = 10 of n = 1000 the kept share varies by about +-2%
            return 0.975;
        }
    }

    @Nested
    class Exact extends CodecContract {
        @Override
        String spec() {
            return "topk:ratio=0.01,select=exact";
        }

        @Override
        double maxRelativeError() {
            return 0.975; // as Sampled: both keep exactly the top k
        }
    }

    @Nested
    class TenPercent extends CodecContract {
        @Override
        String spec() {
            return "topk:ratio=0.1,select=sampled";
        }

        @Override
        double maxRelativeError() {
            // top 10% of N(0,1): t = 1.645, kept energy 2 (t phi(t) + Q(t)) = 43.9%, relative error 0.749
            return 0.77;
        }
    }

    // ------------------------------------------------------------------------------------ reference

    /** The top k by a full sort: magnitude descending, index ascending; returned in index order. */
    static int[] reference(float[] v, int k) {
        Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingInt(i -> Float.floatToRawIntBits(v[i]) & 0x7FFF_FFFF)
                .reversed().thenComparingInt(i -> i));
        int[] top = new int[k];
        for (int t = 0; t < k; t++) {
            top[t] = order[t];
        }
        Arrays.sort(top);
        return top;
    }

    static float[] ties(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextInt(11) - 5) * 0.25f; // 11 levels, many exact ties (and +-0)
        }
        return v;
    }

    static float[] mostlyZero(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextInt(200) == 0 ? (float) r.nextGaussian() : 0f; // 0.5% non-zero: the top 1% includes zeros
        }
        return v;
    }

    static float[] laplace(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            double u = r.nextDouble() - 0.5;
            v[i] = (float) (-Math.signum(u) * Math.log(1 - 2 * Math.abs(u)));
        }
        return v;
    }

    private static float[] decode(GradientCodec c, byte[] p, int n) {
        float[] out = new float[n];
        c.decode(p, 0, p.length, out, 0, n);
        return out;
    }

    private static void assertKeepsExactly(float[] v, float[] out, int[] top, String what) {
        float[] want = new float[v.length];
        for (int i : top) {
            want[i] = v[i];
        }
        if (!Arrays.equals(out, want)) {
            int i = 0;
            while (Float.floatToIntBits(out[i]) == Float.floatToIntBits(want[i])) {
                i++;
            }
            throw new AssertionError(what + ": element " + i + " decodes to " + out[i] + ", the top k gives "
                    + want[i]);
        }
    }

    // ------------------------------------------------------------------------------------ selection

    @Test
    void exactKeepsTheKLargestMagnitudesLowestIndexFirstOnTies() {
        for (String sel : new String[] {"exact", "sampled"}) {
            for (double ratio : new double[] {0.001, 0.01, 0.3, 1}) {
                for (int n : new int[] {1, 2, 5, 100, 1000, 5003}) {
                    for (int kind = 0; kind < 4; kind++) {
                        float[] v = kind == 0 ? CodecContract.gaussian(n, n) : kind == 1 ? ties(n, n)
                                : kind == 2 ? mostlyZero(n, n) : CodecContract.spiky(n);
                        GradientCodec c = Codecs.create("topk:ratio=" + ratio + ",select=" + sel, 3);
                        int k = TopKCodec.kFor(ratio, n);
                        float[] out = decode(c, CodecContract.encode(c, v), n);
                        assertKeepsExactly(v, out, reference(v, k),
                                sel + " ratio=" + ratio + " n=" + n + " kind=" + kind);
                    }
                }
            }
        }
    }

    @Test
    void sampledSelectionIsExactOnLargeInputsAndFallsBackOnlyOnDegenerateOnes() {
        int n = 1 << 18; // above MagnitudeSelector.SAMPLED_MIN_N: the sampled strategy samples
        TopKCodec sampled = (TopKCodec) Codecs.create("topk:ratio=0.01,select=sampled", 11);
        TopKCodec exact = (TopKCodec) Codecs.create("topk:ratio=0.01,select=exact", 11);
        int k = sampled.k(n);
        // typical data: the sample's bound holds, one pass, no fallback; and the payloads equal exact's
        for (int step = 0; step < 4; step++) {
            float[] v = step % 2 == 0 ? CodecContract.gaussian(n, 50 + step) : laplace(n, 50 + step);
            byte[] p = CodecContract.encode(sampled, v);
            assertThat(p).isEqualTo(CodecContract.encode(exact, v));
            float[] out = decode(sampled, p, n);
            assertThat(IntStream.range(0, n).filter(i -> out[i] != 0).count()).isEqualTo(k);
        }
        assertThat(sampled.selector().fallbacks()).isZero();
        // heavy ties at the threshold (11 levels) and a mostly-zero vector: still exact
        for (float[] v : new float[][] {ties(n, 7), mostlyZero(n, 8)}) {
            float[] out = decode(sampled, CodecContract.encode(sampled, v), n);
            assertKeepsExactly(v, out, reference(v, k), "sampled on degenerate data");
        }
        // the mostly-zero vector has more candidates at the (zero) bound than the buffer holds: it fell back
        assertThat(sampled.selector().fallbacks()).isGreaterThanOrEqualTo(1);
    }

    @Test
    void sampledKeepsTheSameEnergyAsExact() {
        // the brief asks for "within a stated fraction": the stated fraction is 1, both keep the same set
        int n = 300_000;
        float[] v = laplace(n, 99);
        GradientCodec s = Codecs.create("topk:ratio=0.005", 1);
        GradientCodec e = Codecs.create("topk:ratio=0.005,select=exact", 1);
        assertThat(energy(decode(s, CodecContract.encode(s, v), n)))
                .isEqualTo(energy(decode(e, CodecContract.encode(e, v), n)));
    }

    private static double energy(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return s;
    }

    @Test
    void countRoundsAsDocumented() {
        assertThat(TopKCodec.kFor(0.01, 0)).isZero();
        assertThat(TopKCodec.kFor(0.01, 1)).isEqualTo(1);
        assertThat(TopKCodec.kFor(0.01, 300)).isEqualTo(3); // 0.01 * 300 = 3.0000000000000004 in doubles
        assertThat(TopKCodec.kFor(0.01, 301)).isEqualTo(4);
        assertThat(TopKCodec.kFor(0.1, 1000)).isEqualTo(100);
        assertThat(TopKCodec.kFor(1, 77)).isEqualTo(77);
        assertThat(TopKCodec.kFor(1e-9, 1 << 30)).isEqualTo(2);
    }

    // ------------------------------------------------------------------------------------ wire size

    /** Kiely's Rice parameter, recomputed here from its formula. */
    private static int kiely(int n, int k) {
        if (k == 0 || k >= n) {
            return 0;
        }
        double phiMinus1 = (Math.sqrt(5) - 1) / 2;
        double x = Math.log(phiMinus1) / Math.log(1 - (double) k / n);
        return Math.max(0, 1 + (int) Math.floor(Math.log(x) / Math.log(2)));
    }

    private static long riceBits(int[] idx, int b) {
        long bits = 0;
        int prev = -1;
        for (int i : idx) {
            long gap = i - prev - 1;
            bits += (gap >> b) + 1 + b;
            prev = i;
        }
        return bits;
    }

    @Test
    void wireSizeIsTheSumOfTheCodeLengths() {
        for (double ratio : new double[] {0.001, 0.01, 0.05, 0.5}) {
            for (int n : new int[] {1, 10, 999, 4096, 100_000}) {
                for (int kind = 0; kind < 2; kind++) {
                    float[] v = kind == 0 ? CodecContract.gaussian(n, 5) : CodecContract.spiky(n);
                    GradientCodec c = Codecs.create("topk:ratio=" + ratio, 5);
                    byte[] p = CodecContract.encode(c, v);
                    int k = TopKCodec.kFor(ratio, n);
                    int[] top = reference(v, k);
                    int b = p[Wire.HEADER_BYTES + 4];
                    String what = "ratio=" + ratio + " n=" + n + " kind=" + kind;
                    assertThat(Wire.getInt(p, Wire.HEADER_BYTES)).as(what).isEqualTo(k);
                    assertThat(p.length).as(what).isEqualTo(10 + 5 + 4 * k + (riceBits(top, b) + 7) / 8);
                    // b is Kiely's parameter or a neighbour that codes these gaps no longer
                    int b0 = kiely(n, k);
                    assertThat(b).as(what).isBetween(Math.max(0, b0 - 1), b0 + 1);
                    assertThat(riceBits(top, b)).as(what).isLessThanOrEqualTo(riceBits(top, b0));
                    if (b0 > 0) {
                        assertThat(riceBits(top, b)).as(what).isLessThanOrEqualTo(riceBits(top, b0 - 1));
                    }
                    assertThat(riceBits(top, b)).as(what).isLessThanOrEqualTo(riceBits(top, b0 + 1));
                }
            }
        }
    }

    @Test
    void bitsPerElementIsTheSizeAtTheOperatingPoint() {
        int n = 1 << 20;
        GradientCodec c = Codecs.create("topk:ratio=0.01", 1);
        byte[] p = CodecContract.encode(c, CodecContract.gaussian(n, 3));
        double measured = 8.0 * p.length / n;
        assertThat(c.bitsPerElement(n)).isCloseTo(measured, org.assertj.core.data.Percentage.withPercentage(0.5));
        // 32-bit values plus about 8.11 index bits per kept element: 0.401 bits per element
        assertThat(c.bitsPerElement(n)).isBetween(0.400, 0.403);
        assertThat(c.bitsPerElement(0)).isNaN();
    }

    // ------------------------------------------------------------------------------------ specification

    @Test
    void specificationIsCanonicalAndValidated() {
        assertThat(Codecs.create("topk", 1).spec()).isEqualTo("topk:ratio=0.01,select=sampled");
        assertThat(Codecs.create("TopK:select=EXACT,ratio=0.10", 1).spec()).isEqualTo("topk:ratio=0.1,select=exact");
        assertThat(Codecs.create("topk:ratio=1e-4", 1).spec()).isEqualTo("topk:ratio=1.0E-4,select=sampled");
        assertThat(Codecs.create("topk:ratio=1.0E-4,select=sampled", 1).spec())
                .isEqualTo("topk:ratio=1.0E-4,select=sampled");
        assertThatThrownBy(() -> Codecs.create("topk:ratio=0", 1)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> Codecs.create("topk:ratio=1.5", 1)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> Codecs.create("topk:select=fast", 1)).hasMessageContaining("sampled, exact");
        assertThatThrownBy(() -> Codecs.create("topk:k=5", 1)).hasMessageContaining("unknown parameter k");
        Codecs.Entry e = Codecs.entries().stream().filter(x -> x.name().equals("topk")).findFirst().orElseThrow();
        assertThat(e.help()).contains("ratio", "0.01", "select", "sampled");
        assertThat(Codecs.create(e.example(), 1).spec()).isEqualTo(e.example());
    }

    // ------------------------------------------------------------------------------------ malformed payloads

    /** A topk payload for n elements written by hand: count, Rice parameter, values, gap codes. */
    static byte[] craft(int n, int k, int b, int[] gaps, int extraBytes) {
        byte[] p = new byte[10 + 5 + 4 * k + 8 * gaps.length + IntStream.of(gaps).sum() / 8 + 64 + extraBytes];
        int body = Wire.begin(p, 0, CodecIds.TOPK, n);
        Wire.putInt(p, body, k);
        p[body + 4] = (byte) b;
        for (int t = 0; t < k; t++) {
            Wire.putFloat(p, body + 5 + 4 * t, 1f);
        }
        BitWriter w = new BitWriter().reset(p, body + 5 + 4 * k);
        for (int g : gaps) {
            w.writeRice(g, b);
        }
        int end = w.finish() + extraBytes;
        Wire.seal(p, 0, end);
        return Arrays.copyOf(p, end);
    }

    @Test
    void rejectsPayloadsThatAreWellSealedButMalformed() {
        GradientCodec c = Codecs.create("topk:ratio=0.01", 1);
        int n = 300; // k = 3
        float[] out = new float[n];
        assertThat(decodeOk(c, craft(n, 3, 5, new int[] {0, 0, 297}, 0), out)).isTrue(); // indices 0, 1, 299
        assertThat(out[0]).isEqualTo(1f);
        assertThat(out[299]).isEqualTo(1f);
        assertThatThrownBy(() -> c.decode(craft(n, 4, 5, new int[] {0, 0, 0, 0}, 0), 0,
                craft(n, 4, 5, new int[] {0, 0, 0, 0}, 0).length, out, 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("holds 4 values");
        byte[] far = craft(n, 3, 5, new int[] {0, 0, 298}, 0); // third index 300 >= n
        assertThatThrownBy(() -> c.decode(far, 0, far.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                .hasMessageContaining("out of range");
        byte[] rice = craft(n, 3, 31, new int[] {}, 0);
        assertThatThrownBy(() -> c.decode(rice, 0, rice.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                .hasMessageContaining("Rice parameter 31");
        byte[] trailing = craft(n, 3, 5, new int[] {0, 0, 0}, 1);
        assertThatThrownBy(() -> c.decode(trailing, 0, trailing.length, out, 0, n))
                .isInstanceOf(CodecFormatException.class).hasMessageContaining("trailing");
        byte[] spin = craft(n, 3, 0, new int[] {0, 0, 5000}, 0); // a quotient far above the room left
        assertThatThrownBy(() -> c.decode(spin, 0, spin.length, out, 0, n)).isInstanceOf(CodecFormatException.class)
                .hasMessageContaining("quotient");
    }

    private static boolean decodeOk(GradientCodec c, byte[] p, float[] out) {
        c.decode(p, 0, p.length, out, 0, out.length);
        return true;
    }
}
