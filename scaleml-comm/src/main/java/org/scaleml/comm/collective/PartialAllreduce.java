package org.scaleml.comm.collective;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.CommTimeoutException;
import org.scaleml.comm.transport.Communicator;

/**
 * Partial sum-allreduce for unbalanced workloads, after Li et al. [1]: a round completes without waiting for
 * every rank; the contributions of ranks that miss it are not lost but folded into the next round.
 *
 * <h2>Protocol</h2>
 * Rank 0 hosts a <em>coordinator</em> (background threads owned by this object) that runs the rounds
 * {@code 0, 1, 2, ...}. A call of {@link #allreduce} is a rank's contribution to the round of the same index as
 * the call (its {@code t}-th call contributes to round {@code t}): the rank sends its vector to the coordinator
 * and waits for the result of round {@code t}. The coordinator adds every contribution it receives into the round
 * that is open when it arrives, whatever round it was meant for, and closes the open round {@code t} when
 * <ul>
 *   <li>all {@code P} ranks have contributed to round {@code t} itself ("fresh" contributions); or</li>
 *   <li>the round was <em>triggered</em> and its deadline passed. The round is triggered when its fresh
 *       contributions reach the quorum: 1 for {@link Mode#SOLO} (the first rank to arrive triggers it), and
 *       {@code floor(P/2) + 1} for {@link Mode#MAJORITY}; the deadline is the trigger time plus the
 *       {@code window} given at construction ({@link Duration#ZERO}: close at the trigger).</li>
 * </ul>
 * It then sends every rank the round's sum and the list of contributions it holds, and opens the next round.
 * The coordinator runs on its own threads, so rank 0's caller being slow delays only rank 0's own contributions,
 * like any other rank's.
 *
 * <h2>What each rank gets</h2>
 * <ul>
 *   <li>Call {@code t} on every rank returns round {@code t}'s result, identical on every rank: in
 *       {@code data}, the sum of exactly the contributions listed in the returned {@link Round} (the fresh ones
 *       for round {@code t} and late ones meant for earlier rounds), added in the coordinator's arrival order.</li>
 *   <li>A rank that arrives after round {@code t} closed (a straggler) still gets round {@code t}'s result (it
 *       was waiting in its mailbox), which does not include its own contribution; that contribution is counted in
 *       the round open when it arrives, {@code t + 1} or later, listed there as ({@code rank}, {@code t}).</li>
 *   <li>Nothing is lost or counted twice: every contribution is in exactly one round's sum. Call
 *       {@link #flush} on every rank at the end (e.g. of an epoch): it waits for every rank (no quorum, no
 *       deadline), and its result holds every contribution not yet counted, so the sums of all rounds up to and
 *       including the flush equal the sum of all contributions (up to float rounding).</li>
 *   <li>A rank never runs more than one round ahead of the coordinator: a rank waits for its round's result
 *       before it can contribute again, so each rank has at most one contribution in flight.</li>
 * </ul>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Calls.</b> All ranks construct their instance at the same point of their collective sequence (the
 *       instance takes one tag block at construction and uses it for all its rounds, since its rounds overlap
 *       other collectives) with the same length, mode and window, and make the same sequence of
 *       {@link #allreduce} and {@link #flush} calls. The instance may be used concurrently with other collectives
 *       on the same communicator (its frames use its own tags), by one thread per rank.</li>
 *   <li><b>Time limits and failures.</b> A rank waits for its round's result at most the transport's time limit
 *       (for {@code MAJORITY}, the majority must arrive within it). A dead or aborting rank, a time limit, or a
 *       malformed frame fails the collective everywhere: the coordinator sends every rank a failure notice and
 *       aborts the transport; every waiting or later call throws a {@link CommException} naming the collective.
 *       Ranks other than 0 that are idle between calls are not a failure (a straggler may be slow), but the
 *       coordinator's death is.</li>
 *   <li><b>Resources.</b> On rank 0 the object owns {@code P + 1} threads (a receiver per rank and the
 *       coordinator), made by the given {@link ThreadFactory}; {@link #close} stops them. Close after the last
 *       {@link #flush} (rank 0 may close as soon as its own flush returned: the coordinator sends rank 0's copy of
 *       a result last); closing rank 0 earlier leaves the others to time out.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * Two steps per round (contribution to rank 0, result back). Bytes: each rank sends {@code 4n + 9} per call and
 * receives {@code 4n + 13 + 12c} ({@code c} contributions listed); rank 0 receives {@code P} vectors and sends
 * {@code P} per round, a {@code P}-fold load on its link that the fully distributed schemes of [1] avoid; fine for
 * the modest {@code P} and vector sizes where stragglers dominate. Coordinator work per round: one vector
 * addition per contribution.
 */
public final class PartialAllreduce implements AutoCloseable {
    /*
     * [1] S. Li, T. Ben-Nun, S. Di Girolamo, D. Alistarh, T. Hoefler, "Taming Unbalanced Training Workloads in
     *     Deep Learning with Partial Collective Operations", PPoPP 2020 (arXiv 1908.04207).
     *
     * In [1] the first arriving process (solo) or a randomly designated one (majority, so that about half have
     * arrived in expectation) activates the collective, and processes that have not arrived contribute what they
     * have (their stale buffer, which then counts later). This implementation keeps the semantics (the trigger by
     * the first arrival or by a quorum, late gradients folded into the next round, nothing lost) with a simpler,
     * checkable protocol: a central coordinator instead of the paper's distributed activation over a tree, and a
     * quorum counted exactly instead of in expectation. The window gives stragglers a bounded chance to join.
     *
     * Frames (little-endian), on two tags of the instance's block:
     *   up,   rank -> 0:  byte kind (0 contribution, 1 flush) | int64 round | kind 0: n float32
     *   down, 0 -> rank:  byte kind (0 round, 1 flush, 2 failure) | kind 0/1: int64 round | int32 c |
     *                     c x (int32 rank, int64 round) | n float32;  kind 2: UTF-8 message
     * Coordinator invariants: the open round t is the largest round any rank has entered (a rank enters t + 1
     * only after round t closed), so a contribution labelled above t is a protocol violation; a rank contributes
     * fresh to round t at most once; a flush marker follows all of its rank's contributions on the same tag, so
     * when P markers arrived, every contribution has been added.
     *
     * Size. This class stays one file above 500 lines on purpose: a quarter of it is the contract and this
     * comment, and the rest is one protocol, the rank side (contribute, flush, parse the result) and the
     * coordinator's state machine on rank 0, which read and write the frames above and keep the invariants just
     * stated together. Split apart, the frame layout and the round numbering would have to be kept in step in two
     * files.
     */

    /** When a round may complete. */
    public enum Mode {
        /** The first fresh contribution triggers the round. */
        SOLO,
        /** {@code floor(P/2) + 1} fresh contributions trigger the round. */
        MAJORITY
    }

    /** One contribution: the rank that made it and the round it was made for. */
    public record Contribution(int rank, long round) {
    }

    /** The result of one round, identical on every rank. */
    public static final class Round {
        private final long index;
        private final boolean flush;
        private final List<Contribution> contributions;

        Round(long index, boolean flush, List<Contribution> contributions) {
            this.index = index;
            this.flush = flush;
            this.contributions = Collections.unmodifiableList(contributions);
        }

        /** The round's index (the call's index on every rank). */
        public long index() {
            return index;
        }

        /** True for the result of {@link #flush}. */
        public boolean isFlush() {
            return flush;
        }

        /** The contributions in the round's sum, in the order the coordinator added them. */
        public List<Contribution> contributions() {
            return contributions;
        }

        /** The ranks that contributed to this round in time (fresh contributions), in arrival order. */
        public int[] freshRanks() {
            return contributions.stream().filter(c -> c.round() == index).mapToInt(Contribution::rank).toArray();
        }

        /** The contributions made for earlier rounds that arrived during this one. */
        public List<Contribution> late() {
            return contributions.stream().filter(c -> c.round() < index).toList();
        }

        /** True if the sum includes rank {@code rank}'s contribution for round {@code round}. */
        public boolean includes(int rank, long round) {
            return contributions.contains(new Contribution(rank, round));
        }

        @Override
        public String toString() {
            return (flush ? "flush round " : "round ") + index + " with " + contributions;
        }
    }

    private static final byte UP_DATA = 0;
    private static final byte UP_FLUSH = 1;
    private static final byte DOWN_ROUND = 0;
    private static final byte DOWN_FLUSH = 1;
    private static final byte DOWN_FAILED = 2;
    private static final int COORDINATOR = 0;

    private final Communicator comm;
    private final Link link;
    private final int n;
    private final Mode mode;
    private final long windowNanos;
    private final int upTag;
    private final int downTag;
    private final String name;
    private long calls;
    private final Coordinator coordinator;

    /**
     * A partial allreduce with daemon threads on rank 0.
     *
     * @see #PartialAllreduce(Communicator, int, Mode, Duration, ThreadFactory)
     */
    public PartialAllreduce(Communicator comm, int length, Mode mode, Duration window) {
        this(comm, length, mode, window, r -> {
            Thread t = new Thread(r);
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * @param comm    the communicator; takes one tag block now
     * @param length  the vector length {@code n}, the same on every rank
     * @param mode    when a round may complete
     * @param window  how long a triggered round waits for more fresh contributions (its deadline after the
     *                trigger), at least 0
     * @param threads makes the coordinator's threads on rank 0 (named by this object); unused elsewhere
     */
    public PartialAllreduce(Communicator comm, int length, Mode mode, Duration window, ThreadFactory threads) {
        this.comm = Objects.requireNonNull(comm, "comm");
        if (length < 0 || 4L * length + (1 << 20) > Link.MAX_BLOCK) {
            throw new IllegalArgumentException("length " + length + " outside [0, " + (Link.MAX_BLOCK - (1 << 20)) / 4
                    + "]");
        }
        if (window.isNegative()) {
            throw new IllegalArgumentException("negative window " + window);
        }
        this.link = new Link(comm);
        this.n = length;
        this.mode = Objects.requireNonNull(mode, "mode");
        this.windowNanos = window.toNanos();
        this.name = "partial allreduce (" + mode.name().toLowerCase(java.util.Locale.ROOT) + ", window "
                + window.toMillis() + " ms)";
        int tag = comm.newTagBlock();
        this.upTag = tag;
        this.downTag = tag + 1;
        this.coordinator = comm.rank() == COORDINATOR ? new Coordinator(Objects.requireNonNull(threads, "threads"))
                : null;
        if (coordinator != null) {
            coordinator.start();
        }
    }

    /** The quorum of fresh contributions that triggers a round. */
    public int quorum() {
        return mode == Mode.SOLO ? 1 : comm.size() / 2 + 1;
    }

    /** {@link #allreduce(float[], int)} of a whole array of the instance's length. */
    public Round allreduce(float[] data) {
        return allreduce(data, 0);
    }

    /**
     * Contributes {@code data[off, off + n)} to the round of this call's index and waits for that round's result,
     * which overwrites {@code data[off, off + n)}; see the class description for what the result holds.
     */
    public Round allreduce(float[] data, int off) {
        Objects.checkFromIndexSize(off, n, data.length);
        long t = calls++;
        try {
            byte[] b = link.buffer(9 + 4 * n);
            b[0] = UP_DATA;
            FloatBytes.putLong(b, 1, t);
            FloatBytes.put(data, off, n, b, 9);
            link.sendBlock(COORDINATOR, upTag, b, 0, 9 + 4 * n);
            return awaitResult(t, DOWN_ROUND, data, off);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name + ", round " + t, e);
        }
    }

    /**
     * Contributes nothing, waits until every rank has called {@code flush} (no quorum, no deadline), and writes
     * into {@code out[0, n)} the sum of every contribution not yet counted in a round. Counts as a round (it
     * takes the next index).
     */
    public Round flush(float[] out) {
        Objects.checkFromIndexSize(0, n, out.length);
        long t = calls++;
        try {
            byte[] b = link.buffer(9);
            b[0] = UP_FLUSH;
            FloatBytes.putLong(b, 1, t);
            link.sendBlock(COORDINATOR, upTag, b, 0, 9);
            return awaitResult(t, DOWN_FLUSH, out, 0);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name + ", flush " + t, e);
        }
    }

    /**
     * Catching up without contributing: if the round of this rank's next call has already closed (the rank missed
     * it, as a straggler does), takes that round's result into {@code data[off, off + n)}, uses up the call's index
     * and returns the result, all without waiting; returns null, using nothing and leaving {@code data} alone, if
     * the round is still open. A straggler that calls this until it returns null applies every round it missed
     * without computing a contribution for each, then contributes to the open round with {@link #allreduce} (where
     * its contribution may still arrive late and be counted in a later round).
     */
    public Round tryResult(float[] data, int off) {
        Objects.checkFromIndexSize(off, n, data.length);
        long t = calls;
        try {
            byte[] f = link.pollBlock(COORDINATOR, downTag);
            if (f == null) {
                return null;
            }
            calls++;
            return parseResult(f, t, DOWN_ROUND, data, off);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name + ", round " + t, e);
        }
    }

    private Round awaitResult(long t, byte kind, float[] data, int off) {
        return parseResult(link.receiveBlock(COORDINATOR, downTag), t, kind, data, off);
    }

    private Round parseResult(byte[] f, long t, byte kind, float[] data, int off) {
        if (f.length >= 1 && f[0] == DOWN_FAILED) {
            throw new CommException("the coordinator on rank 0 failed: "
                    + new String(f, 1, f.length - 1, StandardCharsets.UTF_8));
        }
        if (f.length < 13 || f[0] != kind) {
            throw Failures.protocol(COORDINATOR, "result frame of " + f.length + " bytes, kind "
                    + (f.length > 0 ? f[0] : -1) + ", expected kind " + kind);
        }
        long round = FloatBytes.getLong(f, 1);
        int c = FloatBytes.getInt(f, 9);
        if (round != t || c < 0 || f.length != 13 + 12L * c + 4L * n) {
            throw Failures.protocol(COORDINATOR, "result of round " + round + " with " + c + " contributions in "
                    + f.length + " bytes, expected round " + t + " and " + n + " elements");
        }
        List<Contribution> list = new ArrayList<>(c);
        for (int k = 0; k < c; k++) {
            list.add(new Contribution(FloatBytes.getInt(f, 13 + 12 * k), FloatBytes.getLong(f, 17 + 12 * k)));
        }
        FloatBytes.get(f, 13 + 12 * c, data, off, n);
        return new Round(t, kind == DOWN_FLUSH, list);
    }

    /** Stops the coordinator's threads on rank 0 (nothing elsewhere); idempotent. */
    @Override
    public void close() {
        if (coordinator != null) {
            coordinator.stop();
        }
    }

    @Override
    public String toString() {
        return name + " on rank " + comm.rank() + " of " + comm.size() + ", " + calls + " calls";
    }

    // ------------------------------------------------------------------------------------------ coordinator

    /** A frame from a rank, or the failure that ended its receiver. */
    private record Event(int from, byte[] frame, RuntimeException failure) {
    }

    /** Rank 0's coordinator: a receiver thread per rank feeding one queue, and the round-keeping thread. */
    private final class Coordinator {
        private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
        private final Thread[] receivers;
        private final Thread main;
        private final Link out = new Link(comm);
        private volatile boolean closed;

        // state of the open round (coordinator thread only)
        private long round;
        private final float[] acc = new float[n];
        private final List<Contribution> included = new ArrayList<>();
        private final boolean[] fresh = new boolean[comm.size()];
        private int freshCount;
        private final boolean[] flushed = new boolean[comm.size()];
        private int flushCount;
        private long deadline;
        private boolean triggered;

        Coordinator(ThreadFactory threads) {
            int p = comm.size();
            receivers = new Thread[p];
            for (int r = 0; r < p; r++) {
                final int from = r;
                receivers[r] = threads.newThread(() -> receive(from));
                receivers[r].setName("scaleml-partial-allreduce-receiver-" + r);
            }
            main = threads.newThread(this::run);
            main.setName("scaleml-partial-allreduce-coordinator");
        }

        void start() {
            for (Thread t : receivers) {
                t.start();
            }
            main.start();
        }

        void stop() {
            closed = true;
            main.interrupt();
            for (Thread t : receivers) {
                t.interrupt();
            }
            try {
                main.join(TimeUnit.SECONDS.toMillis(5));
                for (Thread t : receivers) {
                    t.join(TimeUnit.SECONDS.toMillis(5));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        /** Receiver of rank {@code from}'s frames: waits as long as needed (stragglers are allowed). */
        private void receive(int from) {
            while (!closed) {
                try {
                    events.add(new Event(from, link.receiveBlock(from, upTag), null));
                } catch (CommTimeoutException e) {
                    // an idle rank is not a failure here; keep waiting
                } catch (RuntimeException e) {
                    if (!closed) {
                        events.add(new Event(from, null, e));
                    }
                    return;
                }
            }
        }

        private void run() {
            try {
                while (!closed) {
                    long wait = triggered ? deadline - System.nanoTime() : TimeUnit.MILLISECONDS.toNanos(100);
                    Event e = wait > 0 ? events.poll(wait, TimeUnit.NANOSECONDS) : events.poll();
                    if (e != null) {
                        handle(e);
                    }
                    if (flushCount == comm.size()) {
                        close(DOWN_FLUSH);
                    } else if (triggered && (freshCount == comm.size() || System.nanoTime() - deadline >= 0)) {
                        close(DOWN_ROUND);
                    }
                }
            } catch (InterruptedException e) {
                // closing
            } catch (RuntimeException e) {
                if (!closed) {
                    failAll(e);
                }
            }
        }

        private void handle(Event e) {
            if (e.failure() != null) {
                throw e.failure();
            }
            byte[] f = e.frame();
            int from = e.from();
            if (f.length < 9) {
                throw Failures.protocol(from, "contribution frame of " + f.length + " bytes");
            }
            long t = FloatBytes.getLong(f, 1);
            if (f[0] == UP_FLUSH) {
                if (f.length != 9 || t != round || flushed[from] || fresh[from]) {
                    throw Failures.protocol(from, "flush for round " + t + " while round " + round + " is open");
                }
                flushed[from] = true;
                flushCount++;
                return;
            }
            if (f[0] != UP_DATA || f.length != 9 + 4L * n) {
                throw Failures.protocol(from, "contribution of kind " + f[0] + " and " + f.length + " bytes for "
                        + n + " elements");
            }
            if (t > round || t < 0 || flushed[from] || (t == round && fresh[from])) {
                throw Failures.protocol(from, "contribution for round " + t + " while round " + round + " is open");
            }
            FloatBytes.add(f, 9, acc, 0, n);
            included.add(new Contribution(from, t));
            if (t == round) {
                fresh[from] = true;
                freshCount++;
                if (!triggered && freshCount >= quorum()) {
                    triggered = true;
                    deadline = System.nanoTime() + windowNanos;
                }
            }
        }

        /** Sends the open round's result to every rank and opens the next round. */
        private void close(byte kind) {
            int c = included.size();
            int len = 13 + 12 * c + 4 * n;
            byte[] b = out.buffer(len);
            b[0] = kind;
            FloatBytes.putLong(b, 1, round);
            FloatBytes.putInt(b, 9, c);
            for (int k = 0; k < c; k++) {
                FloatBytes.putInt(b, 13 + 12 * k, included.get(k).rank());
                FloatBytes.putLong(b, 17 + 12 * k, included.get(k).round());
            }
            FloatBytes.put(acc, 0, n, b, 13 + 12 * c);
            // rank 0 last: once rank 0's caller has a result, every rank's copy has been handed to the transport
            for (int k = 1; k <= comm.size(); k++) {
                out.sendBlock(k % comm.size(), downTag, b, 0, len);
            }
            round++;
            Arrays.fill(acc, 0f);
            included.clear();
            Arrays.fill(fresh, false);
            freshCount = 0;
            Arrays.fill(flushed, false);
            flushCount = 0;
            triggered = false;
        }

        /** Tells every rank (best effort) that the collective failed, then aborts the transport. */
        private void failAll(RuntimeException e) {
            String why = name + " coordinator failed in round " + round + ": " + e.getMessage();
            byte[] msg = why.getBytes(StandardCharsets.UTF_8);
            byte[] b = new byte[1 + msg.length];
            b[0] = DOWN_FAILED;
            System.arraycopy(msg, 0, b, 1, msg.length);
            for (int r = 0; r < comm.size(); r++) {
                try {
                    out.sendBlock(r, downTag, b, 0, b.length);
                } catch (RuntimeException ignored) {
                    // that rank is gone; the others still need to hear
                }
            }
            try {
                comm.transport().abort(why);
            } catch (RuntimeException ignored) {
                // best effort
            }
        }
    }
}
