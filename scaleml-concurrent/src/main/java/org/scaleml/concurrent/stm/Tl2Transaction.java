package org.scaleml.concurrent.stm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;
import java.util.Objects;

/**
 * One thread's transaction context in an {@link Stm}: its read version, read set and write set, reused by every
 * transaction of that thread (no allocation per read or write once the sets have grown to their working size).
 * Confined to its thread, except the statistics counters, which other threads read.
 */
final class Tl2Transaction implements Transaction {
    /*
     * Algorithm: TL2 [1] D. Dice, O. Shalev, N. Shavit, "Transactional Locking II", DISC 2006, with snapshot
     * extension as in LSA [2] T. Riegel, P. Felber, C. Fetzer, "A Lazy Snapshot Algorithm with Eager Validation",
     * DISC 2006 (optional: Stm.create(..., extend)).
     *
     * Memory: cell i is two longs of Stm.words: words[2i] its versioned write-lock (version << 1 | locked) and
     * words[2i+1] its value; one cache line holds both, so a read costs one miss.
     *
     * Begin: rv = clock.readVersion().
     * Read(i): a buffered write of i wins. Otherwise read the lock word (acquire), the value (acquire), the lock
     * word again; the read is good if both lock words are equal, unlocked and carry a version <= rv. By the clock
     * invariant (VersionClock) such a version was written by a transaction that held all its locks before rv was
     * read, so every cell read this way belongs to the state at the instant rv was read: the snapshot is
     * consistent without looking at the rest of the read set (opacity, TL2's post-validated read). A locked cell
     * is re-read a bounded number of times (a committer's write-back is short), then the attempt aborts. A cell
     * newer than rv aborts the attempt (TL2), or, with extension, asks the clock to catch up to that version,
     * revalidates the whole read set against the old rv (each cell unlocked and still <= rv, hence unchanged since
     * the old snapshot), and on success continues with the new rv: the read set is then a snapshot at the instant
     * the new rv was read. Without extension the clock still catches up before the abort, so the retry can read
     * the cell (needed by relaxed clocks, whose read version may lag behind committed versions).
     * Write(i, v): buffered in the write set (open addressing by cell, stamped so that a reset is O(1)).
     * Commit of a read-only transaction: nothing to do, it serializes at its (last) rv.
     * Commit of an update: lock the write set in cell order (CAS unlocked -> locked, bounded spinning on a held
     * lock, then abort: no deadlock; the global order avoids two committers taking each other's locks in turn);
     * wv = clock.writeVersion(rv); validate the read set (each cell unlocked, or locked by us with its pre-lock
     * version <= rv; and version <= rv), skipped when the clock guarantees wv == rv + 1 means no commit in
     * between (GV1); write the values back and release each lock with version max(wv, old + 1) (release store:
     * a reader that sees the new version sees the new value). The max keeps versions strictly increasing on every
     * cell even with relaxed clocks, so a reader's "equal lock words before and after" check cannot be fooled by
     * a version that comes back (ABA), and it never breaks the clock invariant (a larger version only makes
     * readers more careful). An update transaction serializes at its validation, holding all its write locks.
     * Abort anywhere during commit restores the pre-lock words.
     */
    static final VarHandle WORDS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final VarHandle STATS = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long LOCKED = 1L;
    /** Re-reads of a locked cell (on read or lock) before the attempt gives up. */
    private static final int SPINS = 128;

    private final Stm stm;
    private final long[] words;
    private final VersionClock clock;
    private final boolean extend;

    private long rv;
    boolean active;
    private boolean doomed;

    private int[] reads = new int[32];
    private int readCount;

    private int[] writeCells = new int[8];
    private long[] writeValues = new long[8];
    /** During commit: the lock word before we locked; after: unused. */
    private long[] preLock = new long[8];
    /** After a successful commit: the version installed on each written cell. */
    private long[] installed = new long[8];
    private int writeCount;
    private long[] order = new long[8];

    /** Open addressing from cell to write-set entry; a slot is in use when its stamp equals {@link #stamp}. */
    private int[] slotEntry = new int[16];
    private int[] slotStamp = new int[16];
    private int stamp = 1;

    /** {commits, aborts, extensions}, written by the owner (opaque), read by {@link Stm#stats}. */
    final long[] stats = new long[3];

    Tl2Transaction(Stm stm, long[] words, VersionClock clock, boolean extend) {
        this.stm = stm;
        this.words = words;
        this.clock = clock;
        this.extend = extend;
    }

    /** Starts an attempt: fresh read version, empty sets. */
    void begin() {
        readCount = 0;
        if (writeCount != 0) {
            writeCount = 0;
            if (++stamp == 0) {
                Arrays.fill(slotStamp, 0);
                stamp = 1;
            }
        }
        doomed = false;
        active = true;
        rv = clock.readVersion();
    }

    /** Ends the attempt (committed or not): any further use of this view is refused. */
    void finish() {
        active = false;
        doomed = true;
    }

    /** A doomed attempt aborts again; a finished one was used outside its body. */
    private RuntimeException abortOrMisuse() {
        if (!active) {
            throw new IllegalStateException("a Transaction was used outside the body it was passed to");
        }
        throw abort();
    }

    /** Whether this attempt can no longer commit (a read or write aborted it). */
    boolean isDoomed() {
        return doomed;
    }

    long readVersion() {
        return rv;
    }

    /** Marks this attempt as aborted (it will not commit) and throws {@link Conflict}. */
    private Conflict abort() {
        doomed = true;
        throw Conflict.INSTANCE;
    }

    @Override
    public long read(int cell) {
        if (doomed) {
            throw abortOrMisuse();
        }
        Objects.checkIndex(cell, stm.size());
        if (writeCount != 0) {
            int e = find(cell);
            if (e >= 0) {
                return writeValues[e];
            }
        }
        int at = cell << 1;
        int spins = 0;
        for (;;) {
            long pre = (long) WORDS.getAcquire(words, at);
            long value = (long) WORDS.getAcquire(words, at + 1);
            long post = (long) WORDS.getAcquire(words, at);
            if (pre == post && (pre & LOCKED) == 0) {
                long version = pre >>> 1;
                if (version <= rv) {
                    addRead(cell);
                    return value;
                }
                if (!extendTo(version)) {
                    throw abort();
                }
            } else if (++spins > SPINS) {
                throw abort();
            } else {
                Thread.onSpinWait();
            }
        }
    }

    private void addRead(int cell) {
        if (readCount == reads.length) {
            reads = Arrays.copyOf(reads, 2 * reads.length);
        }
        reads[readCount++] = cell;
    }

    /** Moves the snapshot past {@code version} if extension is on and the read set is still valid. */
    private boolean extendTo(long version) {
        long newRv = clock.catchUp(version);
        if (!extend || newRv < version || !validateReads(false)) {
            return false;
        }
        rv = newRv;
        STATS.setOpaque(stats, 2, stats[2] + 1);
        return true;
    }

    /**
     * Whether every cell read is unchanged since the snapshot: unlocked (or, while committing, locked by us with a
     * pre-lock version {@code <= rv}) with a version {@code <= rv}.
     */
    private boolean validateReads(boolean committing) {
        for (int i = 0; i < readCount; i++) {
            int cell = reads[i];
            long w = (long) WORDS.getAcquire(words, cell << 1);
            if ((w & LOCKED) != 0) {
                int e = committing ? find(cell) : -1;
                if (e < 0) {
                    return false;
                }
                w = preLock[e];
            }
            if ((w >>> 1) > rv) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void write(int cell, long value) {
        if (doomed) {
            throw abortOrMisuse();
        }
        Objects.checkIndex(cell, stm.size());
        int mask = slotEntry.length - 1;
        for (int s = hash(cell) & mask; ; s = (s + 1) & mask) {
            if (slotStamp[s] != stamp) {
                if (writeCount == writeCells.length) {
                    growWrites();
                    insertSlot(cell, writeCount);
                } else {
                    slotStamp[s] = stamp;
                    slotEntry[s] = writeCount;
                }
                writeCells[writeCount] = cell;
                writeValues[writeCount++] = value;
                return;
            }
            int e = slotEntry[s];
            if (writeCells[e] == cell) {
                writeValues[e] = value;
                return;
            }
        }
    }

    private static int hash(int cell) {
        return (cell * 0x9E3779B9) >>> 7;
    }

    /** The write-set entry of {@code cell}, or -1. */
    private int find(int cell) {
        int mask = slotEntry.length - 1;
        for (int s = hash(cell) & mask; slotStamp[s] == stamp; s = (s + 1) & mask) {
            int e = slotEntry[s];
            if (writeCells[e] == cell) {
                return e;
            }
        }
        return -1;
    }

    private void insertSlot(int cell, int entry) {
        int mask = slotEntry.length - 1;
        int s = hash(cell) & mask;
        while (slotStamp[s] == stamp) {
            s = (s + 1) & mask;
        }
        slotStamp[s] = stamp;
        slotEntry[s] = entry;
    }

    /** Doubles the write set and rebuilds the index at twice its capacity (load at most one half). */
    private void growWrites() {
        int n = 2 * writeCells.length;
        writeCells = Arrays.copyOf(writeCells, n);
        writeValues = Arrays.copyOf(writeValues, n);
        preLock = new long[n];
        installed = new long[n];
        order = new long[n];
        slotEntry = new int[2 * n];
        slotStamp = new int[2 * n];
        stamp = 1;
        for (int e = 0; e < writeCount; e++) {
            insertSlot(writeCells[e], e);
        }
    }

    /** Tries to commit the attempt; false means it aborted (and changed nothing). */
    boolean commit() {
        if (doomed) {
            return false;
        }
        if (writeCount == 0) {
            committed(-1);
            return true;
        }
        for (int e = 0; e < writeCount; e++) {
            order[e] = ((long) writeCells[e] << 32) | e;
        }
        if (writeCount > 1) {
            Arrays.sort(order, 0, writeCount);
        }
        for (int k = 0; k < writeCount; k++) {
            if (!lock((int) order[k])) {
                unlock(k);
                return false;
            }
        }
        long wv = clock.writeVersion(rv);
        if (!(clock.uniqueWriteVersions() && wv == rv + 1) && !validateReads(true)) {
            unlock(writeCount);
            return false;
        }
        for (int e = 0; e < writeCount; e++) {
            int at = writeCells[e] << 1;
            long version = Math.max(wv, (preLock[e] >>> 1) + 1);
            installed[e] = version;
            WORDS.setOpaque(words, at + 1, writeValues[e]);
            WORDS.setRelease(words, at, version << 1);
        }
        committed(wv);
        return true;
    }

    /** Locks the cell of write-set entry {@code e}, spinning a bounded number of times on a held lock. */
    private boolean lock(int e) {
        int at = writeCells[e] << 1;
        for (int spins = 0; ; ) {
            long w = (long) WORDS.getAcquire(words, at);
            if ((w & LOCKED) == 0) {
                if (WORDS.compareAndSet(words, at, w, w | LOCKED)) {
                    preLock[e] = w;
                    return true;
                }
            } else if (++spins > SPINS) {
                return false;
            } else {
                Thread.onSpinWait();
            }
        }
    }

    /** Releases the first {@code count} locks taken (in {@link #order}), restoring their pre-lock words. */
    private void unlock(int count) {
        for (int k = 0; k < count; k++) {
            int e = (int) order[k];
            WORDS.setRelease(words, writeCells[e] << 1, preLock[e]);
        }
    }

    private void committed(long wv) {
        STATS.setOpaque(stats, 0, stats[0] + 1);
        Stm.Recorder recorder = stm.recorder;
        if (recorder != null) {
            recorder.committed(this, wv);
        }
    }

    /** Counts one aborted attempt. */
    void aborted() {
        doomed = true;
        STATS.setOpaque(stats, 1, stats[1] + 1);
    }

    // Accessors of the last committed attempt, for the test recorder.

    int writeCount() {
        return writeCount;
    }

    int writeCell(int e) {
        return writeCells[e];
    }

    long writeValue(int e) {
        return writeValues[e];
    }

    long installedVersion(int e) {
        return installed[e];
    }
}
