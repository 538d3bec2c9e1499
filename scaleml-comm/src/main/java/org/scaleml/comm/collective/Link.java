package org.scaleml.comm.collective;

import java.util.Arrays;

import org.scaleml.comm.transport.Communicator;

/**
 * Point-to-point moves of float ranges and byte blocks of any size over a {@link Communicator}, split into frames
 * of at most {@link org.scaleml.comm.transport.Transport#maxFrameBytes()} bytes, with one reusable send buffer.
 *
 * <p>Framing. A float range of {@code len} elements whose length both sides know goes as
 * {@code max(1, ceil(4 len / S))} frames of {@code S = 4 floor(maxFrame / 4)} bytes, the last one shorter (an empty
 * range is one empty frame); the receiver checks every frame's length. A byte block whose length the receiver does
 * not know goes as frames of exactly {@code maxFrame} bytes followed by one shorter frame (possibly empty), which
 * ends the block; in the usual case (a block below the frame limit) that is one frame. Frames of one (sender, tag)
 * arrive in order, so several ranges may follow each other on one tag. Both sides must use transports with the
 * same frame limit (a mismatch is detected as a protocol violation, never silently misread).
 *
 * <p>Not thread-safe (one send buffer); one {@code Link} per thread.
 */
final class Link {
    private static final byte[] EMPTY = new byte[0];
    /** Longest block (the largest array the JVM reliably allocates). */
    static final int MAX_BLOCK = Integer.MAX_VALUE - 8;

    final Communicator comm;
    final int rank;
    final int size;
    private final int maxFrame;
    private final int segFloats;
    private byte[] buf = EMPTY;

    Link(Communicator comm) {
        this.comm = comm;
        this.rank = comm.rank();
        this.size = comm.size();
        this.maxFrame = comm.transport().maxFrameBytes();
        if (maxFrame < 4) {
            throw new IllegalArgumentException("frame limit of " + maxFrame + " bytes is below one float");
        }
        this.segFloats = maxFrame / 4;
    }

    /** A send buffer of at least {@code n} bytes (reused; contents undefined). */
    byte[] buffer(int n) {
        if (buf.length < n) {
            buf = new byte[Math.max(n, Math.min(maxFrame, buf.length * 2))];
        }
        return buf;
    }

    /** Sends {@code a[off, off + len)} to {@code to}. */
    void sendFloats(int to, int tag, float[] a, int off, int len) {
        int done = 0;
        do {
            int k = Math.min(segFloats, len - done);
            byte[] b = buffer(4 * k);
            FloatBytes.put(a, off + done, k, b, 0);
            comm.send(to, tag, b, 0, 4 * k);
            done += k;
        } while (done < len);
    }

    /**
     * Receives the {@code len} floats {@code from} sends with {@link #sendFloats} into {@code a[off, off + len)}:
     * adds them ({@code a[i] = a[i] + v}) if {@code add}, else overwrites.
     */
    void receiveFloats(int from, int tag, float[] a, int off, int len, boolean add) {
        int done = 0;
        do {
            int k = Math.min(segFloats, len - done);
            byte[] f = comm.receive(from, tag);
            if (f.length != 4 * k) {
                throw Failures.protocol(from, "frame of " + f.length + " bytes where " + 4 * k + " (" + k
                        + " floats) were expected");
            }
            if (add) {
                FloatBytes.add(f, 0, a, off + done, k);
            } else {
                FloatBytes.get(f, 0, a, off + done, k);
            }
            done += k;
        } while (done < len);
    }

    /** Sends the block {@code b[off, off + len)} to {@code to}; the receiver need not know its length. */
    void sendBlock(int to, int tag, byte[] b, int off, int len) {
        int p = off;
        int end = off + len;
        while (end - p >= maxFrame) {
            comm.send(to, tag, b, p, maxFrame);
            p += maxFrame;
        }
        comm.send(to, tag, b, p, end - p);
    }

    /** Receives one block sent with {@link #sendBlock}; the array returned is the caller's. */
    byte[] receiveBlock(int from, int tag) {
        return restOfBlock(from, tag, comm.receive(from, tag));
    }

    /**
     * {@link #receiveBlock} if the block's first frame has already arrived (the rest, if any, is awaited with the
     * time limit); null, without waiting, if it has not.
     */
    byte[] pollBlock(int from, int tag) {
        byte[] f;
        try {
            f = comm.receive(from, tag, 0);
        } catch (org.scaleml.comm.transport.CommTimeoutException e) {
            return null;
        }
        return restOfBlock(from, tag, f);
    }

    private byte[] restOfBlock(int from, int tag, byte[] f) {
        if (f.length < maxFrame) {
            return f;
        }
        if (f.length > maxFrame) {
            throw Failures.protocol(from, "frame of " + f.length + " bytes above the limit of " + maxFrame);
        }
        byte[] all = f;
        int len = f.length;
        while (true) {
            f = comm.receive(from, tag);
            if (f.length > maxFrame) {
                throw Failures.protocol(from, "frame of " + f.length + " bytes above the limit of " + maxFrame);
            }
            if ((long) len + f.length > MAX_BLOCK) {
                throw Failures.protocol(from, "block longer than " + MAX_BLOCK + " bytes");
            }
            if (all.length - len < f.length) {
                all = Arrays.copyOf(all, (int) Math.min(MAX_BLOCK, Math.max((long) len + f.length,
                        2L * all.length)));
            }
            System.arraycopy(f, 0, all, len, f.length);
            len += f.length;
            if (f.length < maxFrame) {
                return all.length == len ? all : Arrays.copyOf(all, len);
            }
        }
    }
}
