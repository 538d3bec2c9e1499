package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.sched.Scheduler;

/** Parallel SSSP on the DIMACS New York road network; skipped when ../shared/data is absent. */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class ParallelRealDataTest {

    @ParameterizedTest(name = "{0}, 2 threads")
    @ValueSource(strings = {"mq", "smq"})
    void newYorkSsspFromNodeOneEqualsDijkstra(String scheduler) {
        CsrGraph g = AlgoData.newYork();
        int source = g.nodeOf(1); // DIMACS node 1
        long[] expected = SequentialDijkstra.distances(g, source);
        Run<ShortestPaths> r = ParallelSssp.run(g, source, new Scheduler(scheduler, 2, 7));
        ShortestPaths p = r.result();
        assertThat(p.dist()).isEqualTo(expected);
        assertThat(p.checksum()).isEqualTo(DistanceChecksum.of(expected));
        assertThat(p.reachable()).isEqualTo(g.nodes()); // New York is strongly connected
        assertThat(r.stats().wastedTasks()).isNotNegative();
        assertThat(r.stats().extraWorkRatio(p.reachable())).isGreaterThanOrEqualTo(0.0);
        Paths.assertShortestPaths(g, p, 50, 3);
    }

    /** Paths read off the BFS trees of New York, parallel and sequential, have as many arcs as the level says. */
    @ParameterizedTest(name = "{0}, 2 threads")
    @ValueSource(strings = {"mq", "obim"})
    void newYorkBfsPaths(String scheduler) {
        CsrGraph g = AlgoData.newYork();
        int source = g.nodeOf(1);
        BfsTree expected = SequentialBfs.tree(g, source);
        Run<BfsTree> r = ParallelBfs.run(g, source, new Scheduler(scheduler, 2, 7));
        assertThat(r.result().levels()).isEqualTo(expected.levels());
        Paths.assertBfsPaths(g, r.result(), 50, 4);
        Paths.assertBfsPaths(g, expected, 50, 5);
    }

    /**
     * New York is directed with both arcs of every road (and some parallel arcs), so each matching candidate has
     * twin tasks that can run at the same time: the parallel greedy matching must still equal the sequential one.
     */
    @ParameterizedTest(name = "{0}, 2 threads")
    @ValueSource(strings = {"mq", "exact"})
    void newYorkGreedyMatchingAndMisEqualSequential(String scheduler) {
        CsrGraph g = AlgoData.newYork();
        Matching expected = SequentialGreedyMatching.run(g, 1);
        for (int round = 0; round < 3; round++) {
            Run<Matching> r = ParallelGreedyMatching.run(g, 1, new Scheduler(scheduler, 2, 7 + round));
            assertThat(r.result().mate()).isEqualTo(expected.mate());
            assertThat(r.result().size()).isEqualTo(expected.size());
        }
        IndependentSet mis = SequentialGreedyMis.run(g, 1);
        Run<IndependentSet> m = ParallelGreedyMis.run(g, 1, new Scheduler(scheduler, 2, 7));
        assertThat(m.result().member()).isEqualTo(mis.member());
    }
}
