package org.scaleml.graph;

import java.io.IOException;
import java.util.Arrays;
import org.scaleml.common.io.TextScanner;

/**
 * DIMACS 9th challenge shortest-path files: {@code .gr} ({@code p sp N M}, {@code a u v w}) and {@code .co}
 * ({@code p aux sp co N}, {@code v id x y}); {@code c} lines are comments. One pass, byte-level parsing.
 */
final class DimacsReader {
    private DimacsReader() {
    }

    /**
     * A problem line {@code p KIND N M}: the node count, the declared arc or edge count, and the line it is on.
     */
    record Problem(long nodes, long count, long line) {
    }

    /**
     * Reads the problem line {@code p KIND N M} that starts on the current line (shared by the DIMACS and PACE
     * readers): its tag, the kind, a node count in {@code 0..2^31-2}, a non-negative count named
     * {@code countName} in errors, and nothing after them.
     *
     * @param first the problem line read before, or {@code null}; a second one is an error
     */
    static Problem problemLine(TextScanner<IOException> sc, String kind, String countName, Problem first)
            throws IOException {
        sc.consumeTag();
        if (first != null) {
            throw sc.error("duplicate problem line (the first is line " + first.line() + ")");
        }
        String got = sc.nextWord("problem type");
        if (!got.equals(kind)) {
            throw sc.error("problem type '" + got + "', expected 'p " + kind + " N M'");
        }
        long n = sc.nextInt("node count", 0, Integer.MAX_VALUE - 1);
        long m = sc.nextLong(countName);
        if (m < 0) {
            throw sc.error("negative " + countName + " " + m);
        }
        sc.endLine();
        return new Problem(n, m, sc.line());
    }

    static CsrGraph readGraph(TextScanner<IOException> sc, ReadOptions o) throws IOException {
        long n = -1;
        long m = -1;
        Problem problem = null;
        long arcs = 0;
        GraphBuilder b = null;
        long minWeight = o.allowNegativeWeights() ? Integer.MIN_VALUE : 0;
        while (sc.nextLine()) {
            int c = sc.peek();
            if (c == 'a') {
                sc.consumeTag();
                if (b == null) {
                    throw sc.error("arc before the problem line 'p sp N M'");
                }
                int u = sc.nextInt("arc tail", 1, n);
                int v = sc.nextInt("arc head", 1, n);
                long w = sc.nextLong("arc weight");
                if (w < minWeight) {
                    throw sc.error("negative arc weight " + w);
                }
                if (w > Integer.MAX_VALUE) {
                    throw sc.error("arc weight " + w + " does not fit in an int");
                }
                sc.endLine();
                if (arcs == m) {
                    throw sc.error("more arcs than the " + m + " declared on line " + problem.line());
                }
                arcs++;
                b.addUnchecked(u - 1, v - 1, (int) w);
            } else if (c == 'c') {
                sc.skipLine();
            } else if (c == 'p') {
                problem = problemLine(sc, "sp", "arc count", problem);
                n = problem.nodes();
                m = problem.count();
                b = new GraphBuilder((int) n, !o.symmetrize()).expectedEdges(m)
                        .dropSelfLoops(o.dropSelfLoops()).deduplicate(o.mergeParallel()).idOffset(1);
            } else {
                throw sc.error("unexpected line starting with '" + (char) c + "'; expected c, p or a");
            }
        }
        return finish(sc, b, "p sp N M", arcs, problem, "arcs");
    }

    /**
     * The end of a file with a problem line: checks that there was one and that no declared arc or edge is
     * missing, then builds the graph. Shared by the DIMACS and PACE readers.
     */
    static CsrGraph finish(TextScanner<IOException> sc, GraphBuilder b, String problemSyntax, long found,
                           Problem problem, String what) throws IOException {
        if (b == null) {
            throw sc.error("missing problem line '" + problemSyntax + "'");
        }
        if (found < problem.count()) {
            throw sc.error("found " + found + " " + what + ", fewer than the " + problem.count() + " declared on line "
                    + problem.line());
        }
        String shortfall = b.heapShortfall();
        if (shortfall != null) {
            throw sc.errorAt(problem.line(), 0, shortfall);
        }
        return b.build();
    }

    static Coordinates readCoordinates(TextScanner<IOException> sc) throws IOException {
        long n = -1;
        long problemLine = 0;
        int[] x = null;
        int[] y = null;
        long[] seen = null; // bit set of ids with coordinates
        long count = 0;
        while (sc.nextLine()) {
            int c = sc.peek();
            if (c == 'v') {
                sc.consumeTag();
                if (x == null) {
                    throw sc.error("coordinate before the problem line 'p aux sp co N'");
                }
                int id = sc.nextInt("node id", 1, n);
                int xi = sc.nextInt("x coordinate", Integer.MIN_VALUE, Integer.MAX_VALUE);
                int yi = sc.nextInt("y coordinate", Integer.MIN_VALUE, Integer.MAX_VALUE);
                sc.endLine();
                int i = id - 1;
                if (i >= x.length) {
                    int cap = (int) Math.min(n, Math.max((long) i + 1, x.length + (x.length >> 1) + 16L));
                    x = Arrays.copyOf(x, cap);
                    y = Arrays.copyOf(y, cap);
                    seen = Arrays.copyOf(seen, (cap + 63) >>> 6);
                }
                if ((seen[i >>> 6] & (1L << i)) != 0) {
                    throw sc.error("duplicate coordinates for node " + id);
                }
                seen[i >>> 6] |= 1L << i;
                x[i] = xi;
                y[i] = yi;
                count++;
            } else if (c == 'c') {
                sc.skipLine();
            } else if (c == 'p') {
                sc.consumeTag();
                if (x != null) {
                    throw sc.error("duplicate problem line (the first is line " + problemLine + ")");
                }
                String[] expect = {"aux", "sp", "co"};
                for (String e : expect) {
                    String w = sc.nextWord("'" + e + "' in 'p aux sp co N'");
                    if (!w.equals(e)) {
                        throw sc.error("expected 'p aux sp co N', found '" + w + "' for '" + e + "'");
                    }
                }
                n = sc.nextInt("node count", 0, Integer.MAX_VALUE - 1);
                sc.endLine();
                problemLine = sc.line();
                int cap = (int) Math.min(n, GraphBuilder.MAX_PREALLOCATION);
                x = new int[cap];
                y = new int[cap];
                seen = new long[(cap + 63) >>> 6];
            } else {
                throw sc.error("unexpected line starting with '" + (char) c + "'; expected c, p or v");
            }
        }
        if (x == null) {
            throw sc.error("missing problem line 'p aux sp co N'");
        }
        if (count < n) {
            throw sc.error("coordinates for " + count + " nodes, fewer than the " + n + " declared on line " + problemLine);
        }
        return new Coordinates(x, y);
    }
}
