package org.scaleml.comm.transport;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.zip.CRC32C;

import javax.crypto.Mac;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.SecretKeySpec;

/**
 * The integrity trailer of one direction of one connection ({@link FrameCodec}): computes it for the frames sent,
 * or checks it on the frames received, and counts the frames. Not thread-safe: the sending side is used under the
 * connection's write lock, the receiving side by its reader thread only.
 *
 * <p>Use: {@link #begin} with the frame's header fields, {@link #update} with its payload, then {@link #seal} (and
 * send the trailer) or {@link #verify} (against the received one); either advances the frame counter.
 */
abstract class FrameSeal {
    private final byte[] prefix = new byte[16];
    private long seq;

    /** A seal for {@code mode}; {@code key} is the direction's session key (used by {@link TcpConfig.Integrity#MAC}). */
    static FrameSeal of(TcpConfig.Integrity mode, byte[] key) {
        switch (mode) {
            case MAC: return new MacSeal(key);
            case CRC32C: return new CrcSeal();
            case NONE: return new NoSeal();
            default: throw new IllegalArgumentException("integrity " + mode);
        }
    }

    /** Bytes of the trailer. */
    abstract int trailerBytes();

    /** The number of the next frame (frames sealed or verified so far). */
    final long sequence() {
        return seq;
    }

    /** Sets the frame counter back to {@code sequence} (a frame sealed but not sent at all). */
    final void rewind(long sequence) {
        seq = sequence;
    }

    /** Starts a frame: feeds the frame counter and the header. */
    final void begin(int tag, int length) {
        if (trailerBytes() == 0) {
            return;
        }
        ByteBuffer.wrap(prefix).putLong(seq).putInt(tag).putInt(length);
        reset();
        update(prefix, 0, prefix.length);
    }

    /** Feeds payload bytes. */
    abstract void update(byte[] b, int off, int len);

    /** Writes the trailer of the frame begun into {@code dst} at 0 and counts the frame. */
    final void seal(byte[] dst) {
        finish(dst);
        seq++;
    }

    /** True if {@code received} is the trailer of the frame begun; counts the frame either way. */
    final boolean verify(byte[] received) {
        byte[] want = new byte[trailerBytes()];
        finish(want);
        seq++;
        return MessageDigest.isEqual(want, received);
    }

    abstract void reset();

    abstract void finish(byte[] dst);

    /** First 16 bytes of HMAC-SHA256 with the session key. */
    private static final class MacSeal extends FrameSeal {
        private final Mac mac;
        private final byte[] full = new byte[32];

        MacSeal(byte[] key) {
            try {
                mac = Mac.getInstance("HmacSHA256");
                mac.init(new SecretKeySpec(key, "HmacSHA256"));
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e); // required of every JDK
            }
        }

        @Override
        int trailerBytes() {
            return TcpConfig.Integrity.MAC.trailerBytes();
        }

        @Override
        void update(byte[] b, int off, int len) {
            mac.update(b, off, len);
        }

        @Override
        void reset() {
            mac.reset();
        }

        @Override
        void finish(byte[] dst) {
            try {
                mac.doFinal(full, 0);
            } catch (ShortBufferException e) {
                throw new IllegalStateException(e); // 32 bytes always fit
            }
            System.arraycopy(full, 0, dst, 0, trailerBytes());
        }
    }

    /** CRC32C, big-endian. */
    private static final class CrcSeal extends FrameSeal {
        private final CRC32C crc = new CRC32C();

        @Override
        int trailerBytes() {
            return TcpConfig.Integrity.CRC32C.trailerBytes();
        }

        @Override
        void update(byte[] b, int off, int len) {
            crc.update(b, off, len);
        }

        @Override
        void reset() {
            crc.reset();
        }

        @Override
        void finish(byte[] dst) {
            ByteBuffer.wrap(dst).putInt((int) crc.getValue());
        }
    }

    /** No trailer; frames are still counted. */
    private static final class NoSeal extends FrameSeal {
        @Override
        int trailerBytes() {
            return 0;
        }

        @Override
        void update(byte[] b, int off, int len) {
        }

        @Override
        void reset() {
        }

        @Override
        void finish(byte[] dst) {
        }
    }
}
