package org.scaleml.comm.codec;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The common payload header and little-endian field access shared by every codec.
 *
 * <h2>Wire format, version 1</h2>
 * <pre>
 * offset  size  field
 *      0     1  format version, {@value #VERSION}
 *      1     1  codec id (see {@link CodecIds})
 *      2     4  element count n, int32 little-endian, n &gt;= 0
 *      6     4  CRC32C (Castagnoli) of the body, int32 little-endian
 *     10     -  body, codec-specific (see each codec class); its length is the payload length minus 10
 * </pre>
 * All multi-byte fields of every body are little-endian; bit streams fill each byte from its least significant
 * bit (see {@link BitWriter}). A payload carries no length field: its length is the frame length the transport
 * delivered, and decoders require the body to have exactly the length their format implies.
 *
 * <p>The checksum makes a mutated payload fail loudly instead of decoding to silent garbage; it costs one pass
 * over the (compressed) body, done by the JDK's CRC32C intrinsic.
 */
public final class Wire {
    /** Current format version. */
    public static final int VERSION = 1;
    /** Header size in bytes. */
    public static final int HEADER_BYTES = 10;

    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle SHORT = MethodHandles.byteArrayViewVarHandle(short[].class,
            ByteOrder.LITTLE_ENDIAN);

    private Wire() {
    }

    // ------------------------------------------------------------------------------------------ header

    /**
     * Writes the header of a payload for {@code n} elements of codec {@code id} at {@code off} (the checksum is
     * filled in by {@link #seal}).
     *
     * @return the offset of the body
     */
    public static int begin(byte[] dst, int off, int id, int n) {
        dst[off] = (byte) VERSION;
        dst[off + 1] = (byte) id;
        putInt(dst, off + 2, n);
        putInt(dst, off + 6, 0);
        return off + HEADER_BYTES;
    }

    /**
     * Completes the payload that starts at {@code off} and whose body ends at {@code end}: computes the body's
     * checksum.
     *
     * @return the payload length, {@code end - off}
     */
    public static int seal(byte[] dst, int off, int end) {
        putInt(dst, off + 6, crc(dst, off + HEADER_BYTES, end - off - HEADER_BYTES));
        return end - off;
    }

    /**
     * Validates the header and checksum of the payload {@code src[off, off + len)} for codec {@code id} (named
     * {@code codec} in messages) and {@code n} elements.
     *
     * @return the offset of the body; its length is {@code len - HEADER_BYTES}
     * @throws CodecFormatException if the payload is shorter than a header, of another version or codec, for
     *                              another element count, or its body fails the checksum
     */
    public static int open(byte[] src, int off, int len, int id, String codec, int n) {
        if (off < 0 || len < 0 || off > src.length - len) {
            throw new IndexOutOfBoundsException("payload [" + off + ", " + off + " + " + len + ") outside an array of "
                    + src.length);
        }
        if (len < HEADER_BYTES) {
            throw new CodecFormatException(codec + " payload: truncated: " + len + " bytes, shorter than the "
                    + HEADER_BYTES + "-byte header");
        }
        int version = src[off] & 0xFF;
        if (version != VERSION) {
            throw new CodecFormatException(codec + " payload: wire format version " + version
                    + " is not supported (this build reads version " + VERSION + ")");
        }
        int got = src[off + 1] & 0xFF;
        if (got != id) {
            throw new CodecFormatException(codec + " payload: codec id " + got + " (" + CodecIds.name(got)
                    + "), expected " + id + " (" + CodecIds.name(id) + ")");
        }
        int count = getInt(src, off + 2);
        if (count != n) {
            throw new CodecFormatException(codec + " payload: holds " + count + " elements, the receiver expects "
                    + n);
        }
        int want = getInt(src, off + 6);
        int have = crc(src, off + HEADER_BYTES, len - HEADER_BYTES);
        if (want != have) {
            throw new CodecFormatException(codec + " payload: body checksum mismatch (corrupted or truncated "
                    + "payload, " + len + " bytes)");
        }
        return off + HEADER_BYTES;
    }

    /**
     * Requires a body of exactly {@code expected} bytes.
     *
     * @throws CodecFormatException naming the codec and both lengths otherwise
     */
    public static void requireBodyLength(String codec, int bodyLen, long expected) {
        if (bodyLen != expected) {
            throw new CodecFormatException(codec + " payload: body of " + bodyLen + " bytes, the format needs "
                    + expected + (bodyLen < expected ? " (truncated)" : " (trailing bytes)"));
        }
    }

    /**
     * Requires a body of at least {@code needed} bytes.
     *
     * @throws CodecFormatException otherwise
     */
    public static void requireAtLeast(String codec, int bodyLen, long needed, String what) {
        if (bodyLen < needed) {
            throw new CodecFormatException(codec + " payload: truncated: " + what + " needs " + needed
                    + " bytes, the body has " + bodyLen);
        }
    }

    /** Checks the arguments common to every {@code decode}. */
    public static void checkDecodeArgs(byte[] src, int srcOff, int srcLen, float[] dst, int dstOff, int n) {
        if (n < 0 || dstOff < 0 || dstOff > dst.length - n) {
            throw new IndexOutOfBoundsException("destination [" + dstOff + ", " + dstOff + " + " + n
                    + ") outside an array of " + dst.length);
        }
        if (srcOff < 0 || srcLen < 0 || srcOff > src.length - srcLen) {
            throw new IndexOutOfBoundsException("payload [" + srcOff + ", " + srcOff + " + " + srcLen
                    + ") outside an array of " + src.length);
        }
    }

    /** Checks the arguments common to every {@code encode}. */
    public static void checkEncodeArgs(float[] src, int off, int n, byte[] dst, int dstOff, int maxSize) {
        if (n < 0 || off < 0 || off > src.length - n) {
            throw new IndexOutOfBoundsException("source [" + off + ", " + off + " + " + n + ") outside an array of "
                    + src.length);
        }
        if (dstOff < 0 || dstOff > dst.length - maxSize) {
            throw new IndexOutOfBoundsException("destination needs " + maxSize + " bytes from " + dstOff
                    + ", the array has " + dst.length);
        }
    }

    /** {@code n * bitsPerValue / 8} rounded up, as a long (no overflow for any int n and bits <= 64). */
    public static long bitBytes(long n, int bitsPerValue) {
        return (n * bitsPerValue + 7) >>> 3;
    }

    /** Throws if a size bound does not fit an int array index. */
    public static int checkedSize(long bytes) {
        if (bytes > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("payload of " + bytes + " bytes exceeds the largest array");
        }
        return (int) bytes;
    }

    static int crc(byte[] b, int off, int len) {
        CRC32C c = new CRC32C(); // a few words; no per-element allocation
        c.update(b, off, len);
        return (int) c.getValue();
    }

    // ------------------------------------------------------------------------------------------ fields

    public static void putInt(byte[] b, int off, int v) {
        INT.set(b, off, v);
    }

    public static int getInt(byte[] b, int off) {
        return (int) INT.get(b, off);
    }

    public static void putLong(byte[] b, int off, long v) {
        LONG.set(b, off, v);
    }

    public static long getLong(byte[] b, int off) {
        return (long) LONG.get(b, off);
    }

    public static void putFloat(byte[] b, int off, float v) {
        FLOAT.set(b, off, v);
    }

    public static float getFloat(byte[] b, int off) {
        return (float) FLOAT.get(b, off);
    }

    public static void putShort(byte[] b, int off, short v) {
        SHORT.set(b, off, v);
    }

    public static short getShort(byte[] b, int off) {
        return (short) SHORT.get(b, off);
    }
}
