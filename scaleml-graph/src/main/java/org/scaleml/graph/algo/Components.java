package org.scaleml.graph.algo;

/**
 * Connected components of a graph's undirected view.
 *
 * @param labels per node, the smallest node id of its component (so {@code labels[v] <= v}, and {@code
 *     labels[v] == v} exactly for the smallest node of each component); identical for every correct
 *     algorithm, hence comparable with {@link java.util.Arrays#equals(int[], int[])}
 * @param count the number of components (isolated nodes count as components)
 */
public record Components(int[] labels, int count) {
    /** @return the size of the largest component (0 for an empty graph); O(n) */
    public int largestSize() {
        int[] size = new int[labels.length];
        int best = 0;
        for (int l : labels) {
            best = Math.max(best, ++size[l]);
        }
        return best;
    }
}
