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
        ParallelSssp.Result r = ParallelSssp.run(g, source, new Scheduler(scheduler, 2, 7));
        assertThat(r.dist()).isEqualTo(expected);
        assertThat(r.distanceChecksum()).isEqualTo(DistanceChecksum.of(expected));
        assertThat(r.reachable()).isEqualTo(g.nodes()); // New York is strongly connected
        assertThat(r.stats().wastedTasks()).isNotNegative();
        assertThat(r.extraWorkRatio()).isGreaterThanOrEqualTo(0.0);
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
            ParallelGreedyMatching.Result r = ParallelGreedyMatching.run(g, 1, new Scheduler(scheduler, 2, 7 + round));
            assertThat(r.matching().mate()).isEqualTo(expected.mate());
            assertThat(r.matching().size()).isEqualTo(expected.size());
        }
        IndependentSet mis = SequentialGreedyMis.run(g, 1);
        ParallelGreedyMis.Result m = ParallelGreedyMis.run(g, 1, new Scheduler(scheduler, 2, 7));
        assertThat(m.set().member()).isEqualTo(mis.member());
    }
}
