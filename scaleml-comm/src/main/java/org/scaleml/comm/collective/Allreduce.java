package org.scaleml.comm.collective;

/**
 * The dense sum-allreduce algorithms of {@link Collectives#allreduce(float[], int, int, Algorithm)} and the rule
 * that picks one.
 *
 * <h2>Costs</h2>
 * For {@code P} ranks and {@code n} floats ({@code 4n} bytes), with {@code P' = 2^floor(log2 P)}:
 * <table>
 *   <caption>steps and bytes sent per rank</caption>
 *   <tr><th>algorithm</th><th>steps (latency terms)</th><th>bytes sent per rank</th></tr>
 *   <tr><td>{@link Algorithm#RING}</td><td>{@code 2 (P - 1)}</td>
 *       <td>{@code 2 (P - 1) / P * 4n} (exactly {@code 4 (n - |chunk r|) + 4 (n - |chunk r+1|)})</td></tr>
 *   <tr><td>{@link Algorithm#RECURSIVE_DOUBLING}</td><td>{@code log2 P'}, plus 2 if {@code P} is not a power of
 *       two</td><td>{@code 4n log2 P'}, plus {@code 4n} on the {@code 2 (P - P')} ranks that fold</td></tr>
 * </table>
 * Ring is bandwidth-optimal (no rank can send less than {@code (P - 1) / P} of the vector twice) but pays
 * {@code 2 (P - 1)} latencies; recursive doubling pays {@code log2 P} latencies but sends the whole vector in every
 * step. {@link Algorithm#AUTO} therefore takes recursive doubling for messages of at most
 * {@value #AUTO_THRESHOLD_BYTES} bytes (where a step's latency, tens of microseconds on a LAN, outweighs the extra
 * bytes) and for two ranks (where both send the same bytes and recursive doubling takes one step instead of two),
 * and the ring otherwise. The same threshold is MPICH's order of magnitude for switching away from recursive
 * doubling [1].
 *
 * <h2>Results</h2>
 * Both algorithms leave bitwise identical results on all ranks: in the ring, each chunk's sum is computed by its
 * owner alone and copied to the others; in recursive doubling, the two partners of a step hold equal values and
 * add the same two operands ({@code a + b == b + a} in IEEE arithmetic). The two algorithms add in different
 * orders, so their results agree with each other and with the exact sum only to float rounding:
 * {@code |computed - exact| <= (P - 1) u sum_r |x_r|} per element with {@code u = 2^-24}.
 *
 * <p>[1] R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective Communication Operations in MPICH",
 * IJHPCA 19(1), 2005.
 */
public final class Allreduce {
    /** Messages of at most this many bytes go by recursive doubling under {@link Algorithm#AUTO}: 64 KiB. */
    public static final int AUTO_THRESHOLD_BYTES = 64 << 10;

    /** How to run a dense allreduce. */
    public enum Algorithm {
        /** Ring reduce-scatter then ring allgather: bandwidth-optimal, {@code 2 (P - 1)} steps. */
        RING,
        /** Recursive doubling with the fold of the ranks beyond the largest power of two: {@code log2 P} steps. */
        RECURSIVE_DOUBLING,
        /** {@link #RECURSIVE_DOUBLING} for short messages or two ranks, else {@link #RING}; see {@link #choose}. */
        AUTO
    }

    private Allreduce() {
    }

    /**
     * The algorithm {@link Algorithm#AUTO} runs for {@code n} floats on {@code size} ranks: recursive doubling if
     * {@code 4n <= AUTO_THRESHOLD_BYTES} or {@code size <= 2}, else ring. Every rank computes the same answer.
     */
    public static Algorithm choose(int n, int size) {
        return 4L * n <= AUTO_THRESHOLD_BYTES || size <= 2 ? Algorithm.RECURSIVE_DOUBLING : Algorithm.RING;
    }

    /*
     * Ring: Ring.reduceScatter then Ring.allgatherChunks (see Ring for the schedule) [2].
     *
     * Recursive doubling [1]: with P' the largest power of two <= P and m = P - P', the first 2m ranks fold in
     * pairs: even rank 2i sends its vector to 2i + 1 and sits out, odd rank 2i + 1 adds it and takes the new rank
     * i; ranks r >= 2m take the new rank r - m. The P' active ranks then run log2 P' steps; in step j new rank v
     * exchanges its whole vector with new rank v XOR 2^j and adds the partner's: after step j each rank holds the
     * sum over the 2^(j+1) new ranks that agree with it above bit j. At the end the odd folding ranks send the
     * result back to their even partners. Invariant for identical results: the two partners of a step hold the
     * same value bit for bit (both computed a + b from the same a and b), so all ranks end equal.
     *
     * [1] R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective Communication Operations in MPICH",
     *     IJHPCA 19(1), 2005.
     * [2] P. Patarasuk, X. Yuan, "Bandwidth optimal all-reduce algorithms for clusters of workstations", JPDC 69(2),
     *     2009.
     */

    static void ring(Link link, int tag, float[] data, int off, int n) {
        Ring.reduceScatter(link, tag, data, off, n);
        Ring.allgatherChunks(link, tag + 1, data, off, n);
    }

    static void recursiveDoubling(Link link, int tag, float[] data, int off, int n) {
        final int p = link.size;
        final int r = link.rank;
        if (p == 1) {
            return;
        }
        final int pp = Integer.highestOneBit(p);
        final int extra = p - pp;
        final int foldTag = tag;
        final int stepTag = tag + 1;
        final int unfoldTag = tag + 2;
        int v;
        if (r < 2 * extra) {
            if ((r & 1) == 0) {
                link.sendFloats(r + 1, foldTag, data, off, n);
                link.receiveFloats(r + 1, unfoldTag, data, off, n, false);
                return;
            }
            link.receiveFloats(r - 1, foldTag, data, off, n, true);
            v = r >> 1;
        } else {
            v = r - extra;
        }
        for (int mask = 1; mask < pp; mask <<= 1) {
            int pv = v ^ mask;
            int partner = pv < extra ? 2 * pv + 1 : pv + extra;
            link.sendFloats(partner, stepTag, data, off, n);
            link.receiveFloats(partner, stepTag, data, off, n, true);
        }
        if (r < 2 * extra) {
            link.sendFloats(r - 1, unfoldTag, data, off, n);
        }
    }
}
