package org.scaleml.comm.collective;

import java.util.function.IntConsumer;

/**
 * Logarithmic-depth collectives: the dissemination barrier and the binomial-tree broadcast, plus the
 * scatter-allgather broadcast for long vectors.
 */
final class Trees {
    /*
     * Dissemination barrier [1]: in round k = 0 .. ceil(log2 P) - 1 rank r sends an empty frame to r + 2^k and
     * waits for one from r - 2^k (mod P). After round k, rank r has (transitively) heard from the 2^(k+1) - 1 ranks
     * before it, so after the last round from all of them: no rank leaves before every rank has entered.
     *
     * Binomial broadcast [2]: with ranks renumbered relative to the root (v = r - root mod P), rank v > 0 receives
     * from v minus its lowest set bit, then sends to v + 2^j for every 2^j below that bit (largest first) with
     * v + 2^j < P: ceil(log2 P) rounds, each non-root receives the message once, the root sends it
     * ceil(log2 P) times.
     *
     * Scatter-allgather broadcast [3]: the root sends chunk c to rank c, then a ring allgather of the chunks; every
     * rank sends and receives about 2 (P - 1) / P of the message instead of the root sending it log2 P times, the
     * better choice for long messages.
     *
     * [1] D. Hensgen, R. Finkel, U. Manber, "Two algorithms for barrier synchronization", IJPP 17(1), 1988.
     * [2] R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective Communication Operations in MPICH",
     *     IJHPCA 19(1), 2005.
     * [3] M. Barnett, S. Gupta, D. Payne, L. Shuler, R. van de Geijn, J. Watts, "Interprocessor collective
     *     communication library (InterCom)", SHPCC 1994.
     */
    private Trees() {
    }

    static void barrier(Link link, int tag) {
        final int p = link.size;
        final int r = link.rank;
        byte[] none = new byte[0];
        for (int k = 0, d = 1; d < p; k++, d <<= 1) {
            link.comm.send((r + d) % p, tag + k, none, 0, 0);
            byte[] f = link.comm.receive((r - d + p) % p, tag + k);
            if (f.length != 0) {
                throw Failures.protocol((r - d + p) % p, "barrier frame of " + f.length + " bytes");
            }
        }
    }

    /** Walks the binomial tree of {@code root}: {@code in} gets this rank's parent, {@code out} each child. */
    private static void binomial(int p, int r, int root, IntConsumer in, IntConsumer out) {
        int v = Math.floorMod(r - root, p);
        int mask = 1;
        while (mask < p) {
            if ((v & mask) != 0) {
                in.accept((v - mask + root) % p);
                break;
            }
            mask <<= 1;
        }
        mask >>= 1;
        while (mask > 0) {
            if (v + mask < p) {
                out.accept((v + mask + root) % p);
            }
            mask >>= 1;
        }
    }

    /** Binomial-tree broadcast of {@code data[off, off + n)} from {@code root}. */
    static void broadcastBinomial(Link link, int tag, int root, float[] data, int off, int n) {
        binomial(link.size, link.rank, root,
                from -> link.receiveFloats(from, tag, data, off, n, false),
                to -> link.sendFloats(to, tag, data, off, n));
    }

    /** Scatter from {@code root} then ring allgather of the chunks of {@code data[off, off + n)}. */
    static void broadcastScatterAllgather(Link link, int tag, int root, float[] data, int off, int n) {
        final int p = link.size;
        final int r = link.rank;
        if (r == root) {
            for (int c = 0; c < p; c++) {
                if (c != root) {
                    link.sendFloats(c, tag, data, off + Chunks.start(n, p, c), Chunks.length(n, p, c));
                }
            }
        } else {
            link.receiveFloats(root, tag, data, off + Chunks.start(n, p, r), Chunks.length(n, p, r), false);
        }
        Ring.allgatherChunks(link, tag + 1, data, off, n);
    }

    /** Binomial-tree broadcast of a block from {@code root}; returns the root's block on every rank. */
    static byte[] broadcastBlock(Link link, int tag, int root, byte[] data) {
        byte[][] holder = {link.rank == root ? data : null};
        binomial(link.size, link.rank, root,
                from -> holder[0] = link.receiveBlock(from, tag),
                to -> link.sendBlock(to, tag, holder[0], 0, holder[0].length));
        return holder[0];
    }
}
