/**
 * Running graph algorithms for the command line, without picocli: {@link org.scaleml.cli.graph.GraphInput} loads a
 * graph file (through the binary cache, with DIMACS coordinates for A*) and turns user-fixable problems into
 * one-line {@link java.lang.IllegalArgumentException}s naming the file and line; {@link
 * org.scaleml.cli.graph.GraphRun} runs one parallel algorithm on a scheduler, times it (loading excluded), runs the
 * sequential reference and compares the two exactly. Node ids in this package are internal ({@code 0..n-1});
 * the commands convert file ids at the edge.
 */
package org.scaleml.cli.graph;
