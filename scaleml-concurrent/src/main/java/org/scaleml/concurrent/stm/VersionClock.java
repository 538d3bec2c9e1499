package org.scaleml.concurrent.stm;

/**
 * The global version clock of a TL2 {@link Stm}: where transactions take their read version (rv) when they start
 * and their write version (wv) when they commit. Create one with {@link VersionClocks#create}; it may be shared by
 * several {@link Stm}s only if they never share cells (a clock carries no cells).
 *
 * <h2>Contract</h2>
 * Versions are non-negative; a cell starts at version 0. An implementation must guarantee:
 * <ol>
 *   <li><b>Safety (the TL2 invariant).</b> If a call to {@link #readVersion} returned {@code rv}, and afterwards
 *       (in the synchronization order) a committing transaction acquired the last of its write locks and then
 *       called {@link #writeVersion}, that call returns a value {@code > rv}. Equivalently: a version {@code <= rv}
 *       on a cell was written by a transaction that held all its write locks before rv was read, which is what lets
 *       a reader accept such a value without looking at the rest of its read set.</li>
 *   <li><b>Catching up.</b> For a version {@code v} found on a cell, {@link #catchUp}{@code (v)} returns a read
 *       version {@code >= v}, and every later {@link #readVersion} is at least as large. This keeps a transaction
 *       that met a cell newer than its snapshot from aborting forever.</li>
 *   <li><b>Monotonicity.</b> {@link #readVersion} never decreases in the synchronization order.</li>
 * </ol>
 * Clocks are thread-safe and lock-free. Write versions need not be unique: two transactions holding disjoint write
 * sets may share one (GV4, relaxed clocks); only a clock that says {@link #uniqueWriteVersions} lets a committer
 * skip read-set validation when {@code wv == rv + 1}.
 */
public interface VersionClock {
    /** The read version of a starting transaction. */
    long readVersion();

    /**
     * The write version of a committing update transaction, called after it holds all its write locks.
     *
     * @param readVersion the committer's read version (a hint; safety must not depend on it)
     */
    long writeVersion(long readVersion);

    /**
     * A read version at least {@code version}, called by a transaction that met a cell of that version, newer than
     * its snapshot, and wants to extend its snapshot (or retry) past it.
     */
    long catchUp(long version);

    /**
     * Whether a write version {@code rv + 1} proves that no other transaction committed since {@code rv} was read
     * (true for one shared counter incremented by every commit, TL2's GV1).
     */
    boolean uniqueWriteVersions();

    /** The canonical specification of this clock, e.g. {@code gv4}; {@link VersionClocks#create} accepts it. */
    String spec();
}
