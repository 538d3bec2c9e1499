package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;

class SequentialGreedyMisTest {
    @Test
    void explicitOrderOnAPath() {
        // Path 0-1-2-3-4 (directed arcs both ways in part, a loop on 2).
        CsrGraph g = GraphBuilder.directed(5).addEdge(0, 1).addEdge(2, 1).addEdge(2, 3).addEdge(4, 3).addEdge(2, 2).build();
        assertThat(SequentialGreedyMis.run(g, new int[] {1, 3, 0, 2, 4}).member()).containsExactly(false, true, false, true, false);
        assertThat(SequentialGreedyMis.run(g, new int[] {0, 1, 2, 3, 4}).member()).containsExactly(true, false, true, false, true);
        assertThat(SequentialGreedyMis.run(g, new int[] {2, 0, 1, 3, 4}).size()).isEqualTo(3);
        assertThatThrownBy(() -> SequentialGreedyMis.run(g, new int[] {0, 0, 1, 2, 3}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("repeats node 0");
        assertThatThrownBy(() -> SequentialGreedyMis.run(g, new int[] {0}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedGraphsMatchTheNaiveGreedyAndAreMaximal() {
        for (CsrGraph g : References.generated()) {
            for (long seed : new long[] {1, 99}) {
                IndependentSet s = SequentialGreedyMis.run(g, seed);
                assertThat(s.member()).as("%s seed %d", g, seed).isEqualTo(References.naiveGreedyMis(g, seed));
                assertIndependentAndMaximal(g, s);
            }
            assertThat(SequentialGreedyMis.run(g, 1).member()).isEqualTo(SequentialGreedyMis.run(g, 1).member());
        }
    }

    static void assertIndependentAndMaximal(CsrGraph g, IndependentSet s) {
        List<Set<Integer>> nb = References.undirectedNeighbours(g);
        int size = 0;
        for (int v = 0; v < g.nodes(); v++) {
            boolean anyIn = nb.get(v).stream().anyMatch(u -> s.member()[u]);
            if (s.member()[v]) {
                size++;
                assertThat(anyIn).as("independent at %d", v).isFalse();
            } else {
                assertThat(anyIn).as("maximal at %d", v).isTrue();
            }
        }
        assertThat(s.size()).isEqualTo(size);
    }
}
