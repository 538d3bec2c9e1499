package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.algo.ParallelAlgorithmsTest.Named;

/**
 * {@link UnionFindMsf} returns exactly {@link SequentialMsf}'s forest (the same arcs in the same order, hence the
 * same weight and edge count) on generated graphs of every kind and on the shared real graphs, at 1, 2 and 4
 * threads.
 */
@Timeout(value = 300, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class UnionFindMsfTest {
    static final int[] THREADS = {1, 2, 4};

    /**
     * r == 0 runs the default (small graphs on one worker), r == 1 all threads whatever the size. The arcs must equal
     * the reference's whenever weights differ or one worker ran; with equal weights on several workers, local edges
     * win ties over cross edges, so the set is checked as a forest of the same weight and size, in arc order.
     */
    private static void check(String name, CsrGraph g, int repeats) {
        SpanningForest expected = SequentialMsf.run(g);
        boolean equalWeights = !g.hasWeights() || g.minWeight() == g.maxWeight();
        int[] source = SequentialMsfTest.sources(g);
        for (int threads : THREADS) {
            for (int r = 0; r < repeats; r++) {
                Run<SpanningForest> run = r == 0 ? UnionFindMsf.run(g, threads) : UnionFindMsf.run(g, threads, 1);
                long workers = run.counter(UnionFindMsf.WORKERS);
                assertThat(workers).isBetween(1L, (long) threads);
                if (!equalWeights || workers == 1) {
                    assertThat(run.result().arcs()).as("%s, %d threads", name, threads).isEqualTo(expected.arcs());
                } else {
                    assertForest(g, source, run.result(), name + ", " + threads + " threads");
                }
                assertThat(run.result().totalWeight()).isEqualTo(expected.totalWeight());
                assertThat(run.result().edgeCount()).isEqualTo(expected.edgeCount());
                assertThat(run.stats().threads()).isEqualTo(threads);
                assertThat(run.stats().scheduler()).isEqualTo(UnionFindMsf.METHOD);
                assertThat(run.stats().tasks()).isEqualTo(run.counter(UnionFindMsf.CANDIDATES));
            }
        }
    }

    /** Candidate arcs only, no cycle, increasing arc order, weights summing to the total. */
    static void assertForest(CsrGraph g, int[] source, SpanningForest f, String what) {
        UnionFind uf = new UnionFind(g.nodes());
        long sum = 0;
        int last = -1;
        for (int e : f.arcs()) {
            int u = source[e];
            int v = g.target(e);
            assertThat(u != v && (g.isDirected() || u < v)).as("%s: arc %d is a candidate", what, e).isTrue();
            assertThat(e).as("%s: arc order", what).isGreaterThan(last);
            assertThat(uf.union(u, v)).as("%s: no cycle", what).isTrue();
            sum += g.weight(e);
            last = e;
        }
        assertThat(f.arcs()).hasSize(f.edgeCount());
        assertThat(sum).isEqualTo(f.totalWeight());
    }

    /** Graphs whose weights need 0 to 3 radix passes, ties, negative weights, loops and parallel arcs. */
    static List<Named> special() {
        List<Named> l = new ArrayList<>();
        l.add(new Named("empty", GraphBuilder.undirected(0).build()));
        l.add(new Named("hand-made directed", GraphBuilder.directed(7)
                .addEdge(0, 1, 9).addEdge(1, 2, 4).addEdge(2, 3, 3).addEdge(3, 0, 5).addEdge(0, 2, 1)
                .addEdge(1, 0, 2).addEdge(2, 2, -50).addEdge(5, 4, -7).build()));
        int[][] ranges = {{5, 5}, {0, 1}, {-3, 3}, {0, 40_000}, {-1 << 20, 1 << 20}, {Integer.MIN_VALUE,
                Integer.MAX_VALUE}};
        for (int[] range : ranges) {
            for (boolean directed : new boolean[] {false, true}) {
                SplittableRandom rnd = new SplittableRandom(range[0] * 31L + range[1] + (directed ? 7 : 0));
                int n = 3000;
                GraphBuilder b = directed ? GraphBuilder.directed(n) : GraphBuilder.undirected(n);
                for (int i = 0; i < 3 * n; i++) {
                    int u = rnd.nextInt(n);
                    // mostly local edges (like a road network), some far, some loops; the last 100 nodes isolated
                    int v = rnd.nextInt(10) == 0 ? rnd.nextInt(n - 100) : Math.min(n - 101, u + rnd.nextInt(-20, 21));
                    if (u >= n - 100) {
                        continue;
                    }
                    int wt = (int) rnd.nextLong(range[0], (long) range[1] + 1);
                    b.addEdge(u, Math.max(0, v), wt);
                    if (rnd.nextInt(20) == 0) {
                        b.addEdge(u, Math.max(0, v), wt); // a parallel arc of equal weight
                    }
                }
                l.add(new Named("random " + (directed ? "directed" : "undirected") + " weights " + range[0] + ".."
                        + range[1], b.build()));
            }
        }
        return l;
    }

    @Test
    void equalsSequentialOnGeneratedGraphs() {
        for (Named ng : FrontierBfsTest.graphs()) {
            check(ng.name(), ng.g(), 2);
        }
        for (CsrGraph g : References.generated()) {
            check(g.toString(), g, 2);
        }
        for (Named ng : special()) {
            check(ng.name(), ng.g(), 2);
        }
    }

    @Test
    void countsRadixPasses() {
        for (Named ng : special()) {
            CsrGraph g = ng.g();
            Run<SpanningForest> run = UnionFindMsf.run(g, 2, 1);
            long passes = run.counter(UnionFindMsf.SORT_PASSES);
            if (g.arcs() == 0 || g.minWeight() == g.maxWeight()) {
                assertThat(passes).as(ng.name()).isZero();
            } else {
                int bits = 64 - Long.numberOfLeadingZeros((long) g.maxWeight() - g.minWeight());
                assertThat(passes).as(ng.name()).isEqualTo((bits + UnionFindMsf.MAX_DIGIT_BITS - 1)
                        / UnionFindMsf.MAX_DIGIT_BITS);
            }
        }
    }

    @Test
    void refusesBadArguments() {
        CsrGraph g = GraphBuilder.undirected(3).addEdge(0, 1).build();
        assertThatThrownBy(() -> UnionFindMsf.run(g, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads must be at least 1");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"road/USA-road-d.NY.gr.gz", "road/rome99.gr", "road/pace2016-NY.gr.xz",
            "road/pace2016-BAY.gr.xz", "road/pace2016-COL.gr.xz", "road/pace2016-FLA.gr.xz", "snap/wiki-Vote.txt.gz",
            "mtx/Lederberg.mtx"})
    void equalsSequentialOnRealGraphs(String file) {
        check(file, AlgoData.graph(file), 2);
    }
}
