package org.scaleml.comm.codec;

import java.math.BigDecimal;
import java.util.Map;
import java.util.Objects;

/**
 * Lattice quantization for distributed mean estimation: {@code lattice:bits=B,range=R,basis=cubic} or
 * {@code lattice:bits=B,step=S,basis=hadamard,block=D} (defaults: {@code B = 4}, {@code range=8},
 * {@code basis=cubic}, {@code D = 1024}). Each coordinate is rounded stochastically (unbiased) to a point
 * {@code k * S} of the cubic lattice {@code S Z^n} and only its color {@code k mod 2^B} is sent, {@code B} bits per
 * element; the receiver picks the point of that color nearest to its own reference vector. With
 * {@code basis=hadamard} the same is done in a randomly rotated basis (random signs and a normalized Walsh-Hadamard
 * transform per block of {@code D} coordinates, the rotation's seed in the payload).
 *
 * <h2>Contract</h2>
 * A {@link ReferenceCodec}. Step and range: {@code range = (2^(B-1) - 1) * step}; the spec gives one of them
 * ({@code range} by default). Decoding is exact (returns the encoded lattice point) when every coordinate of
 * {@code x - ref} is below {@code range} in magnitude (for {@code hadamard}: every coordinate of the rotated
 * difference, which for a difference of L2 norm {@code r} per block is about {@code r / sqrt(D)}, at most
 * {@code r}); then the error per coordinate is below {@code step}, with variance at most {@code step^2 / 4}, whatever
 * the norm of {@code x}. Lossy and unbiased: {@code E[decode(encode(x), ref)] = x} for any such reference. A decoded
 * point that fails the payload's 32-bit check throws {@link ReferenceMismatchException} (a reference farther than
 * the range goes undetected with probability about 2^-32). Plain {@link #decode} uses the reference 0. Inputs must
 * be finite and within {@code 2^52} steps of 0 ({@link IllegalArgumentException} otherwise). Encoding is not
 * thread-safe (random stream, rotation scratch); decoding is (it allocates one block of scratch per call with
 * {@code hadamard}). No allocation per element.
 *
 * <h2>Body layout, version 1</h2>
 * <pre>
 * offset  size              field
 *      0     1              bits B, in [2, 16], equal to the decoder's
 *      1     1              basis: 0 = cubic, 1 = hadamard, equal to the decoder's
 *      2     1              log2 D for hadamard (equal to the decoder's), 0 for cubic
 *      3     1              reserved, 0
 *      4     8              step S, float64 LE, finite and &gt; 0 (may differ from the decoder's: retries)
 *     12     8              rotation seed, int64 LE; 0 for cubic
 *     20     4              check: int32 LE, 32-bit hash of the lattice point (k_0 .. k_{n-1}), see below
 *     24     ceil(n B / 8)  colors: k_i mod 2^B per element, a continuous LSB-first bit stream (element i at
 *                           stream bits [iB, iB + B)); the padding bits of the last byte are 0
 * </pre>
 * Wire size, exactly: {@code 10 + 24 + ceil(n B / 8)} bytes, i.e. {@code B} bits per element plus 34 bytes.
 * Check: {@code h = 0x243F6A8885A308D3}; for each i, {@code h = (h XOR k_i) * 0x9E3779B97F4A7C15} (int64,
 * wrapping; {@code k_i} as int64); then the splitmix64 finalizer ({@code SplitMix64.mix}) and the upper 32 bits.
 * Rotation ({@code hadamard}): the coordinates are cut into consecutive blocks, of {@code D} while at least
 * {@code D} remain, then of the largest power of two that fits; the sign of coordinate i is bit {@code i mod 64} of
 * the {@code floor(i / 64)}-th output of a {@link CodecRandom} seeded with the rotation seed (1 = negate); a block
 * {@code v} of length {@code d} is sent as {@code H (s * v) / sqrt(d)} ({@code H} the Sylvester Hadamard matrix).
 */
final class LatticeCodec extends AbstractCodec implements ReferenceCodec {
    /*
     * Algorithm ([1] P. Davies, V. Gurunanthan, N. Moshrefi, S. Ashkboos, D. Alistarh, "New Bounds for Distributed
     * Mean Estimation and Variance Reduction", ICLR 2021, arXiv 2002.09268). The paper quantizes x to a nearby point
     * z of a lattice by randomized rounding (unbiased), and sends z's "color": z modulo a coarser copy q L of the
     * lattice. A receiver holding y close to x decodes to the point of that color nearest to y. Since the colors
     * repeat every q lattice steps, the decoded point is z as soon as z is within half a period of y, so the error
     * is that of the rounding alone (order of the step), independent of |x|: it depends only on how far apart
     * the parties' inputs are, which sets the step for a given number of colors.
     *
     * Here L = S Z^n (cubic) and q = 2^B, so the color is B bits per coordinate. Encode: t = x / S,
     * k = floor(t) + [r < t - floor(t)] with r uniform (24 bits, one 64-bit draw per two coordinates), so
     * E[k S] = x. Decode with reference y: k' = c + q round((y / S - c) / q), the integer = c (mod q) nearest to
     * y / S; k' = k when |k - y/S| < q/2, which |k - x/S| < 1 guarantees once |x - y| < (q/2 - 1) S = range.
     *
     * Detection. A reference outside the range yields a k' that differs from k by a multiple of q in some
     * coordinates: wrong by at least q S - S, and silent. The payload therefore carries a 32-bit hash of
     * (k_0 .. k_{n-1}); the multiply-xor chain is a bijection of the state at every step, so a single wrong
     * coordinate always changes the 64-bit state, and the finalized 32 bits collide with probability ~2^-32. The
     * check costs 4 bytes per payload and one multiply per coordinate on each side; the DME collective uses it to
     * retry a rank with a doubled step instead of averaging garbage.
     *
     * Better lattice, where it pays: the cubic lattice needs an l-infinity bound on x - y. basis=hadamard applies
     * a random rotation (random signs, then a normalized Walsh-Hadamard transform, O(d log d) per block; the
     * "randomized Hadamard" preconditioning common in DME work, e.g. Suresh et al., ICML 2017) before the cubic
     * lattice: a difference concentrated on a few coordinates (spikes) is spread evenly, so its largest rotated
     * coordinate is about its L2 norm / sqrt(d) (times sqrt(2 ln n)), and the step can follow the L2 distance
     * instead of the largest coordinate. The rotation is orthonormal, so the error norm is unchanged. When x - y
     * is already spread (Gaussian noise), it gains nothing and costs two transforms per side; the bench reports
     * both. (Lattices with better second moments, D4 or E8, gain at most 0.3-0.65 dB of error over Z^n.)
     */
    static final int MIN_BITS = 2;
    static final int MAX_BITS = 16;
    static final int MAX_BLOCK = 1 << 16;
    static final int BODY_HEADER = 24;
    private static final long HASH_INIT = 0x243F6A8885A308D3L;
    private static final long HASH_MUL = 0x9E3779B97F4A7C15L;
    /** Largest |x / step| accepted: doubles hold every integer up to 2^53. */
    private static final double MAX_STEPS = 0x1p52;

    private final int bits;
    private final boolean hadamard;
    private final int block;
    private final int logBlock;
    private final double step;
    private final CodecRandom random;
    /** Encoder scratch for one rotated block (hadamard only). */
    private final double[] scratch;

    /**
     * @param bound the range (if {@code rangeGiven}) or the step, as the specification gives it
     */
    LatticeCodec(int bits, double bound, boolean rangeGiven, boolean hadamard, int block, long seed) {
        super(CodecIds.LATTICE, spec(bits, bound, rangeGiven, hadamard, block));
        double step = rangeGiven && bits >= MIN_BITS && bits <= MAX_BITS ? bound / ((1 << (bits - 1)) - 1)
                : bound;
        if (bits < MIN_BITS || bits > MAX_BITS) {
            throw new IllegalArgumentException("lattice: bits must be in [2, 16], got " + bits);
        }
        if (!(step > 0 && step < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("lattice: step must be finite and > 0, got " + step);
        }
        if (hadamard && (block < 2 || block > MAX_BLOCK || Integer.bitCount(block) != 1)) {
            throw new IllegalArgumentException("lattice: block must be a power of two in [2, 65536], got " + block);
        }
        this.bits = bits;
        this.hadamard = hadamard;
        this.block = hadamard ? block : 0;
        this.logBlock = hadamard ? Integer.numberOfTrailingZeros(block) : 0;
        this.step = step;
        this.random = new CodecRandom(seed);
        this.scratch = hadamard ? new double[block] : null;
    }

    private static String spec(int bits, double bound, boolean rangeGiven, boolean hadamard, int block) {
        return "lattice:bits=" + bits + "," + (rangeGiven ? "range=" : "step=") + number(bound) + ",basis=" + (hadamard ? "hadamard,block=" + block : "cubic");
    }

    /** Shortest decimal that parses back to {@code v}, without exponent or trailing zeros. */
    private static String number(double v) {
        return new BigDecimal(Double.toString(v)).stripTrailingZeros().toPlainString();
    }

    static void register(Map<String, Codecs.Entry> m) {
        Codecs.add(m, "lattice", "lattice quantization for mean estimation (Davies et al., ICLR 2021), decoded "
                        + "relative to the receiver's vector: bits=B colors per element in [2, 16] (default 4), "
                        + "range=R largest |x - reference| per coordinate that decodes (default 8) or step=S lattice "
                        + "spacing (R = (2^(B-1) - 1) S), basis=cubic|hadamard (default cubic; hadamard rotates "
                        + "blocks of block=D, a power of two, default 1024)",
                "lattice:bits=4,range=8,basis=cubic", LatticeCodec::create);
    }

    private static GradientCodec create(CodecSpec s, long seed) {
        int bits = s.intParam("bits", 4, MIN_BITS, MAX_BITS);
        if (s.has("range") && s.has("step")) {
            throw new IllegalArgumentException("'" + s + "': give range or step, not both");
        }
        boolean rangeGiven = !s.has("step");
        double bound = rangeGiven ? s.doubleParam("range", 8, Double.MIN_NORMAL, Double.MAX_VALUE)
                : s.doubleParam("step", 1, Double.MIN_NORMAL, Double.MAX_VALUE);
        if (rangeGiven) {
            s.doubleParam("step", 1, 0, 1); // marks the key as known for the message of an unknown one
        } else {
            s.doubleParam("range", 1, 0, 1);
        }
        boolean hadamard = s.choice("basis", "cubic", "cubic", "hadamard").equals("hadamard");
        int block = s.intParam("block", 1024, 2, MAX_BLOCK);
        if (Integer.bitCount(block) != 1) {
            throw new IllegalArgumentException("'" + s + "': block must be a power of two, got " + block);
        }
        if (!hadamard && s.has("block")) {
            throw new IllegalArgumentException("'" + s + "': block applies to basis=hadamard only");
        }
        return new LatticeCodec(bits, bound, rangeGiven, hadamard, block, seed);
    }

    @Override
    public boolean isLossless() {
        return false;
    }

    @Override
    public double step() {
        return step;
    }

    @Override
    public double rangeAt(double s) {
        return s * ((1 << (bits - 1)) - 1);
    }

    @Override
    protected long maxBodySize(int n) {
        return BODY_HEADER + Wire.bitBytes(n, bits);
    }

    @Override
    public double bitsPerElement(int n) {
        return wireBitsPerElement(n, maxBodySize(n));
    }

    // ------------------------------------------------------------------------------------------ encoding

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int bodyOff) {
        return encodeBody(src, off, n, dst, bodyOff, step);
    }

    @Override
    public int encode(float[] src, int off, int n, byte[] dst, int dstOff, double s) {
        if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(spec() + ": step must be finite and > 0, got " + s);
        }
        Wire.checkEncodeArgs(src, off, n, dst, dstOff, maxEncodedSize(n));
        int body = Wire.begin(dst, dstOff, id(), n);
        int end = encodeBody(src, off, n, dst, body, s);
        return Wire.seal(dst, dstOff, end);
    }

    private int encodeBody(float[] src, int off, int n, byte[] dst, int bodyOff, double s) {
        long rotSeed = hadamard ? random.nextLong() : 0L;
        dst[bodyOff] = (byte) bits;
        dst[bodyOff + 1] = (byte) (hadamard ? 1 : 0);
        dst[bodyOff + 2] = (byte) logBlock;
        dst[bodyOff + 3] = 0;
        Wire.putLong(dst, bodyOff + 4, Double.doubleToRawLongBits(s));
        Wire.putLong(dst, bodyOff + 12, rotSeed);
        Packer out = new Packer(dst, bodyOff + BODY_HEADER, bits);
        long h = HASH_INIT;
        final double inv = 1.0 / s;
        if (!hadamard) {
            h = quantize(src, off, n, inv, out, h, 0);
        } else {
            CodecRandom signs = new CodecRandom(rotSeed);
            double[] v = scratch;
            int done = 0;
            long word = 0;
            while (done < n) {
                int d = blockLength(n - done, block);
                word = signedBlock(src, off, done, d, signs, word, v);
                rotate(v, d);
                h = quantize(v, d, inv, out, h, off + done);
                done += d;
            }
        }
        int end = out.finish();
        Wire.putInt(dst, bodyOff + 20, check(h));
        return end;
    }

    /** Rounds {@code src[off, off + n)} to the lattice, writes the colors, returns the updated hash. */
    private long quantize(float[] src, int off, int n, double inv, Packer out, long h, int base) {
        final CodecRandom rnd = random;
        final long mask = (1L << bits) - 1;
        long r = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 1) == 0) {
                r = rnd.nextLong();
            }
            double t = src[off + i] * inv;
            if (!(Math.abs(t) <= MAX_STEPS)) {
                throw tooLarge(src[off + i], off + i, 1 / inv);
            }
            long k = round(t, i, r);
            h = (h ^ k) * HASH_MUL;
            out.put((int) (k & mask));
        }
        return h;
    }

    /**
     * Unbiased stochastic rounding of {@code t} to an integer, with the 24-bit uniform of element {@code i} from the
     * draw {@code r} (bits 40..63 for even i, 8..31 for odd i: one draw per pair of elements).
     */
    private static long round(double t, int i, long r) {
        double f = Math.floor(t);
        int u = (i & 1) == 0 ? (int) (r >>> 40) : (int) (r >>> 8) & 0xFF_FFFF;
        return (long) f + (u * 0x1p-24 < t - f ? 1 : 0);
    }

    /** {@link #quantize(float[], int, int, double, Packer, long, int)} of a rotated block. */
    private long quantize(double[] v, int d, double inv, Packer out, long h, int srcOff) {
        final CodecRandom rnd = random;
        final long mask = (1L << bits) - 1;
        long r = 0;
        for (int i = 0; i < d; i++) {
            if ((i & 1) == 0) {
                r = rnd.nextLong();
            }
            double t = v[i] * inv;
            if (!(Math.abs(t) <= MAX_STEPS)) {
                throw tooLarge(v[i], srcOff, 1 / inv);
            }
            long k = round(t, i, r);
            h = (h ^ k) * HASH_MUL;
            out.put((int) (k & mask));
        }
        return h;
    }

    private IllegalArgumentException tooLarge(double x, int offset, double s) {
        return new IllegalArgumentException(spec() + ": input " + x + " at offset " + offset
                + (Double.isFinite(x) ? " is more than 2^52 steps of " + s + " from 0" : " is not finite"));
    }

    static int check(long h) {
        return (int) (org.scaleml.common.SplitMix64.mix(h) >>> 32);
    }

    /** The length of the next rotation block when {@code remaining > 0} coordinates are left. */
    static int blockLength(int remaining, int block) {
        return remaining >= block ? block : Integer.highestOneBit(remaining);
    }

    /** In-place normalized Walsh-Hadamard transform of {@code v[0, d)}, d a power of two (its own inverse). */
    static void rotate(double[] v, int d) {
        for (int h = 1; h < d; h <<= 1) {
            for (int i = 0; i < d; i += h << 1) {
                for (int j = i; j < i + h; j++) {
                    double a = v[j];
                    double b = v[j + h];
                    v[j] = a + b;
                    v[j + h] = a - b;
                }
            }
        }
        double norm = 1 / Math.sqrt(d);
        for (int i = 0; i < d; i++) {
            v[i] *= norm;
        }
    }

    // ------------------------------------------------------------------------------------------ decoding

    @Override
    protected void decodeBody(byte[] src, int bodyOff, int bodyLen, float[] dst, int dstOff, int n, boolean add) {
        decodeBody(src, bodyOff, bodyLen, null, 0, dst, dstOff, n, add);
    }

    @Override
    public void decode(byte[] src, int srcOff, int srcLen, float[] ref, int refOff, float[] dst, int dstOff, int n) {
        decodeWithReference(src, srcOff, srcLen, ref, refOff, dst, dstOff, n, false);
    }

    @Override
    public void decodeAdd(byte[] src, int srcOff, int srcLen, float[] ref, int refOff, float[] dst, int dstOff,
                          int n) {
        decodeWithReference(src, srcOff, srcLen, ref, refOff, dst, dstOff, n, true);
    }

    private void decodeWithReference(byte[] src, int srcOff, int srcLen, float[] ref, int refOff, float[] dst,
                                     int dstOff, int n, boolean add) {
        Wire.checkDecodeArgs(src, srcOff, srcLen, dst, dstOff, n);
        Objects.checkFromIndexSize(refOff, n, Objects.requireNonNull(ref, "ref").length);
        int body = Wire.open(src, srcOff, srcLen, id(), spec(), n);
        decodeBody(src, body, srcLen - Wire.HEADER_BYTES, ref, refOff, dst, dstOff, n, add);
    }

    private void decodeBody(byte[] src, int bodyOff, int bodyLen, float[] ref, int refOff, float[] dst, int dstOff,
                            int n, boolean add) {
        Wire.requireBodyLength(spec(), bodyLen, maxBodySize(n));
        int b = src[bodyOff] & 0xFF;
        int basis = src[bodyOff + 1] & 0xFF;
        int lb = src[bodyOff + 2] & 0xFF;
        if (b != bits) {
            throw malformed("encoded with " + b + " bits per element, this decoder reads " + bits);
        }
        if (basis != (hadamard ? 1 : 0)) {
            throw malformed("basis " + basis + ", this decoder reads " + (hadamard ? "1 (hadamard)" : "0 (cubic)"));
        }
        if (lb != logBlock) {
            throw malformed("log2 of the block is " + lb + ", this decoder reads " + logBlock);
        }
        if (src[bodyOff + 3] != 0) {
            throw malformed("reserved byte 3 of the body is " + (src[bodyOff + 3] & 0xFF) + ", must be 0");
        }
        double s = Double.longBitsToDouble(Wire.getLong(src, bodyOff + 4));
        if (!(s > 0 && s < Double.POSITIVE_INFINITY)) {
            throw malformed("step " + s + " (must be finite and > 0)");
        }
        long rotSeed = Wire.getLong(src, bodyOff + 12);
        if (!hadamard && rotSeed != 0) {
            throw malformed("rotation seed " + rotSeed + " in a cubic payload (must be 0)");
        }
        int want = Wire.getInt(src, bodyOff + 20);
        Unpacker in = new Unpacker(src, bodyOff + BODY_HEADER, bodyOff + bodyLen, bits);
        long h = HASH_INIT;
        if (!hadamard) {
            h = decodeCubic(in, s, ref, refOff, dst, dstOff, n, add, h);
        } else {
            h = decodeRotated(in, s, rotSeed, ref, refOff, dst, dstOff, n, add, h);
        }
        if (in.leftoverBits() != 0) {
            throw malformed("padding bits of the last byte are not 0");
        }
        if (check(h) != want) {
            throw new ReferenceMismatchException(spec() + " payload: lattice check failed: the reference is too far "
                    + "from the encoded vector for step " + s + " (decoding range " + rangeAt(s)
                    + " per coordinate), or the colors were altered");
        }
    }

    private long decodeCubic(Unpacker in, double s, float[] ref, int refOff, float[] dst, int dstOff, int n,
                             boolean add, long h) {
        final double inv = 1.0 / s;
        final int q = 1 << bits;
        final double invQ = 1.0 / q;
        int i = 0;
        if (32 % bits == 0 && ref != null) { // whole codes per 32-bit word: no bit-buffer bookkeeping per element
            final int per = 32 / bits;
            final int mask = (int) ((1L << bits) - 1);
            for (; i + per <= n; i += per) {
                int word = in.word();
                for (int j = 0; j < per; j++) {
                    long c = (word >>> (j * bits)) & mask;
                    long k = c + ((long) Math.floor((ref[refOff + i + j] * inv - c) * invQ + 0.5) << bits);
                    h = (h ^ k) * HASH_MUL;
                    float v = (float) (k * s);
                    if (add) {
                        dst[dstOff + i + j] += v;
                    } else {
                        dst[dstOff + i + j] = v + 0f;
                    }
                }
            }
        }
        for (; i < n; i++) {
            long c = in.next();
            double ty = ref == null ? 0 : ref[refOff + i] * inv;
            long k = c + ((long) Math.floor((ty - c) * invQ + 0.5) << bits);
            h = (h ^ k) * HASH_MUL;
            float v = (float) (k * s);
            if (add) {
                dst[dstOff + i] += v;
            } else {
                dst[dstOff + i] = v + 0f;
            }
        }
        return h;
    }

    /**
     * Copies {@code x[off + done, off + done + d)} into {@code v} with the rotation's random signs (element i is
     * negated when bit {@code i & 63} of the stream's {@code i / 64}-th draw is set); {@code word} is the current
     * draw, returned updated.
     */
    private static long signedBlock(float[] x, int off, int done, int d, CodecRandom signs, long word, double[] v) {
        for (int j = 0; j < d; j++) {
            int i = done + j;
            if ((i & 63) == 0) {
                word = signs.nextLong();
            }
            double y = x[off + i];
            v[j] = ((word >>> (i & 63)) & 1) != 0 ? -y : y;
        }
        return word;
    }

    private long decodeRotated(Unpacker in, double s, long rotSeed, float[] ref, int refOff, float[] dst,
                               int dstOff, int n, boolean add, long h) {
        final int q = 1 << bits;
        final double invQ = 1.0 / q;
        final double inv = 1.0 / s;
        double[] v = new double[Math.min(block, Math.max(n, 1))]; // one block per call: decoding stays thread-safe
        // the signs are drawn twice per block (reference in, result out): two generators on the same seed
        CodecRandom signsIn = new CodecRandom(rotSeed);
        CodecRandom signsOut = new CodecRandom(rotSeed);
        long wordIn = 0;
        long wordOut = 0;
        int done = 0;
        while (done < n) {
            int d = blockLength(n - done, block);
            if (ref == null) {
                java.util.Arrays.fill(v, 0, d, 0.0);
            } else {
                wordIn = signedBlock(ref, refOff, done, d, signsIn, wordIn, v);
                rotate(v, d);
            }
            for (int j = 0; j < d; j++) {
                long c = in.next();
                long k = c + ((long) Math.floor((v[j] * inv - c) * invQ + 0.5) << bits);
                h = (h ^ k) * HASH_MUL;
                v[j] = k * s;
            }
            rotate(v, d);
            for (int j = 0; j < d; j++) {
                int i = done + j;
                if ((i & 63) == 0) {
                    wordOut = signsOut.nextLong();
                }
                float x = (float) (((wordOut >>> (i & 63)) & 1) != 0 ? -v[j] : v[j]);
                if (add) {
                    dst[dstOff + i] += x;
                } else {
                    dst[dstOff + i] = x + 0f;
                }
            }
            done += d;
        }
        return h;
    }

    // ------------------------------------------------------------------------------------------ bit packing

    /** Writes fixed-width values into a continuous LSB-first bit stream, 32 bits at a time. */
    private static final class Packer {
        private final byte[] dst;
        private final int width;
        private int p;
        private long acc;
        private int nb;

        Packer(byte[] dst, int off, int width) {
            this.dst = dst;
            this.p = off;
            this.width = width;
        }

        void put(int value) {
            acc |= (long) value << nb;
            nb += width;
            if (nb >= 32) {
                Wire.putInt(dst, p, (int) acc);
                p += 4;
                acc >>>= 32;
                nb -= 32;
            }
        }

        /** Flushes the last partial bytes (zero padding) and returns the offset past the stream. */
        int finish() {
            while (nb > 0) {
                dst[p++] = (byte) acc;
                acc >>>= 8;
                nb -= 8;
            }
            return p;
        }
    }

    /** Reads what {@link Packer} wrote; never reads past {@code end}. */
    private static final class Unpacker {
        private final byte[] src;
        private final int end;
        private final int width;
        private final long mask;
        private int p;
        private long acc;
        private int nb;

        Unpacker(byte[] src, int off, int end, int width) {
            this.src = src;
            this.p = off;
            this.end = end;
            this.width = width;
            this.mask = (1L << width) - 1;
        }

        long next() {
            if (nb < width) {
                if (p + 4 <= end) {
                    acc |= (Wire.getInt(src, p) & 0xFFFF_FFFFL) << nb;
                    p += 4;
                    nb += 32;
                } else {
                    while (nb < width) {
                        acc |= (src[p++] & 0xFFL) << nb;
                        nb += 8;
                    }
                }
            }
            long v = acc & mask;
            acc >>>= width;
            nb -= width;
            return v;
        }

        /** The next 32 bits (only while nothing is buffered and 4 bytes remain: widths dividing 32). */
        int word() {
            int w = Wire.getInt(src, p);
            p += 4;
            return w;
        }

        /** The bits read but not consumed, plus the unread bytes, as one value (0 for a canonical stream). */
        long leftoverBits() {
            long rest = acc;
            while (p < end) {
                rest |= src[p++];
            }
            return rest;
        }
    }
}
