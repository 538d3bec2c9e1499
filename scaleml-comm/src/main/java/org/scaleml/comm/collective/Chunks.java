package org.scaleml.comm.collective;

/**
 * The chunking rule shared by every collective that splits a vector among ranks (reduce-scatter, ring allreduce,
 * compressed allreduce, scatter-allgather broadcast): a vector of {@code n} elements is cut into {@code size}
 * contiguous chunks, chunk {@code c} owned by rank {@code c}; with {@code q = n / size} and {@code m = n % size},
 * chunk {@code c} has {@code q + 1} elements if {@code c < m}, else {@code q}, and starts at
 * {@code c q + min(c, m)}. So the chunks differ in length by at most one and the longer ones come first; for
 * {@code n < size} ranks {@code 0 .. n-1} own one element each and the others an empty chunk; for {@code n = 0}
 * every chunk is empty.
 */
public final class Chunks {
    private Chunks() {
    }

    /** The first index of chunk {@code c} of {@code n} elements split among {@code size} ranks. */
    public static int start(int n, int size, int c) {
        int q = n / size;
        int m = n % size;
        return c * q + Math.min(c, m);
    }

    /** The number of elements of chunk {@code c}. */
    public static int length(int n, int size, int c) {
        int q = n / size;
        return c < n % size ? q + 1 : q;
    }
}
