package org.scaleml.graph.algo;

/**
 * A matching of a graph's undirected view.
 *
 * @param mate {@code mate[v]} is the node matched with v, or -1 if v is unmatched ({@code mate[mate[v]] ==
 *     v})
 * @param size the number of matched pairs (what the command line reports as {@code checksum})
 */
public record Matching(int[] mate, int size) {
}
