package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;

/**
 * {@link FrontierBfs} on every shared real graph, at 1, 2 and 4 threads, with and without the transpose and the
 * small-graph rule, repeated:
 * the levels equal {@link SequentialBfs}'s. Skipped when ../shared/data is absent.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrontierBfsRealDataTest {
    static final int[] THREADS = {1, 2, 4};
    static final int REPEATS = 3;
    /** The default thresholds, but small graphs split too, so that every graph here runs the parallel code. */
    static final FrontierBfs.Tuning ALWAYS_PARALLEL = new FrontierBfs.Tuning(1024, 0, 15, 18);

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-NY.gr.xz",
            "road/pace2016-BAY.gr.xz", "road/pace2016-COL.gr.xz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz",
            "mtx/Lederberg.mtx"})
    void levelsEqualSequential(String file) {
        CsrGraph g = AlgoData.graph(file);
        CsrGraph transpose = g.isDirected() ? g.transpose() : null;
        for (int source : new int[] {0, g.nodes() / 3}) {
            int[] expected = SequentialBfs.levels(g, source);
            DistanceChecksum sum = SequentialBfs.checksum(expected);
            for (int threads : THREADS) {
                for (int r = 0; r < REPEATS; r++) {
                    Run<BfsTree> run = r < 2 ? FrontierBfs.run(g, r == 0 ? null : transpose, source, threads, null)
                            : FrontierBfs.run(g, transpose, source, threads, null, ALWAYS_PARALLEL);
                    assertThat(run.result().levels()).as("%s from %d, %d threads", file, source, threads)
                            .isEqualTo(expected);
                    assertThat(run.result().checksum()).isEqualTo(sum);
                    assertThat(run.stats().tasks()).isEqualTo(sum.reachable());
                }
            }
        }
        Paths.assertBfsPaths(g, FrontierBfs.run(g, 0, 2).result(), 50, 6);
    }
}
