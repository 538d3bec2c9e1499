package org.scaleml.comm.transport;

import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One authenticated TCP connection of a {@link TcpTransport} to one peer: a non-blocking {@link SocketChannel}, a
 * reader thread that parses frames ({@link FrameCodec}) into the owner's {@link Mailbox}, and deadline-bounded
 * writes under a lock. Before {@link #start} it serves the handshake ({@link #readExact}, {@link #writeExact}).
 *
 * <p>The channel is registered with two selectors: the reader's (OP_READ, used only by the reader thread or the
 * handshake) and the writers' (OP_CONNECT, then OP_WRITE, used only under {@link #writeLock}). A thread waits on a
 * selector only after a read or write made no progress, with a time limit where one applies.
 * {@link #shutdown()} closes the channel and both selectors, which wakes both waiters; it is idempotent and may
 * be called from any thread.
 *
 * <p>Liveness: the reader waits for input at most until {@link TcpConfig#livenessTimeoutNanos()} has passed since
 * the last byte arrived, then tries one more read (this JVM may have been paused itself) and, if nothing came,
 * fails the peer. A heartbeat thread per connection sends a heartbeat frame whenever nothing was sent for
 * {@link TcpConfig#heartbeatIntervalNanos()}, so a live peer always has something to read, however long its
 * application goes without calling {@code send}. Both run in threads the transport owns.
 *
 * <p>Integrity: every frame carries the trailer of the session's {@link FrameSeal}s (set by the handshake); the
 * reader acts on a frame only after its trailer checked out. *
 * <p>Size: this class stays one file above 500 lines on purpose. It is one connection's state machine: the
 * handshake I/O, the frames out, the frames in and the shutdown all use the same channel, selectors, buffers,
 * seals and stopped flag, and the shutdown path must wake whichever of them is waiting. A reader or writer class of
 * its own would have to share all of that state; the frame layout itself is already apart, in {@link FrameCodec}.
 */
final class TcpLink implements PeerAuth.Channel {
    /** The peer's reason when it sent a close frame (a normal end, logged quietly). */
    static final String CLOSED_BY_PEER = "closed its endpoint";

    private final TcpTransport owner;
    private final SocketChannel ch;
    private final Selector readSel;
    private final Selector writeSel;
    private final SelectionKey writeKey;
    private final String remote;
    private final ReentrantLock writeLock = new ReentrantLock();
    /** Outgoing copy buffer (direct, so the JDK does not copy again); guarded by writeLock. */
    private final ByteBuffer out;
    /** Incoming buffer (direct), in read mode between calls; used by the handshake, then by the reader only. */
    private final ByteBuffer in;
    private final AtomicBoolean stopped = new AtomicBoolean();
    private volatile int peer = -1;
    private volatile Thread reader;
    private volatile Thread heartbeat;
    /** Seals of the frames sent (guarded by writeLock) and received (reader only); set by the handshake. */
    private FrameSeal sendSeal;
    private FrameSeal recvSeal;
    /** Bytes of the frame being sent that went out so far; guarded by writeLock. */
    private long written;
    /** Trailer of the frame being sent; guarded by writeLock. */
    private byte[] sendTrailer;
    /** When the last whole frame went out (System.nanoTime). */
    private volatile long lastSendNanos = System.nanoTime();
    /** When the last bytes arrived; used by the reader only. */
    private long lastReceiveNanos;

    private TcpLink(TcpTransport owner, SocketChannel ch, String remote, int interest) throws IOException {
        this.owner = owner;
        this.ch = ch;
        this.remote = remote;
        Selector r = null;
        Selector w = null;
        try {
            r = Selector.open();
            w = Selector.open();
            ch.register(r, SelectionKey.OP_READ);
            this.writeKey = ch.register(w, interest);
        } catch (IOException | RuntimeException e) {
            closeQuietly(r);
            closeQuietly(w);
            throw e;
        }
        this.readSel = r;
        this.writeSel = w;
        int io = owner.config().ioBufferBytes();
        this.out = ByteBuffer.allocateDirect(io);
        this.in = ByteBuffer.allocateDirect(io);
        this.in.limit(0);
    }

    private static void configure(SocketChannel ch, TcpConfig cfg) throws IOException {
        ch.configureBlocking(false);
        ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
        ch.setOption(StandardSocketOptions.SO_KEEPALIVE, true);
        if (cfg.socketBufferBytes() > 0) {
            ch.setOption(StandardSocketOptions.SO_SNDBUF, cfg.socketBufferBytes());
            ch.setOption(StandardSocketOptions.SO_RCVBUF, cfg.socketBufferBytes());
        }
    }

    /** Wraps a freshly accepted connection; closes it on failure. */
    static TcpLink accepted(TcpTransport owner, SocketChannel ch) throws IOException {
        try {
            configure(ch, owner.config());
            return new TcpLink(owner, ch, String.valueOf(ch.getRemoteAddress()), SelectionKey.OP_WRITE);
        } catch (IOException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** Connects to {@code to} within {@code deadline}; everything opened is closed on failure. */
    static TcpLink dial(TcpTransport owner, InetSocketAddress to, long deadline) throws IOException {
        SocketChannel ch = SocketChannel.open();
        TcpLink link = null;
        try {
            configure(ch, owner.config());
            boolean done = ch.connect(to);
            link = new TcpLink(owner, ch, String.valueOf(to), done ? SelectionKey.OP_WRITE : SelectionKey.OP_CONNECT);
            while (!done) {
                link.await(link.writeSel, deadline);
                done = ch.finishConnect();
            }
            link.writeKey.interestOps(SelectionKey.OP_WRITE);
            return link;
        } catch (IOException | RuntimeException e) {
            if (link != null) {
                link.shutdown();
            } else {
                closeQuietly(ch);
            }
            throw e;
        }
    }

    /** The peer's address as text. */
    String remote() {
        return remote;
    }

    /** The peer's rank, or -1 before {@link #start}. */
    int peer() {
        return peer;
    }

    // ---------------------------------------------------------------------------------------------- handshake I/O

    /** Sets the session's frame seals; called by the handshake before {@link #start}. */
    @Override
    public void setSeals(FrameSeal send, FrameSeal receive) {
        this.sendSeal = send;
        this.recvSeal = receive;
        this.sendTrailer = new byte[send.trailerBytes()];
    }

    /** Fills {@code dst} from the connection by {@code deadline} (before {@link #start} only). */
    @Override
    public void readExact(ByteBuffer dst, long deadline) throws IOException {
        while (dst.hasRemaining()) {
            int r = ch.read(dst);
            if (r < 0) {
                throw new EOFException("end of stream from " + remote + " after " + dst.position() + " of "
                        + dst.limit() + " handshake bytes");
            }
            if (r == 0) {
                await(readSel, deadline);
            }
        }
    }

    /** Writes all of {@code src} by {@code deadline} (before {@link #start} only). */
    @Override
    public void writeExact(ByteBuffer src, long deadline) throws IOException {
        while (src.hasRemaining()) {
            if (ch.write(src) == 0) {
                await(writeSel, deadline);
            }
        }
    }

    /** Waits until {@code sel} reports readiness or {@code deadline} passes (then throws). */
    private void await(Selector sel, long deadline) throws IOException {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
            throw new SocketTimeoutException("timed out waiting for " + remote);
        }
        if (Thread.currentThread().isInterrupted()) {
            throw new ClosedByInterruptException(); // select would return at once, forever
        }
        try {
            sel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            sel.selectedKeys().clear();
        } catch (ClosedSelectorException e) {
            throw new AsynchronousCloseException();
        }
        if (stopped.get()) {
            throw new AsynchronousCloseException();
        }
    }

    // ---------------------------------------------------------------------------------------------- frames out

    /**
     * Sends a data frame by {@code deadline}. If the deadline passes after part of the frame went out, the stream
     * is no longer in step, so the connection is closed and the peer marked failed.
     */
    void sendData(int tag, byte[] buf, int off, int len, long deadline, long timeoutNanos) {
        final int self = owner.rank();
        try {
            if (!writeLock.tryLock(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                throw new CommTimeoutException("rank " + self + ": the link to rank " + peer
                        + " stayed busy (another thread sending) for " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos)
                        + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CommException("rank " + self + ": interrupted while waiting to send to rank " + peer, e);
        }
        written = 0;
        final long total = FrameCodec.HEADER_BYTES + (long) len + sendTrailer.length;
        try {
            if (stopped.get()) {
                throw sendFailure(new AsynchronousCloseException());
            }
            FrameSeal seal = sendSeal;
            seal.begin(tag, len);
            seal.update(buf, off, len);
            long seq = seal.sequence();
            seal.seal(sendTrailer);
            try {
                out.clear();
                FrameCodec.putDataHeader(out, tag, len);
                put(buf, off, len, deadline);
                put(sendTrailer, 0, sendTrailer.length, deadline);
                flush(deadline);
            } finally {
                if (written == 0) {
                    seal.rewind(seq); // nothing went out: the connection stays in step, this frame was never sent
                }
            }
            lastSendNanos = System.nanoTime();
        } catch (SocketTimeoutException e) {
            String ms = TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms";
            if (written == 0) {
                throw new CommTimeoutException("rank " + self + ": could not send to rank " + peer + " within " + ms
                        + ": its receive buffers are full (peer not reading)");
            }
            String why = "a send of " + len + " bytes (tag " + tag + ") timed out after " + ms + " with " + written
                    + " of " + total + " bytes written (peer not reading); connection closed";
            owner.peerFailed(this, why);
            shutdown();
            throw new CommTimeoutException("rank " + self + ": sending to rank " + peer + " timed out after " + ms
                    + " (" + written + " of " + total + " bytes written); the connection is closed");
        } catch (IOException e) {
            throw sendFailure(e);
        } finally {
            writeLock.unlock();
        }
    }

    /** Copies {@code b[off, off+len)} through {@code out} into the channel, counting in {@link #written}. */
    private void put(byte[] b, int off, int len, long deadline) throws IOException {
        int pos = off;
        final int end = off + len;
        while (pos < end) {
            if (!out.hasRemaining()) {
                flush(deadline);
            }
            int k = Math.min(out.remaining(), end - pos);
            out.put(b, pos, k);
            pos += k;
        }
    }

    /** Writes everything in {@code out} (write mode) to the channel and clears it, counting in {@link #written}. */
    private void flush(long deadline) throws IOException {
        out.flip();
        while (out.hasRemaining()) {
            int w = ch.write(out);
            if (w > 0) {
                written += w;
            } else {
                await(writeSel, deadline);
            }
        }
        out.clear();
    }

    private CommException sendFailure(IOException e) {
        int self = owner.rank();
        if (owner.isClosed()) {
            return new CommException("rank " + self + ": endpoint closed while sending to rank " + peer, e);
        }
        String why = owner.mailbox().failure(peer);
        if (why == null) {
            why = e instanceof ClosedByInterruptException
                    ? "connection closed because the sending thread was interrupted"
                    : "connection lost while sending: " + describe(e);
            owner.peerFailed(this, why);
            why = owner.mailbox().failure(peer);
        }
        shutdown();
        return new PeerFailedException(peer, "rank " + self + ": peer " + peer + " failed: " + why, e);
    }

    /**
     * Best effort: writes a whole control frame (header and payload; the trailer is added here) by {@code deadline}.
     * Returns false if it did not go out whole (the caller should then close the connection, which tells the peer
     * too).
     */
    boolean sendControl(byte[] frame, long deadline) {
        return sendControl(frame, deadline, 0) == Control.SENT;
    }

    /** What became of a control frame. */
    enum Control {
        /** Sent whole. */
        SENT,
        /** Not sent at all (the lock stayed busy, the link is stopped, or nothing could be written in time). */
        NOT_SENT,
        /** Partly written, or the connection failed: it is out of step and must be closed. */
        BROKEN
    }

    /**
     * Writes a control frame by {@code deadline}, waiting at most {@code lockNanos} for the write lock (0: as long
     * as the deadline allows).
     */
    private Control sendControl(byte[] frame, long deadline, long lockNanos) {
        long wait = lockNanos > 0 ? lockNanos : Math.max(0, deadline - System.nanoTime());
        try {
            if (!writeLock.tryLock(wait, TimeUnit.NANOSECONDS)) {
                return Control.NOT_SENT;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Control.NOT_SENT;
        }
        written = 0;
        try {
            if (stopped.get()) {
                return Control.NOT_SENT;
            }
            FrameSeal seal = sendSeal;
            int first = java.nio.ByteBuffer.wrap(frame).getInt(0);
            int second = java.nio.ByteBuffer.wrap(frame).getInt(4);
            seal.begin(first, second);
            seal.update(frame, FrameCodec.HEADER_BYTES, frame.length - FrameCodec.HEADER_BYTES);
            long seq = seal.sequence();
            seal.seal(sendTrailer);
            try {
                out.clear();
                out.put(frame).put(sendTrailer); // at most 1048 bytes, smaller than the buffer
                flush(deadline);
            } finally {
                if (written == 0) {
                    seal.rewind(seq);
                }
            }
            lastSendNanos = System.nanoTime();
            return Control.SENT;
        } catch (IOException e) {
            return written == 0 && !(e instanceof java.nio.channels.ClosedChannelException) && ch.isOpen()
                    ? Control.NOT_SENT : Control.BROKEN;
        } finally {
            out.clear();
            writeLock.unlock();
        }
    }

    // ---------------------------------------------------------------------------------------------- frames in

    /**
     * Starts the reader and heartbeat threads; from now on frames from {@code peerRank} go to the owner's mailbox.
     * The heartbeat thread is named {@code scaleml-tcp-r<rank>-to-r<peer>-heartbeat}.
     */
    void start(int peerRank, String threadName) {
        this.peer = peerRank;
        lastSendNanos = System.nanoTime();
        Thread t = new Thread(this::readLoop, threadName);
        t.setDaemon(true);
        reader = t;
        Thread h = new Thread(this::heartbeatLoop,
                "scaleml-tcp-r" + owner.rank() + "-to-r" + peerRank + "-heartbeat");
        h.setDaemon(true);
        heartbeat = h;
        t.start();
        h.start();
    }

    /**
     * Sends a heartbeat whenever nothing was sent for the heartbeat interval. A heartbeat waits for the write lock
     * at most one interval (a sender holding it is sending, or is stuck on a peer that does not read, which that
     * peer's silence reveals anyway); a heartbeat that cannot be written whole within the liveness timeout means
     * the peer has not read for that long: it is marked failed.
     */
    private void heartbeatLoop() {
        final TcpConfig cfg = owner.config();
        final long interval = cfg.heartbeatIntervalNanos();
        final byte[] frame = FrameCodec.heartbeatFrame();
        while (!stopped.get()) {
            long idle = System.nanoTime() - lastSendNanos;
            if (idle < interval) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, interval - idle);
                continue;
            }
            Control c = sendControl(frame, System.nanoTime() + cfg.livenessTimeoutNanos(), interval);
            if (c == Control.BROKEN && !stopped.get()) {
                owner.peerFailed(this, "could not send a heartbeat within "
                        + TimeUnit.NANOSECONDS.toMillis(cfg.livenessTimeoutNanos())
                        + " ms (the peer does not read: hung or unreachable); connection closed");
                shutdown();
            } else if (c == Control.NOT_SENT && !stopped.get()) {
                java.util.concurrent.locks.LockSupport.parkNanos(this, interval);
            }
        }
    }

    private void readLoop() {
        String reason;
        try {
            reason = readFrames();
        } catch (PeerSilentException e) {
            reason = stopped.get() ? null : e.getMessage();
        } catch (IOException | ClosedSelectorException e) {
            reason = stopped.get() ? null : "connection lost: " + describe(e);
        } catch (RuntimeException | Error e) { // e.g. OutOfMemoryError for a legal frame the heap cannot hold
            reason = stopped.get() ? null : "the reader failed: " + e;
        }
        if (reason != null) {
            owner.peerFailed(this, reason);
        }
        shutdown();
    }

    /** Reads frames until the stream ends or breaks the protocol; returns the peer's failure reason. */
    private String readFrames() throws IOException {
        final int max = owner.maxFrameBytes();
        final Mailbox box = owner.mailbox();
        final int from = peer;
        final FrameSeal seal = recvSeal;
        final byte[] trailer = new byte[seal.trailerBytes()];
        final byte[] empty = new byte[0];
        lastReceiveNanos = System.nanoTime();
        while (true) {
            if (!fill(FrameCodec.HEADER_BYTES)) {
                return in.hasRemaining()
                        ? "connection closed inside a frame header (" + in.remaining() + " of "
                                + FrameCodec.HEADER_BYTES + " bytes): truncated frame"
                        : "connection closed without a close frame (end of stream: the process died or closed"
                                + " its socket)";
            }
            int tag = in.getInt();
            int len = in.getInt();
            String bad = FrameCodec.checkHeader(tag, len, max);
            if (bad != null) {
                return "protocol error: " + bad + "; connection closed";
            }
            boolean abort = len == FrameCodec.ABORT;
            boolean bare = len == FrameCodec.CLOSE || len == FrameCodec.HEARTBEAT;
            byte[] data = bare ? empty : new byte[abort ? tag : len]; // bounded by checkHeader
            int got = readInto(data);
            if (got < data.length) {
                return "connection closed inside a" + (abort ? "n abort frame" : " frame with tag " + tag) + " ("
                        + got + " of " + data.length + " payload bytes): truncated frame";
            }
            long seq = seal.sequence();
            if (trailer.length > 0) {
                if (!fill(trailer.length)) {
                    return "connection closed inside the integrity trailer of frame " + seq + " (" + in.remaining()
                            + " of " + trailer.length + " bytes): truncated frame";
                }
                in.get(trailer);
            }
            seal.begin(tag, len);
            seal.update(data, 0, data.length);
            if (!seal.verify(trailer)) {
                return "frame " + seq + " from rank " + from + " failed its integrity check ("
                        + owner.config().integrity() + "; corrupted, forged, replayed or out of order: "
                        + (bare ? (len == FrameCodec.CLOSE ? "a close" : "a heartbeat")
                                : abort ? "an abort" : "tag " + tag + ", " + len + " bytes")
                        + "); not delivered, connection closed";
            }
            if (len == FrameCodec.CLOSE) {
                return CLOSED_BY_PEER;
            }
            if (len == FrameCodec.HEARTBEAT) {
                continue;
            }
            if (abort) {
                return "aborted: " + FrameCodec.decodeReason(data);
            }
            box.deliver(from, tag, data);
        }
    }

    /** Makes at least {@code need} bytes readable in {@code in}; false at end of stream. */
    private boolean fill(int need) throws IOException {
        while (in.remaining() < need) {
            in.compact();
            int r;
            try {
                r = readSome();
            } finally {
                in.flip();
            }
            if (r < 0) {
                return false;
            }
        }
        return true;
    }

    /** Fills {@code dst} from {@code in} and the connection; returns the bytes got (short at end of stream). */
    private int readInto(byte[] dst) throws IOException {
        int got = Math.min(dst.length, in.remaining());
        in.get(dst, 0, got);
        while (got < dst.length) {
            in.clear(); // empty here: everything buffered was consumed
            int r;
            try {
                r = readSome();
            } finally {
                in.flip();
            }
            if (r < 0) {
                return got;
            }
            int k = Math.min(dst.length - got, in.remaining());
            in.get(dst, got, k);
            got += k;
        }
        return got;
    }

    /**
     * One read of at least one byte into {@code in} (write mode); -1 at end of stream. Waits until the liveness
     * timeout has passed since the last bytes arrived, then throws {@link PeerSilentException}.
     */
    private int readSome() throws IOException {
        final long limit = owner.config().livenessTimeoutNanos();
        while (true) {
            int r = ch.read(in);
            if (r != 0) {
                if (r > 0) {
                    lastReceiveNanos = System.nanoTime();
                }
                return r;
            }
            long left = lastReceiveNanos + limit - System.nanoTime();
            if (left <= 0) {
                throw new PeerSilentException(limit); // after a read that found nothing, even if we were paused
            }
            readSel.select(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)));
            readSel.selectedKeys().clear();
            if (stopped.get()) {
                throw new AsynchronousCloseException();
            }
        }
    }

    /** Nothing arrived from the peer for the liveness timeout. */
    private static final class PeerSilentException extends IOException {
        private static final long serialVersionUID = 1L;

        PeerSilentException(long limitNanos) {
            super("no frame or heartbeat for " + seconds(limitNanos) + " (liveness timeout): the peer is hung,"
                    + " stopped or unreachable; connection closed");
        }

        private static String seconds(long nanos) {
            long ms = TimeUnit.NANOSECONDS.toMillis(nanos);
            return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
        }
    }

    // ---------------------------------------------------------------------------------------------- shutdown

    /**
     * Ends a refused handshake so that the refusal reaches the peer: sends FIN, reads and discards what the peer
     * still sends (at most 64 KiB, until {@code lingerNanos} pass), then shuts down. Closing at once with unread
     * input would make the kernel send a reset, which can destroy the refusal before the peer reads it.
     */
    void closeAfterRefusal(long lingerNanos) {
        long deadline = System.nanoTime() + lingerNanos;
        try {
            ch.shutdownOutput();
            ByteBuffer sink = ByteBuffer.allocate(4096);
            for (int total = 0; total < (64 << 10);) {
                sink.clear();
                int r = ch.read(sink);
                if (r < 0) {
                    break;
                }
                if (r == 0) {
                    await(readSel, deadline);
                }
                total += r;
            }
        } catch (IOException e) {
            // the linger ended or the peer went away: close regardless
        } finally {
            shutdown();
        }
    }

    /** Closes the channel and both selectors, waking the reader and any writer; idempotent. */
    void shutdown() {
        if (!stopped.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(ch);
        closeQuietly(readSel); // wakes the reader; its next select or read fails and it exits quietly
        closeQuietly(writeSel); // wakes a writer waiting in select
        Thread h = heartbeat;
        if (h != null) {
            java.util.concurrent.locks.LockSupport.unpark(h);
        }
    }

    /** Waits up to {@code millis} for the reader and heartbeat threads to end; true if they have (or never started). */
    boolean joinReader(long millis) {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        boolean done = true;
        for (Thread t : new Thread[] {reader, heartbeat}) {
            if (t == null || t == Thread.currentThread()) {
                continue;
            }
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            done &= !t.isAlive();
        }
        return done;
    }

    static String describe(Throwable e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing useful to do
        }
    }

    @Override
    public String toString() {
        return "TcpLink[rank " + owner.rank() + " - rank " + peer + " at " + remote + "]";
    }
}
