package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.GraphGenerators;

class SequentialDijkstraTest {
    static final long INF = SequentialDijkstra.UNREACHABLE;

    /** 0->1 (4), 0->2 (1), 2->1 (2), 1->3 (1), 2->3 (5), parallel 1->3 (7), loop 3->3, 4 isolated, 5->0. */
    static CsrGraph small() {
        return GraphBuilder.directed(6)
                .addEdge(0, 1, 4).addEdge(0, 2, 1).addEdge(2, 1, 2).addEdge(1, 3, 1).addEdge(2, 3, 5)
                .addEdge(1, 3, 7).addEdge(3, 3, 2).addEdge(5, 0, 1)
                .build();
    }

    @Test
    void handMadeGraph() {
        CsrGraph g = small();
        ShortestPaths sp = SequentialDijkstra.shortestPaths(g, 0);
        assertThat(sp.dist()).containsExactly(0, 3, 1, 4, INF, INF);
        assertThat(sp.parents()).containsExactly(-1, 2, 0, 1, -1, -1);
        assertThat(sp.settled()).isEqualTo(4);
        assertThat(sp.checksum()).isEqualTo(new DistanceChecksum(8, 4));
        assertThat(SequentialDijkstra.distances(g, 5)).containsExactly(1, 4, 2, 5, INF, 0);
        assertThat(SequentialDijkstra.distances(g, 4)).containsExactly(INF, INF, INF, INF, 0, INF);
        assertThat(SequentialDijkstra.checksum(SequentialDijkstra.distances(g, 4))).isEqualTo(new DistanceChecksum(0, 1));
    }

    @Test
    void zeroWeightsAndUndirected() {
        CsrGraph g = GraphBuilder.undirected(4).addEdge(0, 1, 0).addEdge(1, 2, 0).addEdge(2, 3, 3).addEdge(0, 3, 5).build();
        assertThat(SequentialDijkstra.distances(g, 3)).containsExactly(3, 3, 3, 0);
    }

    @Test
    void earlyExitGivesTheSameDistanceWithLessWork() {
        CsrGraph g = GraphGenerators.grid(40, 40, 50, 11);
        long[] all = SequentialDijkstra.distances(g, 0);
        TargetDistance near = SequentialDijkstra.distance(g, 0, 41);
        assertThat(near.distance()).isEqualTo(all[41]);
        assertThat(near.settled()).isLessThan(g.nodes());
        SplittableRandom rnd = new SplittableRandom(3);
        for (int i = 0; i < 20; i++) {
            int t = rnd.nextInt(g.nodes());
            assertThat(SequentialDijkstra.distance(g, 0, t).distance()).isEqualTo(all[t]);
        }
        CsrGraph s = small();
        assertThat(SequentialDijkstra.distance(s, 0, 4)).isEqualTo(new TargetDistance(0, 4, INF, 4));
        assertThat(SequentialDijkstra.distance(s, 0, 0).settled()).isEqualTo(1);
    }

    @Test
    void distancesBeyond32BitsAreExact() {
        int n = 12;
        GraphBuilder b = GraphBuilder.directed(n);
        for (int i = 0; i + 1 < n; i++) {
            b.addEdge(i, i + 1, Integer.MAX_VALUE);
        }
        b.addEdge(0, n - 1, Integer.MAX_VALUE).addEdge(0, 5, 0);
        long[] d = SequentialDijkstra.distances(b.build(), 0);
        assertThat(d[4]).isEqualTo(4L * Integer.MAX_VALUE);
        assertThat(d[5]).isZero();
        assertThat(d[10]).isEqualTo(5L * Integer.MAX_VALUE);
        assertThat(d[11]).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void bothHeapsGiveTheSameAnswers() {
        for (CsrGraph g : References.generated()) {
            int bits = SequentialDijkstra.nodeBits(g.nodes());
            assertThat(SequentialDijkstra.packedKeysExact(g.nodes(), g.maxWeight(), bits)).isTrue();
            for (int s : new int[] {0, g.nodes() / 2}) {
                long[] a = SequentialDijkstra.newDistances(g.nodes());
                long[] b = SequentialDijkstra.newDistances(g.nodes());
                long settledA = SequentialDijkstra.runPacked(g, s, -1, a, null, bits);
                long settledB = SequentialDijkstra.runIndexed(g, s, -1, b, null);
                assertThat(a).isEqualTo(b);
                assertThat(settledA).isEqualTo(settledB).isEqualTo(DistanceChecksum.of(a).reachable());
            }
        }
    }

    /** 70,000 nodes and weights near 2^31: packed keys could overflow, so the indexed heap must be used. */
    @Test
    void hugeDistancesFallBackToTheIndexedHeap() {
        int n = 70_000;
        assertThat(SequentialDijkstra.nodeBits(n)).isEqualTo(17);
        assertThat(SequentialDijkstra.packedKeysExact(n, Integer.MAX_VALUE, 17)).isFalse();
        assertThat(SequentialDijkstra.packedKeysExact(n, 1 << 20, 17)).isTrue();
        GraphBuilder b = GraphBuilder.directed(n).expectedEdges(2L * n);
        for (int i = 0; i + 1 < n; i++) {
            b.addEdge(i, i + 1, Integer.MAX_VALUE - (i % 3)).addEdge(i + 1, i, 1);
        }
        CsrGraph g = b.build();
        ShortestPaths sp = SequentialDijkstra.shortestPaths(g, 0);
        long[] expected = new long[n];
        for (int i = 0; i + 1 < n; i++) {
            expected[i + 1] = expected[i] + Integer.MAX_VALUE - (i % 3);
        }
        assertThat(sp.dist()).isEqualTo(expected);
        assertThat(expected[n - 1]).isGreaterThan(1L << (63 - 17));
        assertThat(sp.parents()[n - 1]).isEqualTo(n - 2);
        assertThat(SequentialDijkstra.distances(g, n - 1)[0]).isEqualTo(n - 1);
    }

    @Test
    void unweightedGraphsUseUnitWeights() {
        for (CsrGraph g : new CsrGraph[] {GraphGenerators.rmat(10, 8, 9), GraphGenerators.grid(20, 30, 9, 1).withoutWeights()}) {
            long[] d = SequentialDijkstra.distances(g, 0);
            int[] levels = SequentialBfs.levels(g, 0);
            for (int v = 0; v < g.nodes(); v++) {
                assertThat(d[v]).isEqualTo(levels[v] < 0 ? INF : levels[v]);
            }
        }
    }

    @Test
    void generatedGraphsAgreeWithBellmanFordAndJGraphT() {
        for (CsrGraph g : References.generated()) {
            for (int s : new int[] {0, g.nodes() / 3, g.nodes() - 1}) {
                ShortestPaths sp = SequentialDijkstra.shortestPaths(g, s);
                assertThat(sp.dist()).as("%s from %d", g, s).isEqualTo(References.bellmanFord(g, s));
                assertThat(sp.dist()).as("%s from %d", g, s).isEqualTo(JGraphTBaseline.dijkstra(g, s));
                assertThat(SequentialDijkstra.distances(g, s)).isEqualTo(sp.dist());
                if (g.hasWeights()) {
                    References.assertShortestPathCertificate(g, s, sp.dist(), sp.parents());
                }
            }
        }
    }

    @Test
    void rejectsNegativeWeightsAndBadNodes() {
        CsrGraph neg = CsrGraph.fromArrays(2, true, new long[] {0, 1, 1}, new int[] {1}, new int[] {-3});
        assertThatThrownBy(() -> SequentialDijkstra.distances(neg, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative weight -3");
        assertThatThrownBy(() -> SequentialDijkstra.distances(small(), 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("source 6");
        assertThatThrownBy(() -> SequentialDijkstra.distance(small(), 0, -1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target -1");
    }

    @Test
    void emptyOfArcs() {
        CsrGraph g = GraphBuilder.directed(1).build();
        assertThat(SequentialDijkstra.distances(g, 0)).containsExactly(0);
    }
}
