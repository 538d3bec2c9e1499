package org.scaleml.comm.collective;

import java.util.Objects;

import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.Communicator;

/**
 * The dense collectives of one rank: barrier, broadcast, allgather, reduce-scatter and sum-allreduce on
 * {@code float32} data, written once against {@link Communicator} so they run on every transport.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Calls.</b> Every rank of the communicator calls the same collectives in the same order with matching
 *       arguments (same root, same element count), as in MPI. Each call takes one
 *       {@link Communicator#newTagBlock() tag block}, so frames of different calls never mix. A call returns on a
 *       rank when that rank's part is done; it is not a barrier unless stated (only {@link #barrier()} is).</li>
 *   <li><b>Results.</b> Stated per method. Allreduce and reduce-scatter results are bitwise identical on every
 *       rank that holds them; their rounding is described on {@link Allreduce}.</li>
 *   <li><b>Failures.</b> A dead or aborting peer ({@link org.scaleml.comm.transport.PeerFailedException}), a time
 *       limit ({@link org.scaleml.comm.transport.CommTimeoutException}) or a protocol violation
 *       ({@link CommException}) inside a collective first {@link org.scaleml.comm.transport.Transport#abort aborts}
 *       this rank's transport, so that every other rank of the job fails fast instead of waiting for its time
 *       limit, then propagates as an exception of the same class whose message names the collective and the rank.
 *       After a failure the communicator is unusable (the job restarts from its last checkpoint). Arguments are
 *       checked locally before any communication ({@link IllegalArgumentException}, no abort); a mismatch between
 *       ranks (different lengths) is detected as a protocol violation.</li>
 *   <li><b>Threads.</b> Not thread-safe: one thread per rank runs the collectives of a {@code Collectives}
 *       instance (it keeps a reusable send buffer). Other instances on the same communicator may run on other
 *       threads only if the communicator's tag blocks are taken in the same order on every rank.</li>
 *   <li><b>Memory.</b> Data are converted to little-endian bytes through one send buffer kept between calls
 *       (at most one frame, {@link org.scaleml.comm.transport.Transport#maxFrameBytes()}); received frames are
 *       added or copied into the caller's array without further copies. Messages longer than the frame limit
 *       are split into frames.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * {@code P} ranks, {@code n} floats; "bytes" are payload bytes sent per rank (what
 * {@link Communicator#bytesSent()} counts).
 * <ul>
 *   <li>{@link #barrier()}: dissemination, {@code ceil(log2 P)} steps, no payload.</li>
 *   <li>{@link #broadcast(int, float[], int, int)}: binomial tree, {@code ceil(log2 P)} steps, at most
 *       {@code 4n ceil(log2 P)} bytes (the root); for messages above {@link Allreduce#AUTO_THRESHOLD_BYTES} on
 *       more than two ranks, scatter then ring allgather: {@code P} steps, about {@code 2 (P - 1) / P * 4n}
 *       bytes.</li>
 *   <li>{@link #allgather(byte[])}: ring, {@code P - 1} steps, every rank sends all blocks but its right
 *       neighbour's.</li>
 *   <li>{@link #reduceScatter(float[], int, int)}: ring, {@code P - 1} steps, {@code (P - 1) / P * 4n} bytes.</li>
 *   <li>{@link #allreduce(float[], int, int, Allreduce.Algorithm)}: see {@link Allreduce}.</li>
 * </ul>
 */
public final class Collectives {
    private final Communicator comm;
    private final Link link;

    public Collectives(Communicator comm) {
        this.comm = Objects.requireNonNull(comm, "comm");
        this.link = new Link(comm);
    }

    /** The communicator these collectives run on. */
    public Communicator communicator() {
        return comm;
    }

    /** Returns on each rank only after every rank has entered the barrier. */
    public void barrier() {
        int tag = comm.newTagBlock();
        try {
            Trees.barrier(link, tag);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "barrier", e);
        }
    }

    /** {@link #broadcast(int, float[], int, int)} of a whole array. */
    public void broadcast(int root, float[] data) {
        broadcast(root, data, 0, data.length);
    }

    /**
     * Copies the root's {@code data[off, off + len)} into every rank's {@code data[off, off + len)}; all ranks pass
     * the same {@code len}.
     */
    public void broadcast(int root, float[] data, int off, int len) {
        checkRoot(root);
        Objects.checkFromIndexSize(off, len, data.length);
        int tag = comm.newTagBlock();
        boolean large = 4L * len > Allreduce.AUTO_THRESHOLD_BYTES && comm.size() > 2;
        try {
            if (large) {
                Trees.broadcastScatterAllgather(link, tag, root, data, off, len);
            } else {
                Trees.broadcastBinomial(link, tag, root, data, off, len);
            }
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "broadcast (root " + root + ")", e);
        }
    }

    /**
     * Broadcasts the root's block of bytes: returns, on every rank, an array with the root's bytes (on the root,
     * {@code data} itself). Non-root ranks may pass {@code null}; their argument is ignored.
     */
    public byte[] broadcast(int root, byte[] data) {
        checkRoot(root);
        if (comm.rank() == root) {
            Objects.requireNonNull(data, "data at the root");
        }
        int tag = comm.newTagBlock();
        try {
            return Trees.broadcastBlock(link, tag, root, data);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "broadcast of bytes (root " + root + ")", e);
        }
    }

    /**
     * Gathers every rank's block, of any length (zero included), on every rank: entry {@code i} of the result is
     * rank {@code i}'s block (this rank's entry is {@code mine} itself).
     */
    public byte[][] allgather(byte[] mine) {
        Objects.requireNonNull(mine, "mine");
        int tag = comm.newTagBlock();
        try {
            return Ring.allgatherBlocks(link, tag, mine, mine.length);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "allgather", e);
        }
    }

    /** {@link #allgather(byte[])} of float arrays of any lengths: entry {@code i} is a copy of rank i's array. */
    public float[][] allgather(float[] mine) {
        Objects.requireNonNull(mine, "mine");
        byte[] b = new byte[4 * mine.length];
        FloatBytes.put(mine, 0, mine.length, b, 0);
        int tag = comm.newTagBlock();
        byte[][] blocks;
        try {
            blocks = Ring.allgatherBlocks(link, tag, b, b.length);
            for (int i = 0; i < blocks.length; i++) {
                if ((blocks[i].length & 3) != 0) {
                    throw Failures.protocol(i, "float block of " + blocks[i].length + " bytes");
                }
            }
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "allgather of floats", e);
        }
        float[][] out = new float[blocks.length][];
        for (int i = 0; i < blocks.length; i++) {
            out[i] = new float[blocks[i].length / 4];
            FloatBytes.get(blocks[i], 0, out[i], 0, out[i].length);
        }
        return out;
    }

    /** {@link #reduceScatter(float[], int, int)} of a whole array. */
    public void reduceScatter(float[] data) {
        reduceScatter(data, 0, data.length);
    }

    /**
     * Sum reduce-scatter, in place: every rank passes a vector of {@code len} floats; afterwards rank {@code r}'s
     * chunk {@code r} ({@code data[off + Chunks.start(len, P, r)]}, {@link Chunks#length} elements; see
     * {@link Chunks} for the rule, including {@code len < P} and {@code len = 0}) holds the element-wise sum over
     * all ranks. The rest of {@code data[off, off + len)} is used as scratch and holds partial sums afterwards.
     */
    public void reduceScatter(float[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        int tag = comm.newTagBlock();
        try {
            Ring.reduceScatter(link, tag, data, off, len);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "reduce-scatter", e);
        }
    }

    /** {@link Allreduce.Algorithm#AUTO AUTO} sum-allreduce of a whole array, in place. */
    public void allreduce(float[] data) {
        allreduce(data, 0, data.length, Allreduce.Algorithm.AUTO);
    }

    /** Sum-allreduce of a whole array, in place, with the given algorithm. */
    public void allreduce(float[] data, Allreduce.Algorithm algorithm) {
        allreduce(data, 0, data.length, algorithm);
    }

    /**
     * Sum-allreduce, in place: every rank passes {@code len} floats and ends with their element-wise sum over all
     * ranks, bitwise identical on every rank. All ranks must pass the same algorithm ({@code AUTO} decides the
     * same way everywhere).
     */
    public void allreduce(float[] data, int off, int len, Allreduce.Algorithm algorithm) {
        Objects.checkFromIndexSize(off, len, data.length);
        Allreduce.Algorithm a = algorithm == Allreduce.Algorithm.AUTO ? Allreduce.choose(len, comm.size())
                : Objects.requireNonNull(algorithm, "algorithm");
        int tag = comm.newTagBlock();
        try {
            if (a == Allreduce.Algorithm.RING) {
                Allreduce.ring(link, tag, data, off, len);
            } else {
                Allreduce.recursiveDoubling(link, tag, data, off, len);
            }
        } catch (RuntimeException e) {
            throw Failures.fail(comm, "allreduce (" + a.name().toLowerCase(java.util.Locale.ROOT)
                    .replace('_', ' ') + ")", e);
        }
    }

    private void checkRoot(int root) {
        if (root < 0 || root >= comm.size()) {
            throw new IllegalArgumentException("root " + root + " outside a job of " + comm.size() + " ranks");
        }
    }
}
