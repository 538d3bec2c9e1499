package org.scaleml.concurrent.stm;

import java.lang.invoke.VarHandle;
import java.lang.invoke.MethodHandles;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A software transactional memory over an array of {@code long} cells addressed by index: TL2 [1] with a pluggable
 * global {@link VersionClock}.
 *
 * <pre>{@code
 * Stm stm = Stm.create(64, VersionClocks.create("gv4", threads));
 * stm.atomic(tx -> {                       // re-executed until it commits
 *     long a = tx.read(from);
 *     if (a >= amount) {
 *         tx.write(from, a - amount);
 *         tx.write(to, tx.read(to) + amount);
 *     }
 * });
 * long total = stm.atomicLong(tx -> tx.read(0) + tx.read(1));
 * }</pre>
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Atomicity and isolation.</b> Committed transactions are serializable: their effect is that of running
 *       them one at a time in some order that respects each thread's program order and every read-from and
 *       write-write dependency (checked on recorded histories by {@code StmHistoryCheckerTest}).</li>
 *   <li><b>Opacity.</b> Every attempt, including ones that abort, reads a consistent snapshot: the cells' values at
 *       one instant plus its own writes. A body therefore never sees a broken invariant, but it may run more than
 *       once, so it must have no side effects outside its transaction (no I/O, no writes to shared fields).</li>
 *   <li><b>Progress.</b> Blocking: a committing transaction holds per-cell write locks for its write-back.
 *       Readers and lockers spin a bounded number of times, then abort and retry after a randomized exponential
 *       backoff, so there is no deadlock; livelock is possible in theory and unlikely in practice.</li>
 *   <li><b>Nesting.</b> {@link #atomic} inside a body joins the enclosing transaction (flat nesting).</li>
 *   <li><b>Exceptions.</b> An exception thrown by a body aborts the transaction: none of its writes take effect
 *       and the exception propagates to the caller (after a body read a consistent snapshot).</li>
 *   <li><b>Memory effects.</b> Actions of a thread before a transaction commits happen-before the actions of any
 *       thread after a transaction that read one of its writes.</li>
 *   <li><b>Cost.</b> No allocation per read or write: each thread reuses one context ({@link ThreadLocal}) whose
 *       primitive read and write sets grow to the largest transaction it ran. A read is three loads plus a
 *       write-set lookup when the transaction has written; a commit locks, validates and writes back.</li>
 * </ul>
 * Cells start at 0. Thread contexts are kept for the statistics until the STM is garbage: an STM used by a stream of
 * short-lived threads keeps one small context per thread.
 *
 * <p>[1] D. Dice, O. Shalev, N. Shavit, "Transactional Locking II", DISC 2006. The algorithm, and how the clocks
 * keep it correct, are explained in the implementation ({@code Tl2Transaction}, {@link VersionClock}).
 */
public final class Stm {
    /** Most cells of one STM: two longs each, and {@code 2 * cell} must stay an int index. */
    public static final int MAX_CELLS = (1 << 30) - 8;

    /** A transaction body that returns nothing. */
    @FunctionalInterface
    public interface Body {
        void run(Transaction tx);
    }

    /** A transaction body that returns a {@code long} (no boxing). */
    @FunctionalInterface
    public interface LongBody {
        long run(Transaction tx);
    }

    /**
     * Commit and abort counts, summed over threads: exact once the threads that ran transactions have been joined,
     * approximate while they run.
     *
     * @param commits    transactions committed
     * @param aborts     attempts aborted and re-executed (a transaction that commits at the third attempt counts
     *                   two)
     * @param extensions snapshot extensions (reads that met a newer cell and moved the snapshot instead of aborting)
     */
    public record Stats(long commits, long aborts, long extensions) {
        /** Aborted attempts per attempt: {@code aborts / (commits + aborts)}, 0 when nothing ran. */
        public double abortRate() {
            long attempts = commits + aborts;
            return attempts == 0 ? 0 : (double) aborts / attempts;
        }
    }

    /** Test hook: told of every commit by the committing thread, after the write-back. */
    interface Recorder {
        void committed(Tl2Transaction tx, long writeVersion);
    }

    private static final VarHandle STATS = MethodHandles.arrayElementVarHandle(long[].class);

    /** {@code words[2i]}: versioned lock of cell i ({@code version << 1 | locked}); {@code words[2i+1]}: its value. */
    final long[] words;
    private final int cells;
    private final VersionClock clock;
    private final boolean extend;
    final Recorder recorder;
    private final ThreadLocal<Tl2Transaction> contexts;
    private final Queue<Tl2Transaction> all = new ConcurrentLinkedQueue<>();

    private Stm(int cells, VersionClock clock, boolean extend, Recorder recorder) {
        if (clock == null) {
            throw new NullPointerException("clock");
        }
        if (cells < 0 || cells > MAX_CELLS) {
            throw new IllegalArgumentException("an STM holds 0 to " + MAX_CELLS + " cells, got " + cells);
        }
        long bytes = 16L * cells;
        long limit = Runtime.getRuntime().maxMemory() / 2;
        if (bytes > limit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "an STM of %d cells needs %d MiB (16 bytes per cell), more than half of the maximum heap of "
                            + "%d MiB; at most %d cells fit (or raise -Xmx)",
                    cells, bytes >> 20, Runtime.getRuntime().maxMemory() >> 20, limit / 16));
        }
        this.cells = cells;
        this.words = new long[2 * cells];
        this.clock = clock;
        this.extend = extend;
        this.recorder = recorder;
        this.contexts = ThreadLocal.withInitial(() -> {
            Tl2Transaction tx = new Tl2Transaction(this, words, clock, extend);
            all.add(tx);
            return tx;
        });
    }

    /** An STM of {@code cells} cells, all 0, on {@code clock}, extending snapshots on newer reads. */
    public static Stm create(int cells, VersionClock clock) {
        return new Stm(cells, clock, true, null);
    }

    /**
     * An STM of {@code cells} cells, all 0, on {@code clock}.
     *
     * @param extendSnapshots on a read that meets a cell newer than the snapshot: move the snapshot forward after
     *                        revalidating the read set (true, as in LSA), or abort the attempt as TL2 does (false)
     * @throws IllegalArgumentException if {@code cells} is negative, above {@link #MAX_CELLS} or needs more than half
     *                                  of the maximum heap
     */
    public static Stm create(int cells, VersionClock clock, boolean extendSnapshots) {
        return new Stm(cells, clock, extendSnapshots, null);
    }

    /** An STM that reports every commit to {@code recorder} (tests). */
    static Stm recorded(int cells, VersionClock clock, boolean extendSnapshots, Recorder recorder) {
        return new Stm(cells, clock, extendSnapshots, recorder);
    }

    /** The number of cells. */
    public int size() {
        return cells;
    }

    /** The version clock. */
    public VersionClock clock() {
        return clock;
    }

    /** Whether reads extend the snapshot instead of aborting (see {@link #create(int, VersionClock, boolean)}). */
    public boolean extendsSnapshots() {
        return extend;
    }

    /** Runs {@code body} as one transaction, re-executing it until it commits (see the class documentation). */
    public void atomic(Body body) {
        run(body, null);
    }

    /** Runs {@code body} as one transaction and returns the value of the attempt that committed. */
    public long atomicLong(LongBody body) {
        return run(null, body);
    }

    /** The value of one cell, read in a transaction of its own. */
    public long get(int cell) {
        return run(null, tx -> tx.read(cell));
    }

    private long run(Body body, LongBody longBody) {
        Tl2Transaction tx = contexts.get();
        if (tx.active) {
            if (body != null) {
                body.run(tx);
                return 0;
            }
            return longBody.run(tx);
        }
        for (int attempt = 0; ; attempt++) {
            tx.begin();
            long result = 0;
            boolean committed = false;
            try {
                if (body != null) {
                    body.run(tx);
                } else {
                    result = longBody.run(tx);
                }
                committed = tx.commit();
            } catch (Conflict c) {
                // aborted by a read or write: retry below
            } catch (RuntimeException | Error e) {
                if (!tx.isDoomed()) {
                    tx.finish();
                    throw e; // a consistent snapshot led the body to throw: abort and report it
                }
                // the body swallowed an abort and then failed: retry
            } finally {
                if (committed) {
                    tx.finish();
                }
            }
            if (committed) {
                return result;
            }
            tx.aborted();
            tx.finish();
            backoff(attempt);
        }
    }

    /**
     * Randomized exponential backoff after the {@code attempt}-th abort (0-based): a uniform number of spin-wait hints
     * below {@code 2^min(attempt, 10)}, and from the 8th abort on a yield, so that a lock holder that was preempted
     * (more threads than cores) can finish.
     */
    private static void backoff(int attempt) {
        if (attempt >= 8) {
            Thread.yield();
        }
        int limit = 1 << Math.min(attempt, 10);
        for (int i = limit == 1 ? 0 : ThreadLocalRandom.current().nextInt(limit); i > 0; i--) {
            Thread.onSpinWait();
        }
    }

    /** Commits, aborts and extensions so far, summed over every thread that ran transactions here. */
    public Stats stats() {
        long commits = 0;
        long aborts = 0;
        long extensions = 0;
        for (Tl2Transaction tx : all) {
            commits += (long) STATS.getOpaque(tx.stats, 0);
            aborts += (long) STATS.getOpaque(tx.stats, 1);
            extensions += (long) STATS.getOpaque(tx.stats, 2);
        }
        return new Stats(commits, aborts, extensions);
    }

    @Override
    public String toString() {
        return "stm(cells=" + cells + ",clock=" + clock.spec() + ",extend=" + extend + ")";
    }
}
