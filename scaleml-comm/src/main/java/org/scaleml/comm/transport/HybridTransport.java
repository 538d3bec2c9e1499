package org.scaleml.comm.transport;

import java.util.Objects;
import java.util.function.IntPredicate;

/**
 * A {@link Transport} that reaches the ranks of its own process through memory and the others over TCP: the shape of
 * a cluster of multi-core machines, where several ranks share a JVM. Copying a frame through the kernel's loopback
 * costs the cores that compute; between processes there is no other way.
 *
 * <h2>Contract</h2>
 * Everything in {@link Transport}, and:
 * <ul>
 *   <li>Frames to and from rank {@code r} go through {@code local} when {@code sameProcess.test(r)} (and for this
 *       rank itself), otherwise through {@code remote}, whose connections must cover exactly the other ranks (made by
 *       {@link TcpTransport#connect(int, java.util.List, byte[], TcpConfig, java.nio.channels.ServerSocketChannel,
 *       IntPredicate)} with the complement of {@code sameProcess}). Order per (sender, tag) is kept, as each pair
 *       uses one of the two.</li>
 *   <li>{@link #abort} and {@link #close} act on both; failures of either surface as they do there.</li>
 *   <li>{@code maxFrameBytes} is the smaller of the two limits; {@code timeoutNanos} is the remote one's.</li>
 * </ul>
 * Thread safety: as its two parts (both are thread-safe).
 */
public final class HybridTransport implements Transport {
    private final Transport local;
    private final Transport remote;
    private final IntPredicate sameProcess;
    private final int rank;

    /**
     * @param local       this rank's endpoint of a network shared with the ranks of this process (e.g.
     *                    {@link InProcessNetwork#endpoint}); same rank numbers and size as {@code remote}
     * @param remote      this rank's transport to the other ranks
     * @param sameProcess the ranks reached through {@code local}
     */
    public HybridTransport(Transport local, Transport remote, IntPredicate sameProcess) {
        this.local = Objects.requireNonNull(local, "local");
        this.remote = Objects.requireNonNull(remote, "remote");
        this.sameProcess = Objects.requireNonNull(sameProcess, "sameProcess");
        if (local.rank() != remote.rank() || local.size() != remote.size()) {
            throw new IllegalArgumentException("local is rank " + local.rank() + " of " + local.size()
                    + ", remote rank " + remote.rank() + " of " + remote.size());
        }
        this.rank = local.rank();
    }

    private Transport to(int peer) {
        return peer == rank || sameProcess.test(peer) ? local : remote;
    }

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return local.size();
    }

    @Override
    public int maxFrameBytes() {
        return Math.min(local.maxFrameBytes(), remote.maxFrameBytes());
    }

    @Override
    public long timeoutNanos() {
        return remote.timeoutNanos();
    }

    @Override
    public void send(int to, int tag, byte[] buf, int off, int len) {
        if (to < 0 || to >= size()) {
            throw new IllegalArgumentException("rank " + rank + ": no rank " + to + " in a job of " + size());
        }
        to(to).send(to, tag, buf, off, len);
    }

    @Override
    public byte[] receive(int from, int tag, long timeoutNanos) {
        if (from < 0 || from >= size()) {
            throw new IllegalArgumentException("rank " + rank + ": no rank " + from + " in a job of " + size());
        }
        return to(from).receive(from, tag, timeoutNanos);
    }

    @Override
    public void abort(String reason) {
        try {
            local.abort(reason);
        } finally {
            remote.abort(reason);
        }
    }

    @Override
    public void close() {
        try {
            local.close();
        } finally {
            remote.close();
        }
    }

    @Override
    public String toString() {
        return "hybrid rank " + rank + " of " + size() + " (memory and TCP)";
    }
}
