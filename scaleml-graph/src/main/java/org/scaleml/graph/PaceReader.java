package org.scaleml.graph;

import java.io.IOException;
import org.scaleml.common.io.TextScanner;

/**
 * PACE 2016 treewidth graphs: {@code c} comments, {@code p tw N M}, then {@code M} lines {@code u v}
 * (1-based). Undirected and unweighted.
 */
final class PaceReader {
    private PaceReader() {
    }

    static CsrGraph read(TextScanner<IOException> sc, ReadOptions o) throws IOException {
        long n = -1;
        long m = -1;
        DimacsReader.Problem problem = null;
        long edges = 0;
        GraphBuilder b = null;
        while (sc.nextLine()) {
            int c = sc.peek();
            if (c >= '0' && c <= '9') {
                if (b == null) {
                    throw sc.error("edge before the problem line 'p tw N M'");
                }
                int u = sc.nextInt("edge endpoint", 1, n);
                int v = sc.nextInt("edge endpoint", 1, n);
                sc.endLine();
                if (edges == m) {
                    throw sc.error("more edges than the " + m + " declared on line " + problem.line());
                }
                edges++;
                b.addUnchecked(u - 1, v - 1, 1);
            } else if (c == 'c') {
                sc.skipLine();
            } else if (c == 'p') {
                problem = DimacsReader.problemLine(sc, "tw", "edge count", problem);
                n = problem.nodes();
                m = problem.count();
                b = new GraphBuilder((int) n, false).weighted(false).expectedEdges(m)
                        .dropSelfLoops(o.dropSelfLoops()).deduplicate(o.deduplicate()).idOffset(1);
            } else {
                throw sc.error("unexpected line starting with '" + (char) c + "'; expected c, p or an edge 'u v'");
            }
        }
        return DimacsReader.finish(sc, b, "p tw N M", edges, problem, "edges");
    }
}
