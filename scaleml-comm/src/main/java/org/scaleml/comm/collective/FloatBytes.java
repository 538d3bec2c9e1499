package org.scaleml.comm.collective;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian views of {@code float}, {@code int} and {@code long} values in byte arrays, the wire encoding of
 * every collective in this package. Built on {@link MethodHandles#byteArrayViewVarHandle}, which the JIT turns into
 * plain loads and stores; nothing here allocates.
 */
final class FloatBytes {
    private static final VarHandle FLOAT = MethodHandles.byteArrayViewVarHandle(float[].class,
            ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG = MethodHandles.byteArrayViewVarHandle(long[].class,
            ByteOrder.LITTLE_ENDIAN);

    private FloatBytes() {
    }

    /** Writes {@code src[off, off + len)} as {@code 4 len} bytes at {@code dst[dstOff]}. */
    static void put(float[] src, int off, int len, byte[] dst, int dstOff) {
        for (int i = 0; i < len; i++) {
            FLOAT.set(dst, dstOff + 4 * i, src[off + i]);
        }
    }

    /** Reads {@code len} floats at {@code src[srcOff]} into {@code dst[off, off + len)}. */
    static void get(byte[] src, int srcOff, float[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            dst[off + i] = (float) FLOAT.get(src, srcOff + 4 * i);
        }
    }

    /** Adds {@code len} floats at {@code src[srcOff]} to {@code dst[off, off + len)}: {@code dst[i] = dst[i] + v}. */
    static void add(byte[] src, int srcOff, float[] dst, int off, int len) {
        for (int i = 0; i < len; i++) {
            dst[off + i] += (float) FLOAT.get(src, srcOff + 4 * i);
        }
    }

    static float getFloat(byte[] b, int p) {
        return (float) FLOAT.get(b, p);
    }

    static void putFloat(byte[] b, int p, float v) {
        FLOAT.set(b, p, v);
    }

    static int getInt(byte[] b, int p) {
        return (int) INT.get(b, p);
    }

    static void putInt(byte[] b, int p, int v) {
        INT.set(b, p, v);
    }

    static long getLong(byte[] b, int p) {
        return (long) LONG.get(b, p);
    }

    static void putLong(byte[] b, int p, long v) {
        LONG.set(b, p, v);
    }
}
