package org.scaleml.graph.algo;

import java.util.Arrays;
import org.scaleml.common.SplitMix64;

/**
 * The fixed random priority order shared by the sequential and parallel greedy algorithms (independent set,
 * matching): a seeded, deterministic, collision-free priority for every node and every edge. Smaller
 * priority means earlier in the greedy order. The parallel versions must use exactly these functions so
 * that they reproduce the sequential results.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Strict total order, no ties:</b> for a fixed seed, {@link #nodePriority} is injective on node ids
 *       and {@link #edgePriority} is injective on unordered pairs {u, v}, so comparing priorities as signed
 *       {@code long}s never needs a tie-break. (Parallel arcs between the same two nodes share one priority,
 *       which is harmless: the greedy choice between them is the same pair.)</li>
 *   <li><b>Random-looking:</b> the order behaves like a uniformly random permutation for the purposes of the
 *       greedy algorithms (few dependency levels, PODC 2018), and different seeds give unrelated orders.</li>
 *   <li><b>Deterministic and portable:</b> pure functions of their arguments, identical on every JVM;
 *       O(1), no allocation, thread-safe.</li>
 *   <li><b>Invertible:</b> {@link #nodeOf} and {@link #edgeOf} recover the node or pair from a priority, which
 *       lets {@link #nodeOrder} sort bare {@code long}s instead of (priority, node) pairs.</li>
 * </ul>
 *
 * <h2>Construction</h2>
 * A priority is {@code mix(key + salt(seed))}, where the key is the node id, or {@code min << 32 | max} for
 * an edge, and {@code mix} is the splitmix64 finaliser (Steele, Lea and Flood, OOPSLA 2014): three
 * xor-shifts and two multiplications by odd constants, each a bijection of 64-bit words, so {@code mix} and
 * therefore the whole map is a bijection; it is also a strong avalanche mixer, which is what makes the order
 * look random. The inverse undoes each step (an xor-shift by {@code s} is inverted by xoring in the shifts by
 * {@code s, 2s, 3s, ...}; a multiplication by the modular inverse of the constant).
 */
public final class GreedyOrder {
    private static final long M1 = 0xBF58476D1CE4E5B9L;
    private static final long M2 = 0x94D049BB133111EBL;
    private static final long M1_INV = inverseOdd(M1);
    private static final long M2_INV = inverseOdd(M2);
    private static final long NODE_SALT = 0x9E3779B97F4A7C15L;
    private static final long EDGE_SALT = 0xD1B54A32D192ED03L;

    private GreedyOrder() {
    }

    /** @return the priority of {@code node} under {@code seed}; smaller comes first; injective in node */
    public static long nodePriority(int node, long seed) {
        return mix(node + nodeSalt(seed));
    }

    /** @return the node whose {@link #nodePriority} under {@code seed} is {@code priority} */
    public static int nodeOf(long priority, long seed) {
        return (int) (unmix(priority) - nodeSalt(seed));
    }

    /**
     * @return the priority of the undirected edge {u, v} under {@code seed}, symmetric in {@code u} and
     *     {@code v} and injective on unordered pairs of non-negative ids
     */
    public static long edgePriority(int u, int v, long seed) {
        return mix(pairKey(u, v) + edgeSalt(seed));
    }

    /**
     * @return the edge whose {@link #edgePriority} under {@code seed} is {@code priority}, as {@code
     *     (long) min << 32 | max}
     */
    public static long edgeOf(long priority, long seed) {
        return unmix(priority) - edgeSalt(seed);
    }

    /** @return {@code (long) min(u, v) << 32 | max(u, v)}, the canonical key of the unordered pair */
    public static long pairKey(int u, int v) {
        int lo = Math.min(u, v);
        int hi = Math.max(u, v);
        return ((long) lo << 32) | hi;
    }

    /**
     * The greedy order of all nodes: {@code 0..n-1} sorted by {@link #nodePriority} under {@code seed}.
     * O(n log n) time, one {@code long[n]} of scratch.
     *
     * @return a new permutation of {@code 0..n-1}; element i is the i-th node in the greedy order
     */
    public static int[] nodeOrder(int n, long seed) {
        if (n < 0) {
            throw new IllegalArgumentException("n must be >= 0: " + n);
        }
        long[] p = new long[n];
        for (int v = 0; v < n; v++) {
            p[v] = nodePriority(v, seed);
        }
        Arrays.sort(p);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = nodeOf(p[i], seed);
        }
        return order;
    }

    /** The salt of {@link #nodePriority}: {@code nodePriority(v, seed) == mix(v + nodeSalt(seed))}. */
    static long nodeSalt(long seed) {
        return mix(seed ^ NODE_SALT);
    }

    /** The salt of {@link #edgePriority}: {@code edgePriority(u, v, seed) == mix(pairKey(u, v) + edgeSalt(seed))}. */
    static long edgeSalt(long seed) {
        return mix(seed ^ EDGE_SALT);
    }

    /** {@link SplitMix64#mix}, whose constants {@code M1} and {@code M2} {@link #unmix} inverts. */
    static long mix(long z) {
        return SplitMix64.mix(z);
    }

    static long unmix(long z) {
        z = unshift(z, 31) * M2_INV;
        z = unshift(z, 27) * M1_INV;
        return unshift(z, 30);
    }

    /** Inverse of {@code y = x ^ (x >>> s)} for {@code s >= 1}: {@code x = y ^ y>>>s ^ y>>>2s ^ ...}. */
    private static long unshift(long y, int s) {
        long x = y;
        for (int k = s; k < 64; k += s) {
            x ^= y >>> k;
        }
        return x;
    }

    /** Multiplicative inverse of an odd number modulo 2^64 by Newton's iteration (3, 6, 12, ... correct bits). */
    private static long inverseOdd(long a) {
        long x = a;
        for (int i = 0; i < 5; i++) {
            x *= 2 - a * x;
        }
        return x;
    }
}
