package org.scaleml.concurrent.quality;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A record of priority-queue operations from any number of threads, in one total order, for exact replay by
 * {@link RankReplay}.
 *
 * <p>Each thread writes to its own {@link Recorder} (primitive arrays that grow; no per-operation allocation
 * once grown). The order across threads comes from one shared ticket counter. {@link InstrumentedQueue} takes
 * an insertion's ticket <em>before</em> the insertion starts and a deletion's ticket <em>after</em> it
 * returns, so in ticket order every element is inserted before it is deleted, and the replayed state at a
 * deletion contains every element whose insertion had completed when the deletion began (and possibly some
 * whose insertion was still in progress). For a single-threaded run the replay is exactly the real history.
 *
 * <p>Thread safety: {@link #recorder()} may be called from any thread; each recorder must be used by one
 * thread at a time; {@link RankReplay#replay} must run after all recording threads have finished (a
 * happens-before edge, such as {@code Thread.join}, is the caller's responsibility).
 */
public final class OperationLog {
    private final AtomicLong ticket = new AtomicLong();
    private final List<Recorder> recorders = new ArrayList<>();
    private final int initialCapacity;

    /** A log whose recorders start small and grow as needed. */
    public OperationLog() {
        this(1024);
    }

    /**
     * A log whose recorders start with room for {@code expectedOperationsPerRecorder} operations, so that a
     * measured run does not allocate (growing a recorder copies its arrays, and the allocation and the garbage
     * collector's work can stall a thread in the middle of the run being measured).
     */
    public OperationLog(int expectedOperationsPerRecorder) {
        if (expectedOperationsPerRecorder < 1) {
            throw new IllegalArgumentException("expected operations per recorder must be at least 1, got "
                    + expectedOperationsPerRecorder);
        }
        this.initialCapacity = expectedOperationsPerRecorder;
    }

    /** Creates a new recorder for one thread. */
    public Recorder recorder() {
        Recorder r = new Recorder(this, initialCapacity);
        synchronized (recorders) {
            recorders.add(r);
        }
        return r;
    }

    List<Recorder> recorders() {
        synchronized (recorders) {
            return new ArrayList<>(recorders);
        }
    }

    /** Total number of operations recorded so far (insertions plus deletions). */
    public long operations() {
        long n = 0;
        for (Recorder r : recorders()) {
            n += r.size;
        }
        return n;
    }

    /** One thread's part of the log. Not thread-safe. */
    public static final class Recorder {
        private final OperationLog log;
        // Each entry: ticket, then priority; the kind is the sign bit of the stored ticket word
        // (tickets are non-negative, deletions are stored as ~ticket).
        long[] tickets;
        long[] priorities;
        int size;

        private Recorder(OperationLog log, int capacity) {
            this.log = log;
            this.tickets = new long[capacity];
            this.priorities = new long[capacity];
        }

        /** Records an insertion of {@code priority}; call before the insertion begins. */
        public void insert(long priority) {
            append(log.ticket.getAndIncrement(), priority);
        }

        /** Records a deletion that returned {@code priority}; call after the deletion returned. */
        public void delete(long priority) {
            append(~log.ticket.getAndIncrement(), priority);
        }

        private void append(long word, long priority) {
            if (size == tickets.length) {
                tickets = Arrays.copyOf(tickets, size * 2);
                priorities = Arrays.copyOf(priorities, size * 2);
            }
            tickets[size] = word;
            priorities[size] = priority;
            size++;
        }
    }
}
