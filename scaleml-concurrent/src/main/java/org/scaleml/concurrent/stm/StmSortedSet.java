package org.scaleml.concurrent.stm;

/**
 * A sorted set of the keys {@code 0 .. universe-1} as a singly linked list in the cells of an {@link Stm}: the
 * transactional sorted set of the STM benchmarks, and an example of a structure whose operations compose inside
 * larger transactions (every method takes the {@link Transaction} it runs in; the one-argument forms run a
 * transaction of their own).
 *
 * <p>Layout, from cell {@code base}: the head's next pointer, then one next pointer per key; key {@code k} lives in
 * node {@code k}, so the list never allocates, and a pointer holds {@code node + 1} (0 is the end of the list). The
 * cells of a fresh STM are 0, which is the empty set. A lookup reads every node up to its key, so an operation's read
 * set is as long as its traversal (about half the set): long transactions that conflict with every update on their
 * path, the workload where TL2's per-read validation and the clock's cost show.
 *
 * <p>Thread-safe: all access goes through the STM. Keys outside the universe throw
 * {@link IllegalArgumentException}.
 */
public final class StmSortedSet {
    private final Stm stm;
    private final int base;
    private final int universe;

    /**
     * The set in cells {@code base .. base + cellsNeeded(universe) - 1} of {@code stm}, which must be 0 (empty) or
     * hold a set written by an instance with the same layout.
     *
     * @throws IllegalArgumentException if the cells do not fit in the STM
     */
    public StmSortedSet(Stm stm, int base, int universe) {
        if (universe < 1 || base < 0 || (long) base + cellsNeeded(universe) > stm.size()) {
            throw new IllegalArgumentException("a sorted set of " + universe + " keys at cell " + base + " needs cells "
                    + base + " to " + ((long) base + cellsNeeded(universe) - 1) + "; the STM has " + stm.size());
        }
        this.stm = stm;
        this.base = base;
        this.universe = universe;
    }

    /** The cells a set of {@code universe} keys occupies: one per key and one for the head. */
    public static long cellsNeeded(int universe) {
        return 1L + universe;
    }

    /** The number of possible keys. */
    public int universe() {
        return universe;
    }

    private void check(long key) {
        if (key < 0 || key >= universe) {
            throw new IllegalArgumentException("key " + key + " outside the set's universe 0.." + (universe - 1));
        }
    }

    /** The cell holding the next pointer of {@code node} (-1: the head). */
    private int nextCell(int node) {
        return base + 1 + node;
    }

    /**
     * Walks to where {@code key} is or would be: the last node with a smaller key ({@code -1} for the head) and the
     * pointer after it (node + 1, 0 at the end), packed as {@code (prev + 1) << 32 | next}.
     */
    private long locate(Transaction tx, long key) {
        int prev = -1;
        long next = tx.read(nextCell(prev));
        while (next != 0 && next - 1 < key) {
            prev = (int) (next - 1);
            next = tx.read(nextCell(prev));
        }
        return ((long) (prev + 1) << 32) | next;
    }

    private static int prev(long located) {
        return (int) (located >>> 32) - 1;
    }

    private static long next(long located) {
        return located & 0xFFFF_FFFFL;
    }

    /** Whether {@code key} is in the set, in transaction {@code tx}. */
    public boolean contains(Transaction tx, long key) {
        check(key);
        return next(locate(tx, key)) == key + 1;
    }

    /** Adds {@code key} in transaction {@code tx}; false if it was already present. */
    public boolean add(Transaction tx, long key) {
        check(key);
        long at = locate(tx, key);
        if (next(at) == key + 1) {
            return false;
        }
        tx.write(nextCell((int) key), next(at));
        tx.write(nextCell(prev(at)), key + 1);
        return true;
    }

    /** Removes {@code key} in transaction {@code tx}; false if it was absent. */
    public boolean remove(Transaction tx, long key) {
        check(key);
        long at = locate(tx, key);
        if (next(at) != key + 1) {
            return false;
        }
        tx.write(nextCell(prev(at)), tx.read(nextCell((int) key)));
        return true;
    }

    /** The number of keys, in transaction {@code tx} (walks the whole list). */
    public int size(Transaction tx) {
        int n = 0;
        for (long next = tx.read(nextCell(-1)); next != 0; next = tx.read(nextCell((int) (next - 1)))) {
            n++;
        }
        return n;
    }

    /** Whether {@code key} is in the set (a transaction of its own). */
    public boolean contains(long key) {
        return stm.atomicLong(tx -> contains(tx, key) ? 1 : 0) == 1;
    }

    /** Adds {@code key} (a transaction of its own); false if it was already present. */
    public boolean add(long key) {
        return stm.atomicLong(tx -> add(tx, key) ? 1 : 0) == 1;
    }

    /** Removes {@code key} (a transaction of its own); false if it was absent. */
    public boolean remove(long key) {
        return stm.atomicLong(tx -> remove(tx, key) ? 1 : 0) == 1;
    }

    /** The number of keys (a transaction of its own). */
    public int size() {
        return (int) stm.atomicLong(this::size);
    }
}
