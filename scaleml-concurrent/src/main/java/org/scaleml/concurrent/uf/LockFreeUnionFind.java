package org.scaleml.concurrent.uf;

/**
 * The lock-free union-find ({@code uf}) in every variant of [1]: linking by random index priority or by rank,
 * path compaction none, splitting, halving or full compression, written with CAS or plain (release) stores,
 * and the optional immediate-parent check and early recognition in {@code union}. Thread-safe and lock-free;
 * {@code union} and {@code sameSet} are linearizable, {@code find} returns an element that was a root during the
 * call (see {@link ConcurrentUnionFind}).
 */
final class LockFreeUnionFind extends ParentForest {
    /*
     * Algorithm. [1] D. Alistarh, A. Fedorov, N. Koval, "In Search of the Fastest Concurrent Union-Find Algorithm",
     * OPODIS 2019; after R. Anderson and H. Woll (STOC 1991) and S. Jayanti and R. Tarjan (PODC 2016).
     *
     * State: one int word per element, its parent; a root is its own parent. A link is one CAS that turns a root
     * into a child: CAS(word[a], a, b). The CAS fails if a stopped being a root, so two links never hang one root
     * under two parents, and a merge takes effect at that CAS (the linearization point of a union returning true).
     *
     * Acyclicity comes from a strict total order on elements that every link respects, "lower under higher":
     * - link=index: a random permutation of the ids fixed at creation; a link hangs the root of lower priority
     *   under the other. Priorities never change, so all threads agree, and priorities strictly increase along
     *   every path. Random priorities give expected logarithmic depth (Jayanti-Tarjan). As [1] recommends, the
     *   priorities are implicit: priority(a) is a bijective 32-bit mix of a and the seed (MurmurHash3's
     *   finalizer, each step of which is invertible), computed on the fly, so a comparison costs a few
     *   multiplications instead of two cache misses into a priority array.
     * - link=rank: the order is (rank, id). A rank lives in the top 5 bits of the same word as the parent (bits
     *   27..31; ids use the low 27 bits, hence at most 2^27 elements; a root of rank r holds at least 2^r
     *   elements, because a rank only grows right after a root of equal rank was linked under it, so a rank never
     *   exceeds log2 n <= 27 and fits in 5 bits). Packing
     *   is what keeps concurrent ranks correct: the link CAS expects the lower root's whole word, so it fails if
     *   that root's rank changed after we compared, and a non-root's rank never changes again (compaction copies
     *   the rank bits). The higher element's rank can only have grown since we read it, which keeps it higher.
     *   Hence (rank, id) strictly increases along every path at all times. After linking two roots of equal
     *   rank, one CAS tries to raise the new parent's rank by one (expecting it to be a root of that rank); if
     *   it fails, someone else changed that word and the rank stays as it is: ranks are then only a heuristic,
     *   never a correctness condition. Union by size is not offered here: a size does not fit beside a parent in
     *   one word, and kept in a second array it cannot be validated by the link CAS, so two threads could order
     *   the same pair of roots differently and create a cycle (uf-seq and uf-lock link by size).
     *
     * Because the order increases towards the root, a root r is never below a higher element: an element higher
     * than r is not in r's tree. Linking a root under a non-root higher element is therefore safe and still
     * merges two different sets, which early recognition uses.
     *
     * Compaction only ever replaces the parent of a non-root by one of its ancestors, so it changes no set and
     * keeps the order increasing along paths. That is why it may use plain (release) stores instead of CAS: a
     * racing store may undo another compaction (writing a lower ancestor), never a link, because links only touch
     * roots and compaction only non-roots. With write=cas a weak CAS expects the word read and simply skips the
     * step if it changed. Splitting points x at its grandparent and moves to the old parent; halving does the
     * same and moves to the grandparent; compression finds the root, then points every node of the path at it.
     * That root may have been linked in between, and another thread may already have pointed a node of our path
     * past it: the second pass must then stop, or it would hang the root's new ancestors under the root (a
     * cycle). The order tells: all ancestors of x lie on one chain ordered by link order, so a parent p is below
     * the root exactly when p is lower than it (read after the parent, the comparison is stable: above the root,
     * the root's rank is already frozen; below it, p's is).
     *
     * union(x, y), classic: find both roots; equal: false (one set at the instant the second find read its root,
     * since the first root was still a root then); else link the lower root under the higher; if its CAS fails,
     * start again. Early recognition [1]: walk from x and y at once, always advancing the lower of the two current
     * elements by one compaction step; if they meet, the sets were already one; when the lower one is a root, link
     * it under the other (which need not be a root). Walking the lower side only is what makes them meet inside a
     * common tree. The immediate-parent check [1] first reads both parents: x == parent(y), y == parent(x) or one
     * common parent means one set already, answered without any walk.
     */
    static final int RANK_SHIFT = 27;
    /** Most elements with link=rank: the parent must fit in the low {@value #RANK_SHIFT} bits. */
    static final int MAX_RANKED = 1 << RANK_SHIFT;
    private static final int ID_MASK = MAX_RANKED - 1;
    private static final int RANK_ONE = 1 << RANK_SHIFT;

    enum Link { INDEX, RANK }

    enum Compaction { NONE, SPLITTING, HALVING, COMPRESSION }

    private final Link link;
    private final Compaction compaction;
    private final boolean early;
    private final boolean immediate;
    private final boolean casWrites;
    /** link=index: the seed mixed into every implicit priority. */
    private final int salt;

    LockFreeUnionFind(int n, Link link, Compaction compaction, boolean early, boolean immediate, boolean casWrites,
                      long seed) {
        super(n, link == Link.RANK ? ID_MASK : -1);
        if (early && compaction == Compaction.COMPRESSION) {
            throw new IllegalArgumentException("compact=compression needs the root before it writes; "
                    + "it cannot be combined with early=true (use splitting or halving)");
        }
        this.link = link;
        this.compaction = compaction;
        this.early = early;
        this.immediate = immediate;
        this.casWrites = casWrites;
        this.salt = (int) (seed ^ (seed >>> 32));
    }

    /** The implicit random priority of {@code a}: a bijection of the ints, so distinct ids never tie. */
    private int priority(int a) {
        int h = a ^ salt;
        h ^= h >>> 16;
        h *= 0x85EBCA6B;
        h ^= h >>> 13;
        h *= 0xC2B2AE35;
        return h ^ (h >>> 16);
    }

    @Override
    public int find(int x) {
        checked(x);
        if (compaction == Compaction.COMPRESSION) {
            return findCompressing(x);
        }
        for (;;) {
            int w = word(x);
            int p = w & parentMask;
            if (p == x) {
                return x;
            }
            x = step(x, w, p);
        }
    }

    private int findCompressing(int x) {
        int root = x;
        for (int p = parentOf(root); p != root; p = parentOf(root)) {
            root = p;
        }
        for (;;) {
            int w = word(x);
            int p = w & parentMask;
            if (p == root || p == x || !lower(p, word(p), root, word(root))) {
                return root;
            }
            compact(x, w, root);
            x = p;
        }
    }

    /** One move up from the non-root {@code x} (word {@code w}, parent {@code p}), compacting on the way. */
    private int step(int x, int w, int p) {
        if (compaction == Compaction.NONE) {
            return p;
        }
        int g = parentOf(p);
        if (g == p) {
            return p;
        }
        compact(x, w, g);
        return compaction == Compaction.HALVING ? g : p;
    }

    /** Points the non-root {@code x} (word {@code w}) at its ancestor {@code a}, keeping its rank bits. */
    private void compact(int x, int w, int a) {
        int replacement = (w & ~parentMask) | a;
        if (casWrites) {
            WORDS.weakCompareAndSetRelease(words, x, w, replacement);
        } else {
            WORDS.setRelease(words, x, replacement);
        }
    }

    /** Whether {@code a} (word {@code wa}) comes before {@code b} (word {@code wb}) in the link order. */
    private boolean lower(int a, int wa, int b, int wb) {
        if (link == Link.INDEX) {
            return priority(a) < priority(b);
        }
        int ra = wa >>> RANK_SHIFT;
        int rb = wb >>> RANK_SHIFT;
        return ra < rb || (ra == rb && a < b);
    }

    /**
     * Links the root {@code low} (word {@code wl}) under the higher {@code high} (word {@code wh}) if {@code low} is
     * still that root; raises {@code high}'s rank after a link of equal ranks.
     */
    private boolean link(int low, int wl, int high, int wh) {
        if (!WORDS.compareAndSet(words, low, wl, (wl & ~parentMask) | high)) {
            return false;
        }
        if (link == Link.RANK && (wl >>> RANK_SHIFT) == (wh >>> RANK_SHIFT) && (wh & parentMask) == high) {
            WORDS.compareAndSet(words, high, wh, wh + RANK_ONE);
        }
        return true;
    }

    @Override
    public boolean union(int x, int y) {
        checked(x);
        checked(y);
        if (x == y) {
            return false;
        }
        if (immediate) {
            int px = parentOf(x);
            int py = parentOf(y);
            if (px == py || px == y || py == x) {
                return false;
            }
        }
        return early ? unionEarly(x, y) : unionByRoots(x, y);
    }

    private boolean unionByRoots(int x, int y) {
        for (;;) {
            int rx = find(x);
            int ry = find(y);
            if (rx == ry) {
                return false;
            }
            int wx = word(rx);
            int wy = word(ry);
            boolean ok = lower(rx, wx, ry, wy)
                    ? (wx & parentMask) == rx && link(rx, wx, ry, wy)
                    : (wy & parentMask) == ry && link(ry, wy, rx, wx);
            if (ok) {
                return true;
            }
        }
    }

    private boolean unionEarly(int u, int v) {
        for (;;) {
            if (u == v) {
                return false;
            }
            int wu = word(u);
            int wv = word(v);
            if (!lower(u, wu, v, wv)) {
                int t = u;
                u = v;
                v = t;
                t = wu;
                wu = wv;
                wv = t;
            }
            int pu = wu & parentMask;
            if (pu == u) {
                if (link(u, wu, v, wv)) {
                    return true;
                }
            } else {
                u = step(u, wu, pu);
            }
        }
    }

    @Override
    public String toString() {
        return "uf(link=" + name(link) + ",compact=" + name(compaction) + ",early=" + early + ",immediate=" + immediate
                + ",write=" + (casWrites ? "cas" : "plain") + ",n=" + size() + ")";
    }

    static String name(Enum<?> e) {
        return e.name().toLowerCase(java.util.Locale.ROOT);
    }
}
