package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.algo.ParallelAlgorithmsTest.Named;

/**
 * {@link UnionFindComponents} returns exactly {@link SequentialComponents}'s labels and count on generated graphs of
 * every kind and on the shared real graphs, at 1, 2 and 4 threads, on several union-find variants, repeatedly.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnionFindComponentsTest {
    static final int[] THREADS = {1, 2, 4};
    static final List<String> UNION_FINDS = List.of(UnionFindComponents.DEFAULT_UNION_FIND, "uf",
            "uf:link=index,compact=none", "uf:link=rank,compact=halving,write=plain,early=true", "uf-lock");

    private static void check(String name, CsrGraph g, int repeats) {
        Components expected = SequentialComponents.run(g);
        for (String spec : UNION_FINDS) {
            for (int threads : THREADS) {
                for (int r = 0; r < repeats; r++) {
                    Run<Components> run = UnionFindComponents.runAfforest(g, threads, spec, 17 + r);
                    assertThat(run.result().labels()).as("%s, %s, %d threads", name, spec, threads)
                            .isEqualTo(expected.labels());
                    assertThat(run.result().count()).isEqualTo(expected.count());
                    assertThat(run.counter(UnionFindComponents.MERGES)).isEqualTo(g.nodes() - expected.count());
                    assertThat(run.stats().threads()).isEqualTo(threads);
                }
            }
        }
        for (int threads : THREADS) {
            for (int r = 0; r < repeats; r++) {
                // r == 0: the default; then all threads even on small graphs, the cross edges united concurrently,
                // then by worker 0 alone
                int limit = r == 0 ? UnionFindComponents.SEQUENTIAL_CROSS_EDGES : r % 2 == 1 ? -1 : Integer.MAX_VALUE;
                Run<Components> run = r == 0 ? UnionFindComponents.run(g, threads)
                        : UnionFindComponents.run(g, threads, limit, 1);
                assertThat(run.result().labels()).as("%s, uf, %d threads, limit %d", name, threads, limit)
                        .isEqualTo(expected.labels());
                assertThat(run.result().count()).isEqualTo(expected.count());
                assertThat(run.counter(UnionFindComponents.MERGES)).isEqualTo(g.nodes() - expected.count());
                assertThat(run.stats().threads()).isEqualTo(threads);
                assertThat(run.stats().scheduler()).isEqualTo(UnionFindComponents.METHOD);
                if (r > 0) {
                    assertThat(run.counter(UnionFindComponents.WORKERS)).isEqualTo(Math.max(1, Math.min(threads,
                            g.arcs())));
                }
                if (run.counter(UnionFindComponents.WORKERS) == 1) {
                    assertThat(run.counter(UnionFindComponents.CROSS_EDGES)).isZero();
                }
            }
        }
        Components seq = UnionFindComponents.runAfforest(g, 1, "uf-seq", 3).result();
        assertThat(seq.labels()).as("%s on uf-seq", name).isEqualTo(expected.labels());
    }

    @Test
    void equalsSequentialOnGeneratedGraphs() {
        for (Named ng : FrontierBfsTest.graphs()) {
            check(ng.name(), ng.g(), 3);
        }
    }

    @Test
    void skipsTheLargestComponentOnlyOnUndirectedGraphs() {
        CsrGraph grid = org.scaleml.graph.GraphGenerators.grid(100, 100, 1, 5).withoutWeights();
        Run<Components> run = UnionFindComponents.runAfforest(grid, 2);
        assertThat(run.counter(UnionFindComponents.SKIPPED_NODES)).as("most grid nodes sit in the sampled component")
                .isGreaterThan(grid.nodes() / 2);
        CsrGraph directed = org.scaleml.graph.GraphGenerators.rmat(12, 8, 12);
        assertThat(directed.isDirected()).isTrue();
        assertThat(UnionFindComponents.runAfforest(directed, 2).counter(UnionFindComponents.SKIPPED_NODES)).isZero();
    }

    @Test
    void rangesAreContiguousAndBalancedByArcs() {
        CsrGraph g = org.scaleml.graph.GraphGenerators.rmat(12, 8, 12);
        for (int parts : new int[] {1, 2, 3, 4, 7}) {
            int[] b = UnionFindComponents.arcBalancedRanges(g.offsets(), g.nodes(), parts);
            assertThat(b[0]).isZero();
            assertThat(b[parts]).isEqualTo(g.nodes());
            for (int k = 0; k < parts; k++) {
                assertThat(b[k + 1]).isGreaterThanOrEqualTo(b[k]);
            }
        }
        int[] empty = UnionFindComponents.arcBalancedRanges(new long[] {0}, 0, 3);
        assertThat(empty).containsExactly(0, 0, 0, 0);
    }

    @Test
    void refusesBadArguments() {
        CsrGraph g = org.scaleml.graph.GraphBuilder.undirected(3).addEdge(0, 1).build();
        assertThatThrownBy(() -> UnionFindComponents.run(g, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> UnionFindComponents.runAfforest(g, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> UnionFindComponents.runAfforest(g, 2, "uf-seq", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not thread-safe");
        assertThatThrownBy(() -> UnionFindComponents.runAfforest(g, 1, "uf:link=nonsense", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-NY.gr.xz",
            "road/pace2016-BAY.gr.xz", "road/pace2016-COL.gr.xz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz",
            "mtx/Lederberg.mtx"})
    void equalsSequentialOnRealGraphs(String file) {
        check(file, AlgoData.graph(file), 2);
    }
}
