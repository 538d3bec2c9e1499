package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;

class SequentialGreedyMatchingTest {
    @Test
    void handMadeGraphs() {
        CsrGraph single = GraphBuilder.directed(3).addEdge(2, 0).addEdge(0, 2).addEdge(1, 1).build();
        Matching m = SequentialGreedyMatching.run(single, 5);
        assertThat(m.mate()).containsExactly(2, -1, 0);
        assertThat(m.size()).isEqualTo(1);
        // A path of 3 edges: the greedy order decides between {0-1, 2-3} and {1-2}.
        CsrGraph path = GraphBuilder.undirected(4).addEdge(0, 1).addEdge(1, 2).addEdge(2, 3).build();
        for (long seed = 0; seed < 20; seed++) {
            long p01 = GreedyOrder.edgePriority(0, 1, seed);
            long p12 = GreedyOrder.edgePriority(1, 2, seed);
            long p23 = GreedyOrder.edgePriority(2, 3, seed);
            boolean middleFirst = p12 < p01 && p12 < p23;
            assertThat(SequentialGreedyMatching.run(path, seed).size()).isEqualTo(middleFirst ? 1 : 2);
        }
    }

    @Test
    void generatedGraphsMatchTheNaiveGreedyAndAreMaximal() {
        for (CsrGraph g : References.generated()) {
            for (long seed : new long[] {3, 77}) {
                Matching m = SequentialGreedyMatching.run(g, seed);
                assertThat(m.mate()).as("%s seed %d", g, seed).isEqualTo(References.naiveGreedyMatching(g, seed));
                assertValidAndMaximal(g, m);
            }
        }
    }

    static void assertValidAndMaximal(CsrGraph g, Matching m) {
        int[] mate = m.mate();
        int matched = 0;
        for (int v = 0; v < g.nodes(); v++) {
            if (mate[v] >= 0) {
                matched++;
                assertThat(mate[mate[v]]).isEqualTo(v);
                assertThat(mate[v]).isNotEqualTo(v);
            }
        }
        assertThat(m.size() * 2).isEqualTo(matched);
        boolean[] adjacentToMate = new boolean[g.nodes()];
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                if (v == mate[u]) {
                    adjacentToMate[u] = true;
                    adjacentToMate[v] = true;
                }
                if (u != v) {
                    assertThat(mate[u] >= 0 || mate[v] >= 0).as("maximal at edge %d-%d", u, v).isTrue();
                }
            }
        }
        for (int v = 0; v < g.nodes(); v++) {
            if (mate[v] >= 0) {
                assertThat(adjacentToMate[v]).as("%d is matched along an edge", v).isTrue();
            }
        }
    }
}
