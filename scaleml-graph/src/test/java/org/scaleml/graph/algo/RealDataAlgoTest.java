package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.PriorityQueue;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;

/**
 * The sequential references on the real graphs of ../shared/data; each test skips cleanly when its file is
 * absent. The pinned values (checksums, counts) identify the correct answers for the parallel versions and
 * the command line.
 */
class RealDataAlgoTest {
    @Test
    void dijkstraOnNewYorkFromNode1() {
        CsrGraph g = AlgoData.newYork();
        int s = g.nodeOf(1);
        ShortestPaths sp = SequentialDijkstra.shortestPaths(g, s);
        assertThat(sp.dist()).isEqualTo(lazyDijkstra(g, s));
        References.assertShortestPathCertificate(g, s, sp.dist(), sp.parents());
        DistanceChecksum c = sp.checksum();
        System.out.println("NY Dijkstra from DIMACS node 1: " + c);
        assertThat(c.reachable()).isEqualTo(g.nodes());
        assertThat(c).isEqualTo(new DistanceChecksum(NY_CHECKSUM_FROM_1, 264_346));
        assertThat(SequentialDijkstra.distances(g, s)).isEqualTo(sp.dist());
    }

    /** Sum of the distances from DIMACS node 1 on New York (every node is reachable). */
    static final long NY_CHECKSUM_FROM_1 = 186_686_642_878L;

    @Test
    void aStarOnNewYorkAgreesWithDijkstra() {
        CsrGraph g = AlgoData.newYork();
        SequentialAStar astar = new SequentialAStar(g);
        assertThat(astar.scale()).isPositive();
        long[] settled = SequentialAStarTest.assertAgreesWithDijkstra(g, astar, 25, 2024);
        System.out.printf("NY A*: scale %.6f, settled %d vs Dijkstra %d (%.1f%%) over 25 random pairs%n",
                astar.scale(), settled[0], settled[1], 100.0 * settled[0] / settled[1]);
    }

    @Test
    void componentsAndSpanningForestOnNewYork() {
        CsrGraph g = AlgoData.newYork();
        Components c = SequentialComponents.run(g);
        SpanningForest f = SequentialMsf.run(g);
        System.out.println("NY components " + c.count() + ", MSF weight " + f.totalWeight() + ", edges " + f.edgeCount());
        assertThat(c.count()).isEqualTo(1);
        assertThat(f.edgeCount()).isEqualTo(g.nodes() - 1);
        assertThat(f.totalWeight()).isEqualTo(261_159_288L);
        assertThat(f.totalWeight()).isEqualTo(References.primWeight(g)); // also equal to JGraphT's Kruskal
    }

    @Test
    void greedyMisAndMatchingOnNewYork() {
        CsrGraph g = AlgoData.newYork();
        IndependentSet s = SequentialGreedyMis.run(g, 1);
        Matching m = SequentialGreedyMatching.run(g, 1);
        System.out.println("NY greedy MIS (seed 1) size " + s.size() + ", greedy matching (seed 1) size " + m.size());
        assertThat(s.size()).isEqualTo(112_840);
        assertThat(m.size()).isEqualTo(108_320);
        SequentialGreedyMisTest.assertIndependentAndMaximal(g, s);
        SequentialGreedyMatchingTest.assertValidAndMaximal(g, m);
    }

    @Test
    void romeAgreesWithJGraphT() {
        CsrGraph g = AlgoData.graph("road/rome99.gr");
        var jg = JGraphTBaseline.toJGraphT(g);
        for (int s : new int[] {0, 1000, 3352}) {
            assertThat(SequentialDijkstra.distances(g, s)).isEqualTo(JGraphTBaseline.dijkstra(jg, s, g.nodes()));
        }
        SequentialMsfTest.assertMatchesJGraphT(g);
        SequentialComponentsTest.assertMatchesJGraphT(g);
    }

    @Test
    void bfsOnPaceFlorida() {
        CsrGraph g = AlgoData.graph("road/pace2016-FLA.gr.xz");
        int s = g.nodeOf(1);
        int[] levels = SequentialBfs.levels(g, s);
        References.assertBfsCertificate(g, s, levels);
        DistanceChecksum c = SequentialBfs.checksum(levels);
        System.out.println("FLA BFS from PACE node 1: " + c + ", depth " + Arrays.stream(levels).max().getAsInt());
        assertThat(c).isEqualTo(new DistanceChecksum(1_206_725_808L, 1_070_376)); // the PACE graphs are connected
    }

    @Test
    void componentsOfWikiVoteAndLederberg() {
        for (String file : new String[] {"snap/wiki-Vote.txt.gz", "mtx/Lederberg.mtx"}) {
            CsrGraph g = AlgoData.graph(file);
            Components c = SequentialComponentsTest.assertMatchesJGraphT(g);
            System.out.println(file + ": " + c.count() + " components, largest " + c.largestSize());
            assertThat(c.count()).isEqualTo(file.startsWith("snap") ? 24 : 554);
        }
    }

    /** An independent Dijkstra: lazy deletion on java.util.PriorityQueue of boxed pairs. */
    static long[] lazyDijkstra(CsrGraph g, int s) {
        long[] dist = new long[g.nodes()];
        Arrays.fill(dist, Long.MAX_VALUE);
        dist[s] = 0;
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        pq.add(new long[] {0, s});
        while (!pq.isEmpty()) {
            long[] top = pq.poll();
            int u = (int) top[1];
            if (top[0] > dist[u]) {
                continue;
            }
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                long nd = top[0] + g.weight(e);
                if (nd < dist[v]) {
                    dist[v] = nd;
                    pq.add(new long[] {nd, v});
                }
            }
        }
        return dist;
    }
}
