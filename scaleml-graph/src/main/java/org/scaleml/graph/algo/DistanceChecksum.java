package org.scaleml.graph.algo;

/**
 * A short value identifying a distance or level array: the sum of the finite entries and how many there
 * are. Two runs of any SSSP or BFS implementation from the same source agree on it exactly, so it is what
 * the command line prints as {@code checksum} and what benchmarks compare.
 *
 * <p>The sum wraps modulo 2<sup>64</sup> in the (theoretical) case that it overflows; it stays a valid
 * identifier either way. Immutable value; O(n) to compute.
 *
 * @param sum sum of all finite distances (or levels)
 * @param reachable number of finite entries, the source included
 */
public record DistanceChecksum(long sum, int reachable) {
    /**
     * @param dist distances with {@link SequentialDijkstra#UNREACHABLE} ({@code Long.MAX_VALUE}) for
     *     unreachable nodes
     * @return the checksum of the finite entries
     */
    public static DistanceChecksum of(long[] dist) {
        long sum = 0;
        int reachable = 0;
        for (long d : dist) {
            if (d != SequentialDijkstra.UNREACHABLE) {
                sum += d;
                reachable++;
            }
        }
        return new DistanceChecksum(sum, reachable);
    }

    /**
     * @param levels BFS levels with {@link SequentialBfs#UNREACHED} (-1) for unreached nodes
     * @return the checksum of the non-negative entries
     */
    public static DistanceChecksum ofLevels(int[] levels) {
        long sum = 0;
        int reachable = 0;
        for (int d : levels) {
            if (d >= 0) {
                sum += d;
                reachable++;
            }
        }
        return new DistanceChecksum(sum, reachable);
    }
}
