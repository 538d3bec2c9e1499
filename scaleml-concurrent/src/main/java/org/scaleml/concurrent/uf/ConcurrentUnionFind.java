package org.scaleml.concurrent.uf;

/**
 * A disjoint-set (union-find) structure over the elements {@code 0 .. size()-1}, each starting in a set of its
 * own. Create one with {@link UnionFinds#create}.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Thread safety.</b> Every implementation except the sequential reference ({@code uf-seq}) may be called
 *       from any number of threads at once. The lock-free implementation ({@code uf}) is <em>lock-free</em>: some
 *       call always completes in a finite number of its own steps; {@code uf-lock} blocks.</li>
 *   <li><b>Linearizability.</b> {@link #union} and {@link #sameSet} are linearizable against the sequential
 *       disjoint-set specification: each takes effect at one instant between its call and its return, and
 *       {@code union} returns {@code true} exactly when it merged two different sets at that instant.
 *       {@link #find} is not a function of the partition (which element represents a set depends on the
 *       interleaving), so its promise is weaker: it returns an element that was, at some instant during the
 *       call, the representative (root) of the set containing {@code x}. Two {@code find} results are therefore
 *       comparable only when no union runs concurrently: use {@link #sameSet} to compare elements.</li>
 *   <li><b>Memory effects.</b> Actions of a thread before a {@code union} that returns {@code true} happen-before
 *       the actions of another thread after a {@code sameSet} that observed the merge (the merge is a volatile
 *       compare-and-set, every traversal an acquiring read).</li>
 *   <li><b>Complexity.</b> With linking by rank or by random priority and any path compaction, a sequence of
 *       m operations on n elements takes close to O(m &alpha;(m, n)) work sequentially (O(m log n) without
 *       compaction); concurrently the expected work bounds of Jayanti and Tarjan apply to the randomized
 *       linking.</li>
 *   <li><b>Arguments.</b> Elements outside {@code [0, size())} throw {@link IndexOutOfBoundsException}.</li>
 * </ul>
 */
public interface ConcurrentUnionFind {
    /** The number of elements, fixed at creation. */
    int size();

    /**
     * The representative of the set of {@code x}: an element that was the root of that set at some instant during
     * the call (see the class documentation). May shorten paths as a side effect; never changes the partition.
     *
     * @throws IndexOutOfBoundsException if {@code x} is not an element
     */
    int find(int x);

    /**
     * Merges the sets of {@code x} and {@code y}. Linearizable.
     *
     * @return {@code true} if this call merged two different sets, {@code false} if they were already one
     * @throws IndexOutOfBoundsException if {@code x} or {@code y} is not an element
     */
    boolean union(int x, int y);

    /**
     * Whether {@code x} and {@code y} are in the same set. Linearizable: the answer held at one instant during the
     * call; a {@code true} stays true forever, since sets only ever merge.
     *
     * @throws IndexOutOfBoundsException if {@code x} or {@code y} is not an element
     */
    boolean sameSet(int x, int y);
}
