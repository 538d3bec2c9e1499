package org.scaleml.concurrent.map;

/**
 * A concurrent ordered map from {@code long} keys to {@code long} values, with no boxing on any operation: the
 * interface of the interpolation search tree, the splay-list and their baselines, so that benchmarks, tests and
 * the command line switch implementation with one specification string ({@link LongMaps#create}).
 *
 * <h2>Keys, values and absence</h2>
 * Every {@code long} is a valid key, and every {@code long} except {@link #NO_VALUE} ({@link Long#MIN_VALUE}) a
 * valid value: methods that may find nothing return {@code NO_VALUE}, and {@code put}/{@code putIfAbsent} refuse it
 * with an {@link IllegalArgumentException}. Ordered queries that may find no key ({@link #ceiling}, {@link #floor})
 * return a key together with a found flag through a caller-supplied {@link KeyResult}, so no key is reserved.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety:</b> every implementation except those whose specification says otherwise (the
 *       sequential references) may be used by any number of threads at once.</li>
 *   <li><b>Consistency:</b> {@link #get}, {@link #put}, {@link #putIfAbsent}, {@link #remove}, {@link #ceiling}
 *       and {@link #floor} are linearizable (checked with Lincheck for every implementation). {@link #size},
 *       {@link #rangeCount} and {@link #forEachInRange} are weakly consistent: they reflect every update that
 *       completed before they started, may or may not reflect updates concurrent with them, never see a key twice
 *       and never see a key that was never present; with no concurrent updates they are exact.</li>
 *   <li><b>Memory effects:</b> actions of a thread before {@code put} or {@code putIfAbsent} of a key
 *       happen-before actions after a {@code get} (or any query) that returns that mapping.</li>
 *   <li><b>Progress:</b> stated by each implementation (lock-free, or blocking).</li>
 * </ul>
 */
public interface ConcurrentLongMap {
    /** Returned by lookups that find nothing; not a valid value. */
    long NO_VALUE = Long.MIN_VALUE;

    /** The value mapped to {@code key}, or {@link #NO_VALUE}. */
    long get(long key);

    /**
     * Maps {@code key} to {@code value}; returns the previous value or {@link #NO_VALUE}.
     *
     * @throws IllegalArgumentException if {@code value == NO_VALUE}
     */
    long put(long key, long value);

    /**
     * Maps {@code key} to {@code value} only if it has no mapping; returns the existing value (unchanged), or
     * {@link #NO_VALUE} if the mapping was added.
     *
     * @throws IllegalArgumentException if {@code value == NO_VALUE}
     */
    long putIfAbsent(long key, long value);

    /** Removes {@code key}'s mapping; returns its value, or {@link #NO_VALUE} if there was none. */
    long remove(long key);

    /** Whether {@code key} has a mapping. */
    default boolean containsKey(long key) {
        return get(key) != NO_VALUE;
    }

    /**
     * The smallest key {@code >= key}: sets {@code out} and returns true, or returns false (and leaves {@code out}
     * unchanged) if there is none.
     */
    boolean ceiling(long key, KeyResult out);

    /** The largest key {@code <= key}, as {@link #ceiling}. */
    boolean floor(long key, KeyResult out);

    /** Number of keys in {@code [lo, hi]} (0 if {@code lo > hi}); weakly consistent. */
    long rangeCount(long lo, long hi);

    /**
     * Calls {@code action} for every mapping with a key in {@code [lo, hi]}, in increasing key order; weakly
     * consistent. Stops early when the action returns false.
     */
    void forEachInRange(long lo, long hi, EntryVisitor action);

    /** Number of mappings; weakly consistent (exact when no update runs concurrently). */
    long size();

    /** The specification that creates this implementation with these parameters ({@link LongMaps#create}). */
    String spec();

    /** A key found by an ordered query, and its value at the time it was found. Not thread-safe: one per thread. */
    final class KeyResult {
        public long key;
        public long value;
    }

    /** Receives the mappings of a range. */
    @FunctionalInterface
    interface EntryVisitor {
        /** @return false to stop the iteration */
        boolean visit(long key, long value);
    }
}
