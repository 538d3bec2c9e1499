package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.sched.Scheduler;

/**
 * Paths read off {@link ShortestPaths} and {@link BfsTree}, from the sequential and the parallel algorithms: on
 * hand-made graphs with known answers (zero-weight cycles included), on every generated graph of {@link
 * ParallelAlgorithmsTest}, and on real graphs when ../shared/data is present. Every extracted path must be a
 * path of the graph whose weight (arc count for BFS) is the reported distance (level).
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SingleSourcePathsTest {
    static final Scheduler MQ = new Scheduler("mq", 2, 5);

    @Test
    void dijkstraKeepsItsOwnParents() {
        ShortestPaths p = SequentialDijkstra.shortestPaths(SequentialDijkstraTest.small(), 0);
        assertThat(p.pathTo(3)).containsExactly(0, 2, 1, 3);
        assertThat(p.pathTo(0)).containsExactly(0);
        assertThat(p.pathTo(4)).isEmpty();
        assertThat(p.distanceTo(3)).isEqualTo(4);
        assertThat(p.hasPathTo(5)).isFalse();
        assertThat(p.reachable()).isEqualTo(4);
        assertThatThrownBy(() -> p.pathTo(6)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> p.distanceTo(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parallelParentsAreDerivedOnDemand() {
        CsrGraph g = SequentialDijkstraTest.small();
        ShortestPaths p = ParallelSssp.run(g, 0, MQ).result();
        assertThat(p.parents()).containsExactly(-1, 2, 0, 1, -1, -1); // no ties in this graph
        assertThat(p.parents()).isSameAs(p.parents()); // cached
        assertThat(p.pathTo(3)).containsExactly(0, 2, 1, 3);
        assertThat(p.pathTo(5)).isEmpty();
    }

    /**
     * 2 -1-> 1, 1 -0-> 0, 0 -0-> 1: both zero-weight arcs are tight, so a parent per tight in-arc could make 0
     * and 1 each other's parent; the derived tree must still lead back to the source.
     */
    @Test
    void zeroWeightCyclesDoNotBecomeParentCycles() {
        CsrGraph g = GraphBuilder.directed(3).addEdge(2, 1, 1).addEdge(1, 0, 0).addEdge(0, 1, 0).build();
        for (Scheduler s : new Scheduler[] {new Scheduler("exact", 1, 1), MQ}) {
            ShortestPaths p = ParallelSssp.run(g, 2, s).result();
            assertThat(p.dist()).containsExactly(1, 1, 0);
            assertThat(p.parents()).containsExactly(1, 2, -1);
            assertThat(p.pathTo(0)).containsExactly(2, 1, 0);
        }
        CsrGraph u = GraphBuilder.undirected(4).addEdge(0, 1, 0).addEdge(1, 2, 0).addEdge(2, 3, 3).addEdge(0, 3, 5)
                .build();
        Paths.assertShortestPaths(u, ParallelSssp.run(u, 3, MQ).result(), 8, 1);
    }

    @Test
    void bfsTreesOfBothAlgorithms() {
        CsrGraph g = SequentialDijkstraTest.small();
        BfsTree seq = SequentialBfs.tree(g, 0);
        BfsTree par = ParallelBfs.run(g, 0, MQ).result();
        assertThat(par.levels()).isEqualTo(seq.levels()).containsExactly(0, 1, 1, 2, -1, -1);
        assertThat(seq.parents()).containsExactly(-1, 0, 0, 1, -1, -1);
        assertThat(par.parents()).isEqualTo(seq.parents()); // derived the same way from the same levels
        assertThat(seq.pathTo(3)).containsExactly(0, 1, 3);
        assertThat(seq.pathTo(4)).isEmpty();
        assertThat(seq.levelOf(3)).isEqualTo(2);
        assertThat(seq.checksum()).isEqualTo(new DistanceChecksum(4, 4));
        assertThatThrownBy(() -> seq.levelOf(6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedGraphs() {
        for (ParallelAlgorithmsTest.Named ng : ParallelAlgorithmsTest.all()) {
            CsrGraph g = ng.g();
            for (int src : ParallelAlgorithmsTest.sources(g)) {
                Paths.assertShortestPaths(g, SequentialDijkstra.shortestPaths(g, src), 20, src);
                Paths.assertShortestPaths(g, ParallelSssp.run(g, src, MQ).result(), 20, src + 1);
                Paths.assertBfsPaths(g, SequentialBfs.tree(g, src), 20, src);
                Paths.assertBfsPaths(g, ParallelBfs.run(g, src, MQ).result(), 20, src + 1);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"road/rome99.gr", "snap/wiki-Vote.txt.gz", "mtx/Lederberg.mtx"})
    void realGraphs(String file) {
        CsrGraph g = AlgoData.graph(file);
        int src = 0;
        ShortestPaths seq = SequentialDijkstra.shortestPaths(g, src);
        Run<ShortestPaths> par = ParallelSssp.run(g, src, MQ);
        assertThat(par.result().dist()).isEqualTo(seq.dist());
        Paths.assertShortestPaths(g, seq, 100, 1);
        Paths.assertShortestPaths(g, par.result(), 100, 2);
        BfsTree tree = SequentialBfs.tree(g, src);
        Paths.assertBfsPaths(g, tree, 100, 3);
        Paths.assertBfsPaths(g, ParallelBfs.run(g, src, MQ).result(), 100, 4);
    }
}
