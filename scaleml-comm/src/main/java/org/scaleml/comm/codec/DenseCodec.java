package org.scaleml.comm.codec;

/**
 * Uncompressed and half-precision codecs: {@code fp32} (lossless), {@code fp16} (IEEE binary16) and {@code bf16}
 * (bfloat16), both rounded to nearest even.
 *
 * <p>Body: {@code n} values, little-endian, 4 bytes each ({@code fp32}) or 2 bytes each ({@code fp16},
 * {@code bf16}). Wire size: {@code 10 + 4n} or {@code 10 + 2n} bytes. fp16 saturates to infinity above 65504
 * and loses precision below 6.1e-5 (subnormals); bf16 keeps float's range with 8 significant bits.
 */
final class DenseCodec extends AbstractCodec {
    enum Kind { FP32, FP16, BF16 }

    private final Kind kind;
    private final int width;

    DenseCodec(Kind kind) {
        super(kind == Kind.FP32 ? CodecIds.FP32 : kind == Kind.FP16 ? CodecIds.FP16 : CodecIds.BF16,
                kind.name().toLowerCase(java.util.Locale.ROOT));
        this.kind = kind;
        this.width = kind == Kind.FP32 ? 4 : 2;
    }

    @Override
    public boolean isLossless() {
        return kind == Kind.FP32;
    }

    @Override
    protected long maxBodySize(int n) {
        return (long) width * n;
    }

    @Override
    public double bitsPerElement(int n) {
        return wireBitsPerElement(n, (long) width * n);
    }

    @Override
    protected int encodeBody(float[] src, int off, int n, byte[] dst, int p) {
        switch (kind) {
            case FP32:
                for (int i = 0; i < n; i++, p += 4) {
                    Wire.putFloat(dst, p, src[off + i]);
                }
                break;
            case FP16:
                for (int i = 0; i < n; i++, p += 2) {
                    Wire.putShort(dst, p, HalfFloats.toHalf(src[off + i]));
                }
                break;
            default:
                for (int i = 0; i < n; i++, p += 2) {
                    Wire.putShort(dst, p, HalfFloats.toBf16(src[off + i]));
                }
                break;
        }
        return p;
    }

    @Override
    protected void decodeBody(byte[] src, int p, int bodyLen, float[] dst, int dstOff, int n, boolean add) {
        Wire.requireBodyLength(spec(), bodyLen, (long) width * n);
        switch (kind) {
            case FP32:
                if (add) {
                    for (int i = 0; i < n; i++, p += 4) {
                        dst[dstOff + i] += Wire.getFloat(src, p);
                    }
                } else {
                    for (int i = 0; i < n; i++, p += 4) {
                        dst[dstOff + i] = Wire.getFloat(src, p);
                    }
                }
                break;
            case FP16:
                for (int i = 0; i < n; i++, p += 2) {
                    float v = HalfFloats.fromHalf(Wire.getShort(src, p));
                    dst[dstOff + i] = add ? dst[dstOff + i] + v : v;
                }
                break;
            default:
                for (int i = 0; i < n; i++, p += 2) {
                    float v = HalfFloats.fromBf16(Wire.getShort(src, p));
                    dst[dstOff + i] = add ? dst[dstOff + i] + v : v;
                }
                break;
        }
    }
}
