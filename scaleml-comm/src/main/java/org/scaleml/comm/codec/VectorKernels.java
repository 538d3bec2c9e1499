package org.scaleml.comm.codec;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link QuantKernels} on the JDK's incubating Vector API, 512-bit vectors: sixteen elements per step. Produces
 * exactly the plain kernels' output (tests compare them on every kernel). Loaded only by reflection from
 * {@link QuantKernels} when enabled, so nothing else in the library needs the {@code jdk.incubator.vector} module.
 */
final class VectorKernels extends QuantKernels {
    /*
     * Per step of sixteen elements: one step of the random stream's eight lanes (one 512-bit vector of longs; the
     * step's draws, viewed as sixteen ints and shifted right by 8, are the sixteen uniforms in element order, see
     * LaneRandom), one 512-bit load, the fixed-point conversion (F2I), the rounding as lane-wise integer
     * operations, then packing: the sixteen 4-bit codes are narrowed to sixteen
     * bytes (I2B), viewed as two longs, and each long's eight byte-sized codes are folded into 32 bits by three
     * shift-or-mask steps (bytes 2i and 2i + 1 into one byte, then pairs of bytes, then pairs of 16-bit halves).
     * TopK's scan compares sixteen magnitude keys at once and looks at the elements only when one passes.
     */
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Long> L = LongVector.SPECIES_512;
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Float> H = FloatVector.SPECIES_256;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    private static final int STEP = 16;

    VectorKernels() {
        if (FloatVector.SPECIES_PREFERRED.vectorBitSize() < 512) {
            throw new UnsupportedOperationException("the processor's preferred vector size is "
                    + FloatVector.SPECIES_PREFERRED.vectorBitSize() + " bits; the vector kernels need 512");
        }
    }

    @Override
    String name() {
        return "vector";
    }

    @Override
    void uniforms(long[] s0, long[] s1, int[] u, int off, int steps) {
        LongVector a = LongVector.fromArray(L, s0, 0);
        LongVector b = LongVector.fromArray(L, s1, 0);
        for (int t = 0, q = off; t < steps; t++, q += 2 * LaneRandom.LANES) {
            a.add(b).reinterpretAsInts().lanewise(VectorOperators.LSHR, 8).intoArray(u, q);
            b = b.lanewise(VectorOperators.XOR, a);
            a = a.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, b)
                    .lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.LSHL, 16));
            b = b.lanewise(VectorOperators.ROL, 37);
        }
        a.intoArray(s0, 0);
        b.intoArray(s1, 0);
    }

    @Override
    int words4(int kind, float[] src, int off, int len, float k, float min, long[] s0, long[] s1, byte[] dst,
               int p) {
        LongVector a = LongVector.fromArray(L, s0, 0);
        LongVector b = LongVector.fromArray(L, s1, 0);
        for (int i = 0; i < len; i += STEP, p += 8) {
            IntVector r = a.add(b).reinterpretAsInts().lanewise(VectorOperators.LSHR, 8);
            b = b.lanewise(VectorOperators.XOR, a);
            a = a.lanewise(VectorOperators.ROL, 24).lanewise(VectorOperators.XOR, b)
                    .lanewise(VectorOperators.XOR, b.lanewise(VectorOperators.LSHL, 16));
            b = b.lanewise(VectorOperators.ROL, 37);
            FloatVector x = FloatVector.fromArray(F, src, off + i);
            store(kind == QSGD ? qsgd(x, k, r) : kind == MAXMIN ? maxmin(x, min, k, r) : nuqsgd(x, k, r), dst, p);
        }
        a.intoArray(s0, 0);
        b.intoArray(s1, 0);
        return p;
    }

    private static IntVector qsgd(FloatVector x, float k, IntVector r) {
        IntVector w = (IntVector) x.abs().mul(k).convert(VectorOperators.F2I, 0);
        IntVector level = w.lanewise(VectorOperators.LSHR, 24)
                .add(r.sub(w.and(M24)).lanewise(VectorOperators.LSHR, 31));
        return level.or(sign(x, level));
    }

    private static IntVector maxmin(FloatVector x, float min, float k, IntVector r) {
        IntVector w = (IntVector) x.sub(min).mul(k).convert(VectorOperators.F2I, 0);
        return w.lanewise(VectorOperators.LSHR, 23)
                .add(r.lanewise(VectorOperators.LSHR, 1).sub(w.and(M23)).lanewise(VectorOperators.LSHR, 31));
    }

    private static IntVector nuqsgd(FloatVector x, float inv, IntVector r) {
        FloatVector v = x.abs().mul(inv).min(1f);
        IntVector bits = v.reinterpretAsInts();
        IntVector j = bits.lanewise(VectorOperators.LSHR, 23).sub(127 - NUQ_S);
        VectorMask<Integer> upper = j.compare(VectorOperators.GT, 0);
        IntVector low = (IntVector) v.mul(0x1p30f).convert(VectorOperators.F2I, 0);
        IntVector t = low.blend(bits.and(M23).lanewise(VectorOperators.LSHL, 1), upper);
        IntVector level = j.max(0).add(r.sub(t).lanewise(VectorOperators.LSHR, 31));
        return level.or(sign(x, level));
    }

    /** Bit 3 set where x is negative and the level is not 0. */
    private static IntVector sign(FloatVector x, IntVector level) {
        return x.reinterpretAsInts().lanewise(VectorOperators.LSHR, 28).and(8)
                .and(level.neg().lanewise(VectorOperators.ASHR, 31));
    }

    @Override
    double sumOfSquares(float[] src, int off, int len) {
        DoubleVector acc = DoubleVector.zero(D);
        int i = 0;
        for (; i + 8 <= len; i += 8) { // lane j is chain j of the plain kernel: the same additions in the same order
            DoubleVector x = (DoubleVector) FloatVector.fromArray(H, src, off + i)
                    .convertShape(VectorOperators.F2D, D, 0);
            acc = acc.add(x.mul(x));
        }
        return sumOfSquaresTail(src, off + i, len - i, acc.lane(0), acc.lane(1), acc.lane(2), acc.lane(3),
                acc.lane(4), acc.lane(5), acc.lane(6), acc.lane(7));
    }

    @Override
    long range(float[] src, int off, int len) {
        if (len < 2 * STEP) {
            return super.range(src, off, len);
        }
        FloatVector mn = FloatVector.fromArray(F, src, off);
        FloatVector mx = mn;
        int i = STEP;
        for (; i + STEP <= len; i += STEP) {
            FloatVector x = FloatVector.fromArray(F, src, off + i);
            mn = mn.min(x);
            mx = mx.max(x);
        }
        float lo = mn.reduceLanes(VectorOperators.MIN);
        float hi = mx.reduceLanes(VectorOperators.MAX);
        for (; i < len; i++) {
            lo = Math.min(lo, src[off + i]);
            hi = Math.max(hi, src[off + i]);
        }
        return packRange(lo, hi);
    }

    /** Packs sixteen 4-bit codes (one per int lane) into two little-endian words at {@code dst[p]}. */
    private static void store(IntVector codes, byte[] dst, int p) {
        LongVector v = ((ByteVector) codes.convertShape(VectorOperators.I2B, B, 0)).reinterpretAsLongs();
        v = v.or(v.lanewise(VectorOperators.LSHR, 4)).and(0x00FF_00FF_00FF_00FFL);
        v = v.or(v.lanewise(VectorOperators.LSHR, 8)).and(0x0000_FFFF_0000_FFFFL);
        v = v.or(v.lanewise(VectorOperators.LSHR, 16));
        INT.set(dst, p, (int) v.lane(0));
        INT.set(dst, p + 4, (int) v.lane(1));
    }

    @Override
    int collect(float[] src, int off, int n, int lower, int cap, int[] idx, int[] bits) {
        int m = 0;
        int i = 0;
        for (; i + STEP <= n && m >= 0; i += STEP) {
            IntVector x = FloatVector.fromArray(F, src, off + i).reinterpretAsInts();
            if (x.and(MagnitudeSelector.KEY_MASK).compare(VectorOperators.GE, lower).anyTrue()) {
                m = gather(src, off, i, i + STEP, lower, cap, idx, bits, m); // rare: about one step in six at 1%
            }
        }
        return m < 0 ? m : gather(src, off, i, n, lower, cap, idx, bits, m);
    }
}
