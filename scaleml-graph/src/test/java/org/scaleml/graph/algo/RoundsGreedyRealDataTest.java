package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;

/**
 * {@link RoundsGreedyMis} and {@link RoundsGreedyMatching} on every shared real graph, at 1, 2 and 4 threads, two
 * order seeds, with the default tuning and with the parallel rounds run to the end: the results equal the
 * sequential greedy ones. Skipped when ../shared/data is absent.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoundsGreedyRealDataTest {
    static final int[] THREADS = {1, 2, 4};
    static final long[] SEEDS = {1, 20261207L};

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-NY.gr.xz",
            "road/pace2016-BAY.gr.xz", "road/pace2016-COL.gr.xz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz",
            "mtx/Lederberg.mtx"})
    void equalSequentialGreedy(String file) {
        CsrGraph g = AlgoData.graph(file);
        for (long seed : SEEDS) {
            IndependentSet mis = SequentialGreedyMis.run(g, seed);
            Matching matching = SequentialGreedyMatching.run(g, seed);
            for (int threads : THREADS) {
                for (boolean finish : new boolean[] {true, false}) {
                    // minGraphArcs 0: the rounds run on the small graphs too
                    Run<IndependentSet> r = RoundsGreedyMis.run(g, seed, threads, finish
                            ? new RoundsGreedyMis.Tuning(0.25, 2.0, 4096, 0) : new RoundsGreedyMis.Tuning(1.0, 2.0, 0, 0));
                    assertThat(r.result().member()).as("MIS %s seed %d, %d threads", file, seed, threads)
                            .isEqualTo(mis.member());
                    assertThat(r.result().size()).isEqualTo(mis.size());
                    Run<Matching> m = RoundsGreedyMatching.run(g, seed, threads,
                            finish ? RoundsGreedyMatching.Tuning.DEFAULT : new RoundsGreedyMatching.Tuning(0));
                    assertThat(m.result().mate()).as("matching %s seed %d, %d threads", file, seed, threads)
                            .isEqualTo(matching.mate());
                    assertThat(m.result().size()).isEqualTo(matching.size());
                }
            }
        }
    }
}
