package org.scaleml.comm.collective;

/**
 * Ring algorithms on the ranks {@code 0 -> 1 -> ... -> size-1 -> 0}: reduce-scatter and allgather of the chunks
 * of a float vector ({@link Chunks}), and allgather of byte blocks of any sizes. Each runs {@code size - 1} steps;
 * in every step each rank sends one chunk to its right neighbour and receives one from its left, so every link
 * carries the same load and the bytes each rank sends are {@code (size - 1) / size} of the vector per phase,
 * the lower bound for these collectives.
 */
final class Ring {
    /*
     * Reduce-scatter [1, 2]: at step s = 0 .. P-2 rank r sends chunk (r - s - 1) mod P, which holds the sum of
     * the contributions of ranks r - s .. r, and receives chunk (r - s - 2) mod P from its left neighbour, adding
     * its own contribution (own + incoming). Chunk c thus starts at rank c + 1 and travels P - 1 hops to rank c,
     * which adds the last contribution at step P - 2: the sum of chunk c is computed in the fixed order
     * x_{c+1}, x_{c+2}, ..., x_c, by one rank only.
     *
     * Allgather: at step s rank r forwards chunk (r - s) mod P (its own at s = 0) and receives chunk
     * (r - s - 1) mod P; after P - 1 steps every rank holds every chunk, byte for byte as its owner computed it.
     *
     * [1] P. Patarasuk, X. Yuan, "Bandwidth optimal all-reduce algorithms for clusters of workstations", JPDC 69(2),
     *     2009.
     * [2] R. Thakur, R. Rabenseifner, W. Gropp, "Optimization of Collective Communication Operations in MPICH",
     *     IJHPCA 19(1), 2005.
     */
    private Ring() {
    }

    /** Ring reduce-scatter of {@code data[off, off + n)}: afterwards this rank's chunk holds the sum. */
    static void reduceScatter(Link link, int tag, float[] data, int off, int n) {
        final int p = link.size;
        final int r = link.rank;
        if (p == 1) {
            return;
        }
        final int right = (r + 1) % p;
        final int left = (r - 1 + p) % p;
        for (int s = 0; s < p - 1; s++) {
            int sc = Math.floorMod(r - s - 1, p);
            int rc = Math.floorMod(r - s - 2, p);
            link.sendFloats(right, tag, data, off + Chunks.start(n, p, sc), Chunks.length(n, p, sc));
            link.receiveFloats(left, tag, data, off + Chunks.start(n, p, rc), Chunks.length(n, p, rc), true);
        }
    }

    /** Ring allgather of the chunks of {@code data[off, off + n)}: each rank contributes its own chunk. */
    static void allgatherChunks(Link link, int tag, float[] data, int off, int n) {
        final int p = link.size;
        final int r = link.rank;
        if (p == 1) {
            return;
        }
        final int right = (r + 1) % p;
        final int left = (r - 1 + p) % p;
        for (int s = 0; s < p - 1; s++) {
            int sc = Math.floorMod(r - s, p);
            int rc = Math.floorMod(r - s - 1, p);
            link.sendFloats(right, tag, data, off + Chunks.start(n, p, sc), Chunks.length(n, p, sc));
            link.receiveFloats(left, tag, data, off + Chunks.start(n, p, rc), Chunks.length(n, p, rc), false);
        }
    }

    /**
     * Ring allgather of byte blocks of any sizes: returns every rank's block, indexed by rank; entry
     * {@code rank} is {@code mine[0, mineLen)} (the array itself if {@code mineLen == mine.length}, else a copy).
     */
    static byte[][] allgatherBlocks(Link link, int tag, byte[] mine, int mineLen) {
        final int p = link.size;
        final int r = link.rank;
        byte[][] blocks = new byte[p][];
        blocks[r] = mineLen == mine.length ? mine : java.util.Arrays.copyOf(mine, mineLen);
        final int right = (r + 1) % p;
        final int left = (r - 1 + p) % p;
        for (int s = 0; s < p - 1; s++) {
            byte[] b = blocks[Math.floorMod(r - s, p)];
            link.sendBlock(right, tag, b, 0, b.length);
            blocks[Math.floorMod(r - s - 1, p)] = link.receiveBlock(left, tag);
        }
        return blocks;
    }
}
