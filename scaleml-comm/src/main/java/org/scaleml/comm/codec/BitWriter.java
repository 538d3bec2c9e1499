package org.scaleml.comm.codec;

/**
 * Writes a bit stream into a {@code byte[]}: each byte fills from its least significant bit, fields are written
 * least significant bit first. Not thread-safe; reusable with {@link #reset}.
 *
 * <p>Codes: {@link #writeGamma} writes an Elias gamma code in this bit order (for {@code x >= 1} with
 * {@code N = floor(log2 x)}: N zero bits, a one bit, then the N low bits of x: 2N + 1 bits, the length of the
 * classic code); {@link #writeRice} writes a Golomb-Rice code with parameter k ({@code x >>> k} zero bits, a one
 * bit, then the k low bits of x).
 */
public final class BitWriter {
    private byte[] buf;
    private int pos;
    private long acc;
    private int nbits;

    /** Starts writing at {@code buf[off]}; the caller guarantees room for everything it writes. */
    public BitWriter reset(byte[] buf, int off) {
        this.buf = buf;
        this.pos = off;
        this.acc = 0;
        this.nbits = 0;
        return this;
    }

    /** Writes the {@code bits} low bits of {@code v}, {@code 0 <= bits <= 32}. */
    public void write(long v, int bits) {
        acc |= (v & ((1L << bits) - 1)) << nbits;
        nbits += bits;
        if (nbits >= 32) {
            Wire.putInt(buf, pos, (int) acc);
            pos += 4;
            acc >>>= 32;
            nbits -= 32;
        }
    }

    /** Writes one bit. */
    public void writeBit(boolean bit) {
        write(bit ? 1 : 0, 1);
    }

    /** Writes {@code count >= 0} zero bits. */
    public void writeZeros(long count) {
        while (count > 32) {
            write(0, 32);
            count -= 32;
        }
        write(0, (int) count);
    }

    /** Elias gamma code of {@code x >= 1} (see the class comment); returns its length in bits. */
    public int writeGamma(long x) {
        int n = 63 - Long.numberOfLeadingZeros(x);
        writeZeros(n);
        write(1, 1);
        writeLong(x, n);
        return 2 * n + 1;
    }

    /** Golomb-Rice code of {@code x >= 0} with parameter {@code 0 <= k <= 62}; returns its length in bits. */
    public long writeRice(long x, int k) {
        long q = x >>> k;
        writeZeros(q);
        write(1, 1);
        writeLong(x, k);
        return q + 1 + k;
    }

    /** Writes the {@code bits} low bits of {@code v}, {@code 0 <= bits <= 64}. */
    public void writeLong(long v, int bits) {
        if (bits > 32) {
            write(v, 32);
            write(v >>> 32, bits - 32);
        } else {
            write(v, bits);
        }
    }

    /** Length in bits of the gamma code of {@code x >= 1}. */
    public static int gammaLength(long x) {
        return 2 * (63 - Long.numberOfLeadingZeros(x)) + 1;
    }

    /** Length in bits of the Rice code of {@code x >= 0} with parameter k. */
    public static long riceLength(long x, int k) {
        return (x >>> k) + 1 + k;
    }

    /** Writes the last partial byte (zero-padded) and returns the offset just past the stream. */
    public int finish() {
        while (nbits > 0) {
            buf[pos++] = (byte) acc;
            acc >>>= 8;
            nbits -= 8;
        }
        nbits = 0;
        acc = 0;
        return pos;
    }
}
