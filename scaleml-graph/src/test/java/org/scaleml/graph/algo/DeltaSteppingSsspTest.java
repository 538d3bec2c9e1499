package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.GraphGenerators;
import org.scaleml.graph.algo.ParallelAlgorithmsTest.Named;

/**
 * {@link DeltaSteppingSssp} returns exactly the distances of {@link SequentialDijkstra} on generated graphs (grids,
 * random geometric, R-MAT, zero weights, ties, disconnected, a single node) and on every shared road graph, at 1, 2
 * and 4 threads, with the automatic delta and with delta = 1, small, large and huge.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DeltaSteppingSsspTest {
    static final int[] THREADS = {1, 2, 4};
    /** 0 = automatic; 3 is rounded down to 2; Long.MAX_VALUE is clamped to the largest packable width. */
    static final long[] DELTAS = {0, 1, 3, 16, 1000, 1L << 40, Long.MAX_VALUE};

    static List<Named> graphs() {
        List<Named> l = new ArrayList<>(ParallelAlgorithmsTest.all());
        for (CsrGraph g : References.generated()) {
            l.add(new Named(g.toString(), g));
        }
        l.add(new Named("grid 40x50 w<=1000", GraphGenerators.grid(40, 50, 1000, 21)));
        l.add(new Named("rmat 2^9 directed w<=100000", GraphGenerators.rmat(9, 8, 0.57, 0.19, 0.19, true, 100000,
                false, 22)));
        l.add(new Named("one node", GraphBuilder.undirected(1).build()));
        l.add(new Named("no edges", GraphBuilder.undirected(40).build()));
        l.add(new Named("self loops and parallel arcs", GraphBuilder.directed(4).addEdge(0, 0, 5).addEdge(0, 1, 9)
                .addEdge(0, 1, 2).addEdge(1, 2, 0).addEdge(2, 1, 0).addEdge(3, 0, 1).build()));
        l.add(new Named("zero weights", zeroWeights(2000, 23)));
        l.add(new Named("weights up to 2^31-1", GraphBuilder.directed(5).addEdge(0, 1, Integer.MAX_VALUE)
                .addEdge(1, 2, Integer.MAX_VALUE).addEdge(0, 3, 1).addEdge(3, 2, Integer.MAX_VALUE - 1)
                .addEdge(2, 4, 0).build()));
        GraphBuilder parts = GraphBuilder.undirected(3000);
        for (int v = 0; v + 1 < 3000; v++) {
            if (v % 1000 != 999) {
                parts.addEdge(v, v + 1, 1 + v % 17); // three weighted paths of 1000 nodes: disconnected
            }
        }
        l.add(new Named("three components", parts.build()));
        return l;
    }

    /** A random directed graph where about half the arcs weigh 0 (zero-weight cycles included). */
    static CsrGraph zeroWeights(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        GraphBuilder b = GraphBuilder.directed(n);
        for (int k = 0; k < 5 * n; k++) {
            b.addEdge(r.nextInt(n), r.nextInt(n), r.nextBoolean() ? 0 : 1 + r.nextInt(20));
        }
        return b.build();
    }

    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {1, 2, 4})
    void distancesEqualDijkstra(int threads) {
        for (Named ng : graphs()) {
            CsrGraph g = ng.g();
            for (int src : threads > 2 ? new int[] {g.nodes() / 2} : new int[] {0, g.nodes() / 2}) {
                long[] expected = SequentialDijkstra.distances(g, src);
                DistanceChecksum sum = DistanceChecksum.of(expected);
                // four threads on a small machine take turns at every barrier: fewer deltas there, to stay fast
                for (long delta : threads > 2 ? new long[] {0, 3, 1000, Long.MAX_VALUE} : DELTAS) {
                    for (int repeat = 0; repeat < (threads == 2 ? 2 : 1); repeat++) {
                        Run<ShortestPaths> r = DeltaSteppingSssp.run(g, src, threads, delta, null);
                        ShortestPaths p = r.result();
                        assertThat(p.dist()).as("%s from %d, delta %d, %d threads", ng, src, delta, threads)
                                .isEqualTo(expected);
                        assertThat(p.checksum()).isEqualTo(sum);
                        assertThat(p.source()).isEqualTo(src);
                        assertStats(r, threads, sum.reachable());
                        long used = r.counter(DeltaSteppingSssp.DELTA);
                        assertThat(Long.bitCount(used)).as("a power of two").isEqualTo(1);
                        if (delta > 0 && delta < 1L << 32 && g.maxWeight() < 1 << 16) {
                            assertThat(used).isEqualTo(Long.highestOneBit(delta));
                        }
                    }
                }
                if (threads == 2) {
                    Paths.assertShortestPaths(g, DeltaSteppingSssp.run(g, src, 2).result(), 10, src);
                }
            }
        }
    }

    static void assertStats(Run<ShortestPaths> r, int threads, int reachable) {
        assertThat(r.stats().threads()).isEqualTo(threads);
        assertThat(r.stats().scheduler()).isEqualTo(DeltaSteppingSssp.METHOD);
        assertThat(r.stats().wastedTasks()).isBetween(0L, r.stats().tasks());
        assertThat(r.stats().usefulTasks()).isGreaterThanOrEqualTo(reachable);
        assertThat(r.result().settled()).isEqualTo(r.stats().usefulTasks());
        assertThat(r.counter(DeltaSteppingSssp.PHASES)).isPositive();
    }

    /** One thread and delta 1 (or any delta under the smallest positive weight) is Dijkstra: no re-settlement. */
    @Test
    void oneThreadWithNarrowBucketsSettlesEachNodeOnce() {
        CsrGraph g = GraphGenerators.grid(30, 40, 100, 1);
        Run<ShortestPaths> r = DeltaSteppingSssp.run(g, 0, 1, 1, null);
        assertThat(r.stats().usefulTasks()).isEqualTo(g.nodes());
    }

    @Test
    void automaticDeltaFollowsTheMeanWeight() {
        CsrGraph unweighted = GraphGenerators.rmat(9, 4, 3);
        assertThat(DeltaSteppingSssp.automaticDelta(unweighted)).isEqualTo((long) DeltaSteppingSssp.DELTA_FACTOR);
        CsrGraph g = GraphBuilder.directed(3).addEdge(0, 1, 100).addEdge(1, 2, 300).build();
        assertThat(DeltaSteppingSssp.automaticDelta(g)).isEqualTo((long) (DeltaSteppingSssp.DELTA_FACTOR * 200));
    }

    @Test
    void refusesBadInput() {
        CsrGraph g = GraphGenerators.grid(3, 3, 5, 1);
        assertThatThrownBy(() -> DeltaSteppingSssp.run(g, 9, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeltaSteppingSssp.run(g, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeltaSteppingSssp.run(g, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DeltaSteppingSssp.run(null, 0, 2)).isInstanceOf(NullPointerException.class);
        CsrGraph negative = GraphBuilder.directed(3).addEdge(0, 1, 4).addEdge(1, 2, -1).build();
        assertThatThrownBy(() -> DeltaSteppingSssp.run(negative, 0, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("negative");
    }

    @Test
    void usesTheCallersThreadFactory() {
        AtomicInteger made = new AtomicInteger();
        CsrGraph g = GraphGenerators.grid(30, 40, 100, 1);
        Run<ShortestPaths> r = DeltaSteppingSssp.run(g, 0, 3, 0, task -> {
            made.incrementAndGet();
            Thread t = new Thread(task);
            t.setDaemon(true);
            return t;
        });
        assertThat(made.get()).isEqualTo(2);
        assertThat(r.result().dist()).isEqualTo(SequentialDijkstra.distances(g, 0));
    }

    /** Every shared road graph (and the other real graphs), from two sources, at 1, 2 and 4 threads. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-NY.gr.xz",
            "road/pace2016-BAY.gr.xz", "road/pace2016-COL.gr.xz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz",
            "mtx/Lederberg.mtx"})
    void realGraphsEqualDijkstra(String file) {
        CsrGraph g = AlgoData.graph(file);
        boolean small = g.nodes() < 10_000;
        for (int source : new int[] {0, g.nodes() / 3}) {
            long[] expected = SequentialDijkstra.distances(g, source);
            DistanceChecksum sum = DistanceChecksum.of(expected);
            long[] deltas = small ? new long[] {0, 1, 64, Long.MAX_VALUE} : new long[] {0, 1L << 14};
            for (int threads : THREADS) {
                for (long delta : deltas) {
                    if (delta == 1 && threads > 2) {
                        continue; // tens of thousands of phases: slow with more threads than cores
                    }
                    Run<ShortestPaths> r = DeltaSteppingSssp.run(g, source, threads, delta, null);
                    assertThat(r.result().dist()).as("%s from %d, delta %d, %d threads", file, source, delta,
                            threads).isEqualTo(expected);
                    assertThat(r.result().checksum()).isEqualTo(sum);
                    assertStats(r, threads, sum.reachable());
                }
            }
        }
        Paths.assertShortestPaths(g, DeltaSteppingSssp.run(g, 0, 2).result(), 50, 6);
    }
}
