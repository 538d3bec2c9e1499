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
                    Run<Components> run = UnionFindComponents.run(g, threads, spec, 17 + r);
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
                Run<Components> run = UnionFindComponents.runMinLink(g, threads);
                assertThat(run.result().labels()).as("%s, min-link, %d threads", name, threads)
                        .isEqualTo(expected.labels());
                assertThat(run.result().count()).isEqualTo(expected.count());
                assertThat(run.counter(UnionFindComponents.MERGES)).isEqualTo(g.nodes() - expected.count());
            }
        }
        Components seq = UnionFindComponents.run(g, 1, "uf-seq", 3).result();
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
        Run<Components> run = UnionFindComponents.run(grid, 2);
        assertThat(run.counter(UnionFindComponents.SKIPPED_NODES)).as("most grid nodes sit in the sampled component")
                .isGreaterThan(grid.nodes() / 2);
        CsrGraph directed = org.scaleml.graph.GraphGenerators.rmat(12, 8, 12);
        assertThat(directed.isDirected()).isTrue();
        assertThat(UnionFindComponents.run(directed, 2).counter(UnionFindComponents.SKIPPED_NODES)).isZero();
    }

    @Test
    void refusesBadArguments() {
        CsrGraph g = org.scaleml.graph.GraphBuilder.undirected(3).addEdge(0, 1).build();
        assertThatThrownBy(() -> UnionFindComponents.run(g, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1");
        assertThatThrownBy(() -> UnionFindComponents.run(g, 2, "uf-seq", 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not thread-safe");
        assertThatThrownBy(() -> UnionFindComponents.run(g, 1, "uf:link=nonsense", 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-FLA.gr.xz",
            "snap/wiki-Vote.txt.gz", "mtx/Lederberg.mtx"})
    void equalsSequentialOnRealGraphs(String file) {
        check(file, AlgoData.graph(file), 2);
    }
}
