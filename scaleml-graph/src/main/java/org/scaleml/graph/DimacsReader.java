package org.scaleml.graph;

import java.io.IOException;
import java.util.Arrays;

/**
 * DIMACS 9th challenge shortest-path files: {@code .gr} ({@code p sp N M}, {@code a u v w}) and {@code .co}
 * ({@code p aux sp co N}, {@code v id x y}); {@code c} lines are comments. One pass, byte-level parsing.
 */
final class DimacsReader {
    private DimacsReader() {
    }

    static CsrGraph readGraph(TextScanner sc, ReadOptions o) throws IOException {
        long n = -1;
        long m = -1;
        long problemLine = 0;
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
                    throw sc.error("more arcs than the " + m + " declared on line " + problemLine);
                }
                arcs++;
                b.addUnchecked(u - 1, v - 1, (int) w);
            } else if (c == 'c') {
                sc.skipLine();
            } else if (c == 'p') {
                sc.consumeTag();
                if (b != null) {
                    throw sc.error("duplicate problem line (the first is line " + problemLine + ")");
                }
                long[] counts = sc.problemLine("sp", "arc count");
                n = counts[0];
                m = counts[1];
                problemLine = sc.line();
                b = new GraphBuilder((int) n, !o.symmetrize()).expectedEdges(m)
                        .dropSelfLoops(o.dropSelfLoops()).deduplicate(o.mergeParallel()).idOffset(1);
            } else {
                throw sc.error("unexpected line starting with '" + (char) c + "'; expected c, p or a");
            }
        }
        return finish(sc, b, "p sp N M", arcs, m, "arcs", problemLine);
    }

    /**
     * The end of a file with a problem line: checks that there was one and that no declared arc or edge is
     * missing, then builds the graph. Shared by the DIMACS and PACE readers.
     */
    static CsrGraph finish(TextScanner sc, GraphBuilder b, String problemSyntax, long found, long declared,
                           String what, long problemLine) throws IOException {
        if (b == null) {
            throw sc.error("missing problem line '" + problemSyntax + "'");
        }
        if (found < declared) {
            throw sc.error("found " + found + " " + what + ", fewer than the " + declared + " declared on line "
                    + problemLine);
        }
        String shortfall = b.heapShortfall();
        if (shortfall != null) {
            throw new GraphFormatException(sc.file(), problemLine, shortfall);
        }
        return b.build();
    }

    static Coordinates readCoordinates(TextScanner sc) throws IOException {
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
