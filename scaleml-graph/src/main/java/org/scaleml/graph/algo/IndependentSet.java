package org.scaleml.graph.algo;

/**
 * An independent set of a graph's undirected view.
 *
 * @param member {@code member[v]} is true if node v is in the set
 * @param size the number of members (what the command line reports as {@code checksum})
 */
public record IndependentSet(boolean[] member, int size) {
}
