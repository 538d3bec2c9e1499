package org.scaleml.comm.codec;

/**
 * The frame shared by the bucketed fixed-width quantizers ({@code qsgd}, {@code nuqsgd}, {@code alq}, {@code amq},
 * {@code maxmin}): the input is cut into buckets of {@code bucket} elements (the last one may be shorter), each
 * bucket is scaled independently, and every element becomes one code of exactly {@code bits} bits.
 *
 * <h2>Body layout</h2>
 * <pre>
 * prefix       P bytes                 codec-wide fields (ALQ/AMQ: their levels; 0 bytes for the others)
 * headers      H * ceil(n / bucket)    per-bucket scale fields, bucket 0 first (H = 4 or 8, see each codec)
 * codes        ceil(n * bits / 8)      one code of {@code bits} bits per element, element 0 first, as one
 *                                      continuous LSB-first bit stream (element i occupies stream bits
 *                                      [i * bits, (i + 1) * bits)), not realigned at bucket boundaries; the last
 *                                      byte is zero-padded
 * </pre>
 * Body length: {@code P + H * ceil(n / bucket) + ceil(n * bits / 8)} bytes, exactly; decoders require it.
 *
 * <p>Decoding maps each code through a per-bucket table of {@code 2^bits} floats built from the bucket's header
 * (so every code value decodes to something: "level in range" holds by construction of the code width), and
 * validates the prefix and every bucket header before it writes to the destination. The decode path keeps no
 * state in the instance (its small tables, of {@code 2^bits} floats, are allocated per call), so decoding is
 * thread-safe; encoding is not (random stream, scratch, adaptive state).
 */
abstract class FixedWidthQuantizer extends AbstractCodec {
    /*
     * Implementation. Encoding goes bucket by bucket: beginBucket computes the scale and writes the header, then the
     * codes are produced in chunks of at most CHUNK elements while the data is still in L1. When the output is
     * byte-aligned and the random stream at a step boundary at the chunk start, 4-bit codecs write whole 32-bit
     * words of eight codes (quantizeWords4, through QuantKernels, which advance the stream's lanes themselves).
     * Otherwise the random stream first fills one 24-bit uniform per element (LaneRandom: two per 64-bit draw), the
     * element path (quantize) reads them, and the codes are copied as bytes (8 bits) or go through a 64-bit
     * accumulator flushed 32 bits at a time. Chunks start at even offsets of their bucket and every element uses
     * the uniform of its position, so the codes do not depend on the chunk size. Decoding mirrors this: with an
     * empty accumulator, widths 1, 2, 4 and 8 read whole words (bytes for 8) and index the table directly; other
     * widths and misaligned buckets use the accumulator.
     */
    /** Elements per chunk of a bucket (even, a multiple of 8). */
    static final int CHUNK = 2048;

    /** Bits per element code. */
    final int bits;
    /** Elements per bucket. */
    final int bucket;
    /** The encoder's random stream (stochastic rounding, sampling). */
    final LaneRandom random;

    /** Encoder scratch: the codes of one chunk. */
    private byte[] codes = new byte[0];
    /** Encoder scratch: the uniforms of one chunk. */
    private int[] uniforms = new int[0];

    FixedWidthQuantizer(int id, String spec, int bits, int bucket, long seed) {
        super(id, spec);
        this.bits = bits;
        this.bucket = bucket;
        this.random = new LaneRandom(seed);
    }

    @Override
    public final boolean isLossless() {
        return false;
    }

    /** Bytes of the codec-wide prefix. */
    int prefixBytes() {
        return 0;
    }

    /** Bytes of each bucket header. */
    abstract int headerBytes();

    /** Number of buckets for {@code n} elements. */
    final long buckets(long n) {
        return (n + bucket - 1) / bucket;
    }

    /** The exact body size for {@code n} elements. */
    final long bodySize(int n) {
        return prefixBytes() + headerBytes() * buckets(n) + Wire.bitBytes(n, bits);
    }

    @Override
    protected final long maxBodySize(int n) {
        return bodySize(n);
    }

    /** Exact: {@code 8 * (10 + P + H * ceil(n / bucket) + ceil(n * bits / 8)) / n}. */
    @Override
    public final double bitsPerElement(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative element count " + n);
        }
        return wireBitsPerElement(n, bodySize(n));
    }

    // ------------------------------------------------------------------------------------------ encode

    /**
     * Called once per encode before any bucket: writes the prefix at {@code dst[prefixOff]} (and may adapt the
     * codec to the input).
     */
    void beginEncode(float[] src, int off, int n, byte[] dst, int prefixOff) {
    }

    /**
     * Starts bucket {@code index}, {@code src[off, off + len)}: computes its scale, writes its header at
     * {@code dst[headerOff]} and keeps what {@link #quantize} needs in fields.
     */
    abstract void beginBucket(float[] src, int off, int len, int index, byte[] dst, int headerOff);

    /**
     * Writes the codes of {@code src[off, off + len)}, a part of the current bucket, into {@code codes[0, len)};
     * element {@code i} of the part rounds with the 24-bit uniform {@code u[uOff + i]}.
     */
    abstract void quantize(float[] src, int off, int len, int[] u, int uOff, byte[] codes);

    /**
     * An optional fast path for {@code bits == 4}: quantizes {@code src[off, off + len)}, a part of the current
     * bucket whose length is a multiple of 16, writing each group of eight codes as one little-endian 32-bit word
     * at {@code dst[p]}, {@code dst[p + 4]}, ..., drawing its uniforms from {@link #random} (which is at a step
     * boundary, see {@link LaneRandom#atStep}); returns the number of elements written, {@code len}, or 0 without
     * drawing if it does not apply (then {@link #quantize} runs). Must produce exactly the codes {@link #quantize}
     * would with the uniforms the stream would have given.
     */
    int quantizeWords4(float[] src, int off, int len, byte[] dst, int p) {
        return 0;
    }

    @Override
    protected final int encodeBody(float[] src, int off, int n, byte[] dst, int bodyOff) {
        beginEncode(src, off, n, dst, bodyOff);
        final int hb = headerBytes();
        final int nb = (int) buckets(n);
        final int headerOff = bodyOff + prefixBytes();
        int p = headerOff + hb * nb;
        final int b = bits;
        final int chunk = Math.min(CHUNK, Math.min(bucket, n));
        if (codes.length < chunk) {
            codes = new byte[chunk];
            uniforms = new int[chunk + 1]; // an odd part's last draw writes one uniform past it
        }
        final byte[] c = codes;
        final int[] u = uniforms;
        long acc = 0;
        int filled = 0; // bits in acc not yet written; the stream is byte-aligned at p when filled == 0
        for (int k = 0; k < nb; k++) {
            final int start = k * bucket;
            final int len = Math.min(bucket, n - start);
            beginBucket(src, off + start, len, k, dst, headerOff + k * hb);
            for (int part = 0; part < len; part += chunk) {
                final int o = off + start + part;
                final int plen = Math.min(chunk, len - part);
                int done = 0;
                if (b == 4 && filled == 0 && plen >= 16 && random.atStep()) {
                    done = quantizeWords4(src, o, plen & ~15, dst, p);
                    p += done >>> 1;
                }
                final int rest = plen - done;
                if (rest == 0) {
                    continue;
                }
                random.fillUniforms(u, 0, (rest + 1) >>> 1);
                quantize(src, o + done, rest, u, 0, c);
                if (b == 8 && filled == 0) {
                    System.arraycopy(c, 0, dst, p, rest);
                    p += rest;
                    continue;
                }
                for (int i = 0; i < rest; i++) { // a 64-bit accumulator, flushed 32 bits at a time
                    acc |= (long) (c[i] & 0xFF) << filled;
                    filled += b;
                    if (filled >= 32) {
                        Wire.putInt(dst, p, (int) acc);
                        p += 4;
                        acc >>>= 32;
                        filled -= 32;
                    }
                }
            }
        }
        while (filled > 0) {
            dst[p++] = (byte) acc;
            acc >>>= 8;
            filled -= 8;
        }
        return p;
    }

    // ------------------------------------------------------------------------------------------ decode

    /**
     * Validates the prefix at {@code src[prefixOff]} and returns the codec-wide decoding state it carries (or
     * null); throws {@link CodecFormatException} through {@link #malformed} if it is invalid.
     */
    Object readPrefix(byte[] src, int prefixOff) {
        return null;
    }

    /** Validates the header of bucket {@code index} at {@code src[headerOff]}; throws if invalid. */
    abstract void checkHeader(byte[] src, int headerOff, int index);

    /**
     * Fills {@code table[0, 2^bits)} with the value of each code in the bucket whose (valid) header is at
     * {@code src[headerOff]}; {@code prefix} is what {@link #readPrefix} returned.
     */
    abstract void decodeTable(byte[] src, int headerOff, Object prefix, float[] table);

    @Override
    protected final void decodeBody(byte[] src, int bodyOff, int bodyLen, float[] dst, int dstOff, int n,
                                    boolean add) {
        Wire.requireBodyLength(spec(), bodyLen, bodySize(n));
        final int hb = headerBytes();
        final int nb = (int) buckets(n);
        Object prefix = readPrefix(src, bodyOff);
        final int headerOff = bodyOff + prefixBytes();
        for (int k = 0; k < nb; k++) {
            checkHeader(src, headerOff + k * hb, k);
        }
        final float[] table = new float[1 << bits]; // per call: decoding stays thread-safe
        final int b = bits;
        final int mask = (1 << b) - 1;
        final int end = bodyOff + bodyLen;
        int p = headerOff + hb * nb;
        long acc = 0;
        int avail = 0;
        for (int k = 0; k < nb; k++) {
            decodeTable(src, headerOff + k * hb, prefix, table);
            int start = k * bucket;
            int len = Math.min(bucket, n - start);
            int o = dstOff + start;
            if (b == 4 && avail == 0) {
                // fast path: whole 32-bit words of eight codes. With an empty accumulator every bit read so far
                // was consumed, so the next code starts at bit 0 of src[p]; a word of eight whole codes lies
                // inside the stream whenever eight codes remain.
                int i = 0;
                if (add) {
                    for (; i + 8 <= len; i += 8, p += 4) {
                        int w = Wire.getInt(src, p);
                        dst[o + i] += table[w & 15];
                        dst[o + i + 1] += table[(w >>> 4) & 15];
                        dst[o + i + 2] += table[(w >>> 8) & 15];
                        dst[o + i + 3] += table[(w >>> 12) & 15];
                        dst[o + i + 4] += table[(w >>> 16) & 15];
                        dst[o + i + 5] += table[(w >>> 20) & 15];
                        dst[o + i + 6] += table[(w >>> 24) & 15];
                        dst[o + i + 7] += table[w >>> 28];
                    }
                } else {
                    for (; i + 8 <= len; i += 8, p += 4) {
                        int w = Wire.getInt(src, p);
                        dst[o + i] = table[w & 15];
                        dst[o + i + 1] = table[(w >>> 4) & 15];
                        dst[o + i + 2] = table[(w >>> 8) & 15];
                        dst[o + i + 3] = table[(w >>> 12) & 15];
                        dst[o + i + 4] = table[(w >>> 16) & 15];
                        dst[o + i + 5] = table[(w >>> 20) & 15];
                        dst[o + i + 6] = table[(w >>> 24) & 15];
                        dst[o + i + 7] = table[w >>> 28];
                    }
                }
                o += i;
                len -= i;
            } else if (b == 8 && avail == 0) { // one code per byte
                if (add) {
                    for (int i = 0; i < len; i++) {
                        dst[o + i] += table[src[p + i] & 0xFF];
                    }
                } else {
                    for (int i = 0; i < len; i++) {
                        dst[o + i] = table[src[p + i] & 0xFF];
                    }
                }
                p += len;
                continue;
            } else if (b <= 2 && avail == 0) { // 16 or 32 codes per word, as for 4 bits
                final int per = 32 / b;
                int i = 0;
                for (; i + per <= len; i += per, p += 4) {
                    int w = Wire.getInt(src, p);
                    for (int j = 0; j < per; j++, w >>>= b) {
                        if (add) {
                            dst[o + i + j] += table[w & mask];
                        } else {
                            dst[o + i + j] = table[w & mask];
                        }
                    }
                }
                o += i;
                len -= i;
            }
            for (int i = 0; i < len; i++) {
                if (avail < b) {
                    if (end - p >= 4) {
                        acc |= (Wire.getInt(src, p) & 0xFFFF_FFFFL) << avail;
                        p += 4;
                        avail += 32;
                    } else {
                        acc |= (src[p++] & 0xFFL) << avail;
                        avail += 8;
                    }
                }
                int code = (int) acc & mask;
                acc >>>= b;
                avail -= b;
                if (add) {
                    dst[o + i] += table[code];
                } else {
                    dst[o + i] = table[code];
                }
            }
        }
        // the zero padding of the last byte is not checked: the checksum covers it and it carries no value
    }

    // ------------------------------------------------------------------------------------------ shared helpers

    /**
     * The L2 norm of {@code src[off, off + len)} as a float no smaller than any |element|. Squares are summed in
     * double over eight independent chains, so the loop is not bound by the latency of one addition; every partial
     * sum of non-negative terms is at least each of its terms and rounding is monotone, so the rounded norm is
     * never below the largest magnitude (which unbiased rounding relies on). A norm beyond the float range is
     * clamped to {@code Float.MAX_VALUE}, which still bounds every finite element.
     *
     * @throws IllegalArgumentException naming {@code codec} if the slice holds a NaN or infinity
     */
    static float l2Norm(float[] src, int off, int len, String codec) {
        double sum = QuantKernels.get().sumOfSquares(src, off, len);
        if (!(sum < Double.POSITIVE_INFINITY)) { // NaN or infinite: only a non-finite element can cause it
            throw nonFinite(src, off, len, codec);
        }
        return (float) Math.min(Math.sqrt(sum), Float.MAX_VALUE);
    }

    /** The exception of codec {@code codec} for a non-finite element in {@code src[off, off + len)}. */
    static IllegalArgumentException nonFinite(float[] src, int off, int len, String codec) {
        for (int i = 0; i < len; i++) {
            if (!Float.isFinite(src[off + i])) {
                return new IllegalArgumentException(codec + ": cannot encode the non-finite value " + src[off + i]
                        + " at offset " + (off + i));
            }
        }
        return new IllegalArgumentException(codec + ": non-finite input");
    }
}
