package org.scaleml.comm.codec;

/**
 * Reads a bit stream written by {@link BitWriter} from {@code buf[off, end)}. Every read checks the end: reading
 * past it throws {@link CodecFormatException} (a truncated or malformed payload), never an index exception.
 */
public final class BitReader {
    private byte[] buf;
    private int pos;
    private int end;
    private long acc;
    private int nbits;
    private String codec;

    /** Starts reading {@code buf[off, end)}; {@code codec} names the codec in error messages. */
    public BitReader reset(byte[] buf, int off, int end, String codec) {
        this.buf = buf;
        this.pos = off;
        this.end = end;
        this.acc = 0;
        this.nbits = 0;
        this.codec = codec;
        return this;
    }

    private void refill() {
        if (end - pos >= 4 && nbits <= 32) {
            acc |= (Wire.getInt(buf, pos) & 0xFFFF_FFFFL) << nbits;
            pos += 4;
            nbits += 32;
        }
        while (nbits <= 56 && pos < end) {
            acc |= (buf[pos++] & 0xFFL) << nbits;
            nbits += 8;
        }
    }

    /** Reads {@code 0 <= bits <= 32} bits. */
    public long read(int bits) {
        if (nbits < bits) {
            refill();
            if (nbits < bits) {
                throw new CodecFormatException(codec + " payload: truncated bit stream");
            }
        }
        long v = acc & ((1L << bits) - 1);
        acc >>>= bits;
        nbits -= bits;
        return v;
    }

    /** Reads {@code 0 <= bits <= 64} bits. */
    public long readLong(int bits) {
        if (bits > 32) {
            long lo = read(32);
            return lo | (read(bits - 32) << 32);
        }
        return read(bits);
    }

    /** Reads one bit. */
    public boolean readBit() {
        return read(1) != 0;
    }

    /** Counts zero bits up to and including the next one bit; returns the number of zeros. */
    private long readUnaryZeros() {
        long zeros = 0;
        while (true) {
            if (nbits == 0) {
                refill();
                if (nbits == 0) {
                    throw new CodecFormatException(codec + " payload: truncated bit stream (unterminated code)");
                }
            }
            if (acc == 0) {
                zeros += nbits;
                acc = 0;
                nbits = 0;
                continue;
            }
            int tz = Long.numberOfTrailingZeros(acc);
            if (tz >= nbits) { // cannot happen: bits above nbits are zero and acc != 0
                throw new IllegalStateException("bit reader state");
            }
            zeros += tz;
            acc = tz == 63 ? 0 : acc >>> (tz + 1); // a shift by 64 would be a shift by 0
            nbits -= tz + 1;
            return zeros;
        }
    }

    /** Reads an Elias gamma code (see {@link BitWriter}); the value is at least 1. */
    public long readGamma() {
        long n = readUnaryZeros();
        if (n > 62) {
            throw new CodecFormatException(codec + " payload: Elias gamma code of " + (2 * n + 1)
                    + " bits exceeds 64-bit values");
        }
        return (1L << n) | readLong((int) n);
    }

    /** Reads a Golomb-Rice code with parameter {@code k}; rejects quotients above {@code maxQuotient}. */
    public long readRice(int k, long maxQuotient) {
        long q = readUnaryZeros();
        if (q > maxQuotient) {
            throw new CodecFormatException(codec + " payload: Rice code quotient " + q + " out of range");
        }
        return (q << k) | readLong(k);
    }

    /**
     * Requires that the stream ended: at most 7 padding bits remain, all zero, and every byte was consumed.
     *
     * @throws CodecFormatException otherwise (trailing bytes or non-zero padding)
     */
    public void requireEnd() {
        if (pos != end || nbits >= 8 || acc != 0) {
            throw new CodecFormatException(codec + " payload: " + (end - pos + nbits / 8)
                    + " trailing byte(s) or non-zero padding after the bit stream");
        }
    }
}
