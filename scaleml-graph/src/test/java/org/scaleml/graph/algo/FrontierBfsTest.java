package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.GraphGenerators;
import org.scaleml.graph.algo.ParallelAlgorithmsTest.Named;

/**
 * {@link FrontierBfs} returns the levels of {@link SequentialBfs} on generated graphs of every kind, at 1, 2 and 4
 * threads, repeatedly, with the default switch thresholds and with thresholds that force every level through the
 * parallel top-down and the bottom-up code.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FrontierBfsTest {
    static final int[] THREADS = {1, 2, 4};
    static final int REPEATS = 5;

    /**
     * Default thresholds; every level parallel, bottom-up whenever the in-arcs are there and back only when the
     * frontier shrinks; the same, back top-down at the first shrinking level; every level parallel top-down.
     */
    static final List<FrontierBfs.Tuning> TUNINGS = List.of(FrontierBfs.Tuning.DEFAULT,
            new FrontierBfs.Tuning(0, 0, Long.MAX_VALUE / 2, 1),
            new FrontierBfs.Tuning(0, 0, Long.MAX_VALUE / 2, Long.MAX_VALUE / 2),
            new FrontierBfs.Tuning(0, 0, 0, 1));

    static List<Named> graphs() {
        List<Named> l = new ArrayList<>(ParallelAlgorithmsTest.all());
        l.add(new Named("rmat 2^12 undirected", GraphGenerators.rmat(12, 8, 0.57, 0.19, 0.19, false, 0, false, 11)));
        l.add(new Named("rmat 2^12 directed", GraphGenerators.rmat(12, 8, 12)));
        l.add(new Named("grid 60x70", GraphGenerators.grid(60, 70, 1, 13).withoutWeights()));
        l.add(new Named("geometric 4000", GraphGenerators.randomGeometric(4000,
                GraphGenerators.radiusForAverageDegree(4000, 6), 14)));
        l.add(new Named("one node", GraphBuilder.undirected(1).build()));
        l.add(new Named("two nodes, one arc", GraphBuilder.directed(2).addEdge(0, 1).build()));
        l.add(new Named("no edges", GraphBuilder.undirected(50).build()));
        l.add(new Named("self loops and parallel arcs", GraphBuilder.directed(4).addEdge(0, 0).addEdge(0, 1)
                .addEdge(0, 1).addEdge(1, 2).addEdge(2, 1).addEdge(3, 0).build()));
        GraphBuilder parts = GraphBuilder.undirected(3000);
        for (int v = 0; v + 1 < 3000; v++) {
            if (v % 1000 != 999) {
                parts.addEdge(v, v + 1); // three paths of 1000 nodes
            }
            if (v % 3 == 0 && v + 7 < 3000 && (v + 7) / 1000 == v / 1000) {
                parts.addEdge(v, v + 7);
            }
        }
        l.add(new Named("three components", parts.build()));
        l.add(new Named("broom: 6000 leaves, then paths", broom(6000)));
        l.add(new Named("fan-in: 3000 nodes onto 40", fanIn(3000, 40)));
        return l;
    }

    static Stream<Arguments> threadsAndTunings() {
        List<Arguments> out = new ArrayList<>();
        for (int t : THREADS) {
            for (int k = 0; k < TUNINGS.size(); k++) {
                out.add(Arguments.of(t, k));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} threads, tuning {1}")
    @MethodSource("threadsAndTunings")
    void levelsEqualSequential(int threads, int tuning) {
        FrontierBfs.Tuning tn = TUNINGS.get(tuning);
        for (Named ng : graphs()) {
            CsrGraph g = ng.g();
            CsrGraph transpose = g.isDirected() ? g.transpose() : null;
            for (int src : new int[] {0, g.nodes() / 2, g.nodes() - 1}) {
                int[] expected = SequentialBfs.levels(g, src);
                DistanceChecksum sum = SequentialBfs.checksum(expected);
                for (int r = 0; r < REPEATS; r++) {
                    Run<BfsTree> run = FrontierBfs.run(g, r % 2 == 0 ? transpose : null, src, threads, null, tn);
                    BfsTree t = run.result();
                    assertThat(t.levels()).as("%s from %d, run %d", ng, src, r).isEqualTo(expected);
                    assertThat(t.checksum()).isEqualTo(sum);
                    assertThat(t.source()).isEqualTo(src);
                    assertThat(run.stats().tasks()).isEqualTo(sum.reachable());
                    assertThat(run.stats().wastedTasks()).isZero();
                    assertThat(run.stats().threads()).isEqualTo(threads);
                    assertThat(run.stats().scheduler()).isEqualTo(FrontierBfs.METHOD);
                    long levels = run.counter(FrontierBfs.LEVELS);
                    assertThat(levels).isEqualTo(maxLevel(expected) + 1);
                    assertThat(run.counter(FrontierBfs.PARALLEL_LEVELS)).isBetween(0L, levels);
                    assertThat(run.counter(FrontierBfs.BOTTOM_UP_LEVELS)).isBetween(0L, levels);
                }
                Paths.assertBfsPaths(g, FrontierBfs.run(g, src, threads).result(), 10, src);
            }
        }
    }

    /**
     * Node 0 links to {@code leaves} leaves (a frontier above DYNAMIC_MIN_NODES, cut in many parts), each leaf to a
     * path of 3 nodes.
     */
    static CsrGraph broom(int leaves) {
        GraphBuilder b = GraphBuilder.undirected(1 + 4 * leaves);
        for (int i = 0; i < leaves; i++) {
            int leaf = 1 + 4 * i;
            b.addEdge(0, leaf).addEdge(leaf, leaf + 1).addEdge(leaf + 1, leaf + 2).addEdge(leaf + 2, leaf + 3);
        }
        return b.build();
    }

    /**
     * Node 0 links to {@code wide} nodes, each of which links to all of {@code narrow} shared nodes, then a path:
     * every thread expanding a part of the wide level races for the same few nodes (repeated discoveries).
     */
    static CsrGraph fanIn(int wide, int narrow) {
        int n = 1 + wide + narrow + 10;
        GraphBuilder b = GraphBuilder.directed(n);
        for (int i = 1; i <= wide; i++) {
            b.addEdge(0, i);
            for (int j = 0; j < narrow; j++) {
                b.addEdge(i, 1 + wide + (i + j) % narrow);
            }
        }
        for (int j = 0; j < narrow; j++) {
            b.addEdge(1 + wide + j, 1 + wide + narrow);
        }
        for (int v = 1 + wide + narrow; v + 1 < n; v++) {
            b.addEdge(v, v + 1);
        }
        return b.build();
    }

    /**
     * Parallel top-down levels in which several threads discover the same nodes: the levels, the reached count and
     * the checksum stay exact however many nodes were appended twice (the count is reported, not asserted: whether
     * two threads meet on a node depends on the schedule).
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 4})
    void repeatedDiscoveriesLeaveLevelsAndCountsExact(int threads) {
        FrontierBfs.Tuning everyLevelParallel = new FrontierBfs.Tuning(0, 0, 0, 1);
        long repeated = 0;
        for (CsrGraph g : List.of(fanIn(3000, 40), fanIn(20000, 4),
                GraphGenerators.rmat(13, 16, 0.57, 0.19, 0.19, false, 0, false, 5))) {
            int[] expected = SequentialBfs.levels(g, 0);
            DistanceChecksum sum = SequentialBfs.checksum(expected);
            for (int r = 0; r < 40; r++) {
                FrontierBfs.Search s = new FrontierBfs.Search(g, null, 0, threads, everyLevelParallel);
                s.search(null);
                assertThat(s.level).isEqualTo(expected);
                assertThat(s.st.reached).isEqualTo(sum.reachable());
                assertThat(s.st.levelSum).isEqualTo(sum.sum());
                assertThat(s.st.repeats).isTrue();
                assertThat(s.repeatedNodes).isNotNegative();
                repeated += s.repeatedNodes;
            }
        }
        System.out.println("FrontierBfs at " + threads + " threads: " + repeated + " repeated discoveries");
    }

    /**
     * Many short parallel rounds back to back (a long thin grid: hundreds of levels of a few dozen nodes, every one
     * split): a worker that reads a finished round's cursor while the next round is being set up must not claim a
     * part of it. A cursor holding a position rather than the parts left let such a claim through and lost or
     * repeated parts (wrong levels in a few runs out of ten on the New York road network).
     */
    @ParameterizedTest(name = "{0} threads")
    @ValueSource(ints = {2, 3})
    void backToBackShortRoundsStayExact(int threads) {
        FrontierBfs.Tuning everyLevelParallel = new FrontierBfs.Tuning(0, 0, 0, 1);
        CsrGraph g = GraphGenerators.grid(40, 600, 1, 13).withoutWeights();
        int[] expected = SequentialBfs.levels(g, 0);
        DistanceChecksum sum = SequentialBfs.checksum(expected);
        for (int r = 0; r < 60; r++) {
            FrontierBfs.Search s = new FrontierBfs.Search(g, null, 0, threads, everyLevelParallel);
            s.search(null);
            assertThat(s.level).isEqualTo(expected);
            assertThat(s.st.reached).isEqualTo(sum.reachable());
            assertThat(s.st.levelSum).isEqualTo(sum.sum());
        }
    }

    @Test
    void forcedModesAreReallyTaken() {
        CsrGraph g = GraphGenerators.rmat(12, 8, 0.57, 0.19, 0.19, false, 0, false, 11);
        Run<BfsTree> bottomUp = FrontierBfs.run(g, null, 0, 2, null, TUNINGS.get(1));
        assertThat(bottomUp.counter(FrontierBfs.BOTTOM_UP_LEVELS)).isPositive();
        Run<BfsTree> topDown = FrontierBfs.run(g, null, 0, 2, null, TUNINGS.get(3));
        assertThat(topDown.counter(FrontierBfs.BOTTOM_UP_LEVELS)).isZero();
        assertThat(topDown.counter(FrontierBfs.PARALLEL_LEVELS)).isEqualTo(topDown.counter(FrontierBfs.LEVELS));
        // a directed graph without its transpose never goes bottom-up
        CsrGraph d = GraphGenerators.rmat(12, 8, 12);
        assertThat(FrontierBfs.run(d, null, 0, 2, null, TUNINGS.get(1)).counter(FrontierBfs.BOTTOM_UP_LEVELS))
                .isZero();
    }

    @Test
    void usesTheCallersThreadFactoryOnlyWhenTheFrontierGrows() {
        AtomicInteger made = new AtomicInteger();
        CsrGraph path = GraphBuilder.undirected(100).addEdge(0, 1).addEdge(1, 2).build();
        FrontierBfs.run(path, null, 0, 4, r -> {
            made.incrementAndGet();
            return new Thread(r);
        });
        assertThat(made).hasValue(0);
        CsrGraph g = GraphGenerators.rmat(15, 8, 0.57, 0.19, 0.19, false, 0, false, 11); // above minGraphArcs
        int[] expected = SequentialBfs.levels(g, 0);
        Run<BfsTree> r = FrontierBfs.run(g, null, 0, 3, x -> {
            made.incrementAndGet();
            return new Thread(x);
        });
        assertThat(made).hasValue(2);
        assertThat(r.result().levels()).isEqualTo(expected);
    }

    @Test
    void rejectsBadArguments() {
        CsrGraph g = GraphGenerators.grid(5, 5, 1, 1);
        assertThatThrownBy(() -> FrontierBfs.run(g, -1, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontierBfs.run(g, 25, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontierBfs.run(g, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrontierBfs.run(g, GraphGenerators.grid(5, 6, 1, 1), 0, 2, null))
                .isInstanceOf(IllegalArgumentException.class);
        CsrGraph big = GraphGenerators.rmat(15, 8, 0.57, 0.19, 0.19, false, 0, false, 11);
        assertThatThrownBy(() -> FrontierBfs.run(big, null, 0, 2, r -> null))
                .isInstanceOf(IllegalStateException.class);
    }

    static int maxLevel(int[] levels) {
        int max = 0;
        for (int l : levels) {
            max = Math.max(max, l);
        }
        return max;
    }
}
