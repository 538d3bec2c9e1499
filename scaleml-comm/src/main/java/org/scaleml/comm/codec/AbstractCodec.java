package org.scaleml.comm.codec;

/**
 * The frame every codec shares: argument checks, the {@link Wire} header and checksum, and {@code decode} /
 * {@code decodeAdd} through one body decoder. Subclasses write and read only their body.
 */
public abstract class AbstractCodec implements GradientCodec {
    private final int id;
    private final String spec;

    protected AbstractCodec(int id, String spec) {
        this.id = id;
        this.spec = spec;
    }

    @Override
    public final int id() {
        return id;
    }

    @Override
    public final String spec() {
        return spec;
    }

    @Override
    public String toString() {
        return spec;
    }

    @Override
    public final int maxEncodedSize(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("negative element count " + n);
        }
        return Wire.checkedSize(Wire.HEADER_BYTES + maxBodySize(n));
    }

    /**
     * Bits per element of a payload whose body has {@code bodyBytes} bytes, header included; NaN for {@code n = 0}.
     * The {@link #bitsPerElement} of every fixed-size format.
     */
    protected static double wireBitsPerElement(int n, long bodyBytes) {
        return n == 0 ? Double.NaN : 8.0 * (Wire.HEADER_BYTES + bodyBytes) / n;
    }

    /** Largest body for {@code n >= 0} elements, in bytes. */
    protected abstract long maxBodySize(int n);

    @Override
    public final int encode(float[] src, int off, int n, byte[] dst, int dstOff) {
        Wire.checkEncodeArgs(src, off, n, dst, dstOff, maxEncodedSize(n));
        int body = Wire.begin(dst, dstOff, id, n);
        int end = encodeBody(src, off, n, dst, body);
        return Wire.seal(dst, dstOff, end);
    }

    /**
     * Writes the body for {@code src[off, off + n)} at {@code dst[bodyOff]} (room for {@link #maxBodySize} bytes is
     * guaranteed) and returns the offset just past it.
     */
    protected abstract int encodeBody(float[] src, int off, int n, byte[] dst, int bodyOff);

    @Override
    public final void decode(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
        Wire.checkDecodeArgs(src, srcOff, srcLen, dst, dstOff, n);
        int body = Wire.open(src, srcOff, srcLen, id, spec, n);
        decodeBody(src, body, srcLen - Wire.HEADER_BYTES, dst, dstOff, n, false);
    }

    @Override
    public final void decodeAdd(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
        Wire.checkDecodeArgs(src, srcOff, srcLen, dst, dstOff, n);
        int body = Wire.open(src, srcOff, srcLen, id, spec, n);
        decodeBody(src, body, srcLen - Wire.HEADER_BYTES, dst, dstOff, n, true);
    }

    /**
     * Decodes a body whose header and checksum were validated into {@code dst[dstOff, dstOff + n)}: adds if
     * {@code add}, else overwrites. Must check the body length and structure and throw
     * {@link CodecFormatException} (prefixed with {@link #spec()}) on any inconsistency.
     */
    protected abstract void decodeBody(byte[] src, int bodyOff, int bodyLen, float[] dst, int dstOff, int n,
                                       boolean add);

    /** A format error of this codec: the message is prefixed with the specification. */
    protected final CodecFormatException malformed(String what) {
        return new CodecFormatException(spec + " payload: " + what);
    }
}
