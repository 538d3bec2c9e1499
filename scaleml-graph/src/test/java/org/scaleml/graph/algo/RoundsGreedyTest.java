package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.GraphGenerators;
import org.scaleml.sched.RunStats;

/**
 * {@link RoundsGreedyMis} and {@link RoundsGreedyMatching} on generated graphs (directed and undirected, self
 * loops, parallel arcs, isolated nodes, stars, hubs past the symmetry check's limit, one-way arcs), at 1, 2 and 4
 * threads, several order seeds, the default tuning and tunings that force the parallel rounds to the end (no
 * sequential finish) or a small growing prefix: always exactly the sequential greedy result.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class RoundsGreedyTest {
    static final int[] THREADS = {1, 2, 4};
    static final long[] SEEDS = {1, 2, 77, -5};
    static final RoundsGreedyMis.Tuning[] MIS_TUNINGS = {RoundsGreedyMis.Tuning.DEFAULT,
            new RoundsGreedyMis.Tuning(1.0, 2.0, 0, 0), new RoundsGreedyMis.Tuning(0.001, 1.5, 0, 0),
            new RoundsGreedyMis.Tuning(0.05, 3.0, 16, 0)};
    static final RoundsGreedyMatching.Tuning[] MATCHING_TUNINGS = {RoundsGreedyMatching.Tuning.DEFAULT,
            new RoundsGreedyMatching.Tuning(0), new RoundsGreedyMatching.Tuning(16)};

    record Named(String name, CsrGraph g) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<Named> graphs() {
        List<Named> l = new ArrayList<>();
        for (CsrGraph g : References.generated()) {
            l.add(new Named(g.toString(), g));
        }
        for (ParallelAlgorithmsTest.Named ng : ParallelAlgorithmsTest.all()) {
            l.add(new Named(ng.name(), ng.g()));
        }
        l.add(new Named("empty", GraphBuilder.undirected(0).build()));
        l.add(new Named("one node", GraphBuilder.directed(1).build()));
        l.add(new Named("one loop", GraphBuilder.directed(1).addEdge(0, 0).build()));
        l.add(new Named("isolated nodes", GraphBuilder.undirected(300).addEdge(5, 6).addEdge(299, 0).build()));
        l.add(new Named("undirected star", star(false, 500, 17, true)));
        l.add(new Named("out-star", star(true, 400, 0, true)));
        l.add(new Named("in-star", star(true, 400, 399, false)));
        l.add(new Named("symmetric directed star (hub past the scan limit)", symmetricStar(300, 150)));
        l.add(new Named("symmetric directed cycle with loops and parallel arcs", symmetricCycle(1000)));
        l.add(new Named("directed path one way", path(true, 2000)));
        l.add(new Named("directed path one way, backwards", backwardPath(2000)));
        l.add(new Named("symmetric cycle plus one backward one-way arc", withArc(symmetricCycle(500), 300, 7)));
        l.add(new Named("symmetric cycle plus one forward one-way arc", withArc(symmetricCycle(500), 7, 300)));
        l.add(new Named("undirected path", path(false, 2000)));
        SplittableRandom r = new SplittableRandom(2026);
        for (int i = 0; i < 6; i++) {
            l.add(new Named("random multigraph " + i, random(r, i % 2 == 0, 50 + 400 * i, 3 + i)));
        }
        l.add(new Named("rmat 2^12 directed", GraphGenerators.rmat(12, 8, 11)));
        l.add(new Named("grid 150x150 (several chunks)", GraphGenerators.grid(150, 150, 1, 13)));
        l.add(new Named("geometric 6000", GraphGenerators.randomGeometric(6000,
                GraphGenerators.radiusForAverageDegree(6000, 3), 12)));
        return l;
    }

    @Test
    void misEqualsSequentialGreedy() {
        for (Named ng : graphs()) {
            for (long seed : SEEDS) {
                IndependentSet expected = SequentialGreedyMis.run(ng.g(), seed);
                for (int threads : THREADS) {
                    for (RoundsGreedyMis.Tuning t : MIS_TUNINGS) {
                        Run<IndependentSet> r = RoundsGreedyMis.run(ng.g(), seed, threads, t);
                        assertThat(r.result().member()).as("%s seed %d, %d threads, %s", ng, seed, threads, t)
                                .isEqualTo(expected.member());
                        assertThat(r.result().size()).isEqualTo(expected.size());
                        assertStats(r, threads);
                        if (ng.g().arcs() >= t.minGraphArcs()) {
                            assertThat(r.counter(RoundsGreedyMis.TAIL_NODES)).isBetween(0L, (long) t.tailNodes());
                        } else { // a small graph: the sequential greedy on the caller
                            assertThat(r.counter(RoundsGreedyMis.ROUNDS)).isZero();
                        }
                    }
                }
            }
        }
    }

    @Test
    void matchingEqualsSequentialGreedy() {
        for (Named ng : graphs()) {
            for (long seed : SEEDS) {
                Matching expected = SequentialGreedyMatching.run(ng.g(), seed);
                for (int threads : THREADS) {
                    for (RoundsGreedyMatching.Tuning t : MATCHING_TUNINGS) {
                        Run<Matching> r = RoundsGreedyMatching.run(ng.g(), seed, threads, t);
                        assertThat(r.result().mate()).as("%s seed %d, %d threads, %s", ng, seed, threads, t)
                                .isEqualTo(expected.mate());
                        assertThat(r.result().size()).isEqualTo(expected.size());
                        assertStats(r, threads);
                        assertThat(r.counter(RoundsGreedyMatching.TAIL_NODES)).isBetween(0L, (long) t.tailNodes());
                    }
                }
            }
        }
    }

    @Test
    void publicEntryPointsUseTheDefaults() {
        CsrGraph g = GraphGenerators.grid(60, 70, 1, 3);
        assertThat(RoundsGreedyMis.run(g, 9, 2).result().member()).isEqualTo(SequentialGreedyMis.run(g, 9).member());
        assertThat(RoundsGreedyMatching.run(g, 9, 2).result().mate())
                .isEqualTo(SequentialGreedyMatching.run(g, 9).mate());
        assertThat(RoundsGreedyMis.METHOD).isEqualTo("rounds");
        assertThat(RoundsGreedyMatching.METHOD).isEqualTo("rounds");
    }

    @Test
    void roundsCountTheWork() {
        // No finish: every node is decided in a round, and a round's first scan reads each arc at most once.
        CsrGraph g = GraphGenerators.grid(100, 100, 1, 4);
        Run<IndependentSet> mis = RoundsGreedyMis.run(g, 3, 2, new RoundsGreedyMis.Tuning(1.0, 2.0, 0, 0));
        assertThat(mis.counter(RoundsGreedyMis.ROUNDS)).isPositive();
        assertThat(mis.counter(RoundsGreedyMis.TAIL_NODES)).isZero();
        assertThat(mis.stats().tasks()).isPositive();
        Run<Matching> mm = RoundsGreedyMatching.run(g, 3, 2, new RoundsGreedyMatching.Tuning(0));
        assertThat(mm.counter(RoundsGreedyMatching.ROUNDS)).isPositive();
        // each node scans all its arcs once at first: tasks - wasted = the arcs of every node
        assertThat(mm.stats().tasks() - mm.stats().wastedTasks()).isEqualTo(g.arcs());
    }

    @Test
    void theTransposeIsBuiltExactlyWhenSomeArcHasNoReverse() {
        assertThat(inArcsBuilt(symmetricCycle(500), 2)).isFalse();
        assertThat(inArcsBuilt(GraphGenerators.grid(10, 10, 1, 1), 2)).isFalse(); // undirected
        assertThat(inArcsBuilt(withArc(symmetricCycle(500), 300, 7), 2)).isTrue();
        assertThat(inArcsBuilt(withArc(symmetricCycle(500), 7, 300), 1)).isTrue();
        assertThat(inArcsBuilt(backwardPath(100), 2)).isTrue();
        // a parallel one-way arc next to a two-way pair is still symmetric as a set of pairs
        assertThat(inArcsBuilt(GraphBuilder.directed(3).addEdge(0, 1).addEdge(1, 0).addEdge(1, 0).addEdge(2, 2)
                .build(), 2)).isFalse();
        // a hub past the scan limit gives up (correct either way, the transpose is then read too)
        assertThat(inArcsBuilt(symmetricStar(300, 150), 2)).isTrue();
    }

    private static boolean inArcsBuilt(CsrGraph g, int threads) {
        GreedyRounds view = new GreedyRounds(g, threads);
        WorkerTeam.run(threads, "test", null, (w, team) -> {
            long balance = 0;
            for (int c; (c = view.claim(1)) >= 0; ) {
                balance = view.checkChunk(c, balance);
            }
            view.decideView(w, team, balance);
        });
        return view.inOff != null;
    }

    @Test
    void rejectsBadThreadCounts() {
        CsrGraph g = GraphGenerators.grid(3, 3, 1, 1);
        assertThatThrownBy(() -> RoundsGreedyMis.run(g, 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
        assertThatThrownBy(() -> RoundsGreedyMatching.run(g, 1, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("threads");
    }

    private static void assertStats(Run<?> r, int threads) {
        RunStats st = r.stats();
        assertThat(st.threads()).isEqualTo(threads);
        assertThat(st.scheduler()).isEqualTo("rounds");
        assertThat(st.wastedTasks()).isBetween(0L, st.tasks());
        assertThat(r.counters()).containsKeys("rounds", "tailNodes");
    }

    /** A star around {@code hub}: arcs out of the hub ({@code out}) or into it. */
    static CsrGraph star(boolean directed, int n, int hub, boolean out) {
        GraphBuilder b = new GraphBuilder(n, directed);
        for (int v = 0; v < n; v++) {
            if (v != hub) {
                if (out) {
                    b.addEdge(hub, v);
                } else {
                    b.addEdge(v, hub);
                }
            }
        }
        return b.build();
    }

    /** A directed star with arcs both ways and an extra ring among the leaves (hub degree past 64). */
    static CsrGraph symmetricStar(int n, int hub) {
        GraphBuilder b = GraphBuilder.directed(n);
        for (int v = 0; v < n; v++) {
            if (v != hub) {
                b.addEdge(hub, v).addEdge(v, hub);
                int w = (v + 1) % n == hub ? (v + 2) % n : (v + 1) % n;
                b.addEdge(v, w).addEdge(w, v);
            }
        }
        return b.build();
    }

    /** A directed cycle with both arcs of every edge, some doubled, and a self loop on every tenth node. */
    static CsrGraph symmetricCycle(int n) {
        GraphBuilder b = GraphBuilder.directed(n);
        for (int v = 0; v < n; v++) {
            int w = (v + 1) % n;
            b.addEdge(v, w).addEdge(w, v);
            if (v % 7 == 0) {
                b.addEdge(v, w);
            }
            if (v % 10 == 0) {
                b.addEdge(v, v);
            }
        }
        return b.build();
    }

    /** Arcs {@code v+1 -> v}: every arc goes from a larger id to a smaller one. */
    static CsrGraph backwardPath(int n) {
        GraphBuilder b = GraphBuilder.directed(n);
        for (int v = 0; v + 1 < n; v++) {
            b.addEdge(v + 1, v);
        }
        return b.build();
    }

    /** {@code g} (directed) with one more arc {@code u -> v}. */
    static CsrGraph withArc(CsrGraph g, int u, int v) {
        GraphBuilder b = GraphBuilder.directed(g.nodes());
        for (int x = 0; x < g.nodes(); x++) {
            for (long e = g.firstArc(x); e < g.endArc(x); e++) {
                b.addEdge(x, g.target(e));
            }
        }
        return b.addEdge(u, v).build();
    }

    static CsrGraph path(boolean directed, int n) {
        GraphBuilder b = new GraphBuilder(n, directed);
        for (int v = 0; v + 1 < n; v++) {
            b.addEdge(v, v + 1);
        }
        return b.build();
    }

    /** Random arcs with loops and repeats; some nodes isolated. */
    static CsrGraph random(SplittableRandom r, boolean directed, int n, int degree) {
        GraphBuilder b = new GraphBuilder(n, directed);
        int active = Math.max(1, n * 9 / 10);
        for (long k = 0; k < (long) n * degree / 2; k++) {
            int u = r.nextInt(active);
            int v = r.nextInt(10) == 0 ? u : r.nextInt(active);
            b.addEdge(u, v);
            if (r.nextInt(8) == 0) {
                b.addEdge(u, v);
            }
        }
        return b.build();
    }
}
