package org.scaleml.graph;

/**
 * Node coordinates as read from a DIMACS {@code .co} file: {@code x[i], y[i]} for internal node {@code i}
 * (file id {@code i + 1}); for the DIMACS road networks, longitude and latitude in millionths of a degree.
 * The arrays are not copied; treat them as read-only once handed to a graph.
 *
 * @param x x coordinate (longitude) per node
 * @param y y coordinate (latitude) per node
 */
public record Coordinates(int[] x, int[] y) {
    /** @throws IllegalArgumentException if the arrays differ in length */
    public Coordinates {
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " entries, y " + y.length);
        }
    }

    /** @return number of nodes */
    public int size() {
        return x.length;
    }
}
