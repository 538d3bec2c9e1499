package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphGenerators;

class GraphWorkersTest {
    @Test
    @Timeout(60)
    void methodsRunOnTheKeptThreadsWithTheSameResults() {
        CsrGraph g = GraphGenerators.grid(300, 300, 50, 7);
        Components want = SequentialComponents.run(g);
        ShortestPaths dist = SequentialDijkstra.shortestPaths(g, 0);
        int[] levels = SequentialBfs.tree(g, 0).levels();
        assertThat(g.arcs()).isGreaterThanOrEqualTo(1 << 18); // FrontierBfs searches in parallel
        try (GraphWorkers workers = new GraphWorkers(3)) {
            for (int round = 0; round < 20; round++) {
                for (int t = 1; t <= 3; t++) {
                    int threads = t;
                    Run<Components> c = workers.call(() -> UnionFindComponents.run(g, threads, 0, 1));
                    assertThat(c.result().labels()).isEqualTo(want.labels());
                    Run<ShortestPaths> p = workers.call(() -> DeltaSteppingSssp.run(g, 0, threads));
                    assertThat(p.result().dist()).isEqualTo(dist.dist());
                    Run<BfsTree> b = workers.call(() -> FrontierBfs.run(g, 0, threads));
                    assertThat(b.result().levels()).isEqualTo(levels);
                }
            }
        }
    }

    @Test
    @Timeout(60)
    void workersAreReusedAndFailuresStillPropagate() {
        Set<String> names = ConcurrentHashMap.newKeySet();
        try (GraphWorkers workers = new GraphWorkers(2)) {
            for (int i = 0; i < 50; i++) {
                workers.call(() -> {
                    WorkerTeam.run(2, "test", null, (w, team) -> {
                        names.add(Thread.currentThread().getName());
                        team.await();
                    });
                    return null;
                });
            }
            assertThat(names).hasSize(2).contains("scaleml-graph-1");
            assertThatThrownBy(() -> workers.call(() -> {
                WorkerTeam.run(2, "test", null, (w, team) -> {
                    if (w == 1) {
                        throw new IllegalStateException("boom");
                    }
                    team.await();
                });
                return null;
            })).isInstanceOf(IllegalStateException.class).hasMessage("boom");
            // more threads than kept: started as usual
            Set<String> more = new HashSet<>();
            workers.call(() -> {
                WorkerTeam.run(3, "more", null, (w, team) -> {
                    synchronized (more) {
                        more.add(Thread.currentThread().getName());
                    }
                });
                return null;
            });
            assertThat(more).hasSize(3).anyMatch(n -> n.startsWith("scaleml-more-"));
        }
    }

    @Test
    void closedWorkersRefuseWorkAndCloseIsIdempotent() {
        GraphWorkers workers = new GraphWorkers(2);
        workers.close();
        workers.close();
        assertThatThrownBy(() -> workers.call(() -> 1)).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new GraphWorkers(0)).isInstanceOf(IllegalArgumentException.class);
        assertThat(GraphWorkers.current()).isNull();
    }
}
