package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;

class SequentialBfsTest {
    @Test
    void handMadeGraph() {
        CsrGraph g = SequentialDijkstraTest.small();
        assertThat(SequentialBfs.levels(g, 0)).containsExactly(0, 1, 1, 2, -1, -1);
        assertThat(SequentialBfs.levels(g, 5)).containsExactly(1, 2, 2, 3, -1, 0);
        assertThat(SequentialBfs.checksum(SequentialBfs.levels(g, 5))).isEqualTo(new DistanceChecksum(8, 5));
        CsrGraph path = GraphBuilder.undirected(5).weighted(false).addEdge(0, 1).addEdge(1, 2).addEdge(2, 3).build();
        assertThat(SequentialBfs.levels(path, 2)).containsExactly(2, 1, 0, 1, -1);
    }

    @Test
    void generatedGraphsMatchDijkstraOnUnitWeightsAndTheCertificate() {
        for (CsrGraph g : References.generated()) {
            CsrGraph unit = g.withoutWeights();
            for (int s : new int[] {0, g.nodes() / 2}) {
                int[] levels = SequentialBfs.levels(g, s); // weights are ignored
                long[] d = SequentialDijkstra.distances(unit, s);
                for (int v = 0; v < g.nodes(); v++) {
                    assertThat((long) levels[v]).isEqualTo(d[v] == SequentialDijkstra.UNREACHABLE ? -1 : d[v]);
                }
                References.assertBfsCertificate(g, s, levels);
            }
        }
    }

    @Test
    void rejectsBadSource() {
        assertThatThrownBy(() -> SequentialBfs.levels(SequentialDijkstraTest.small(), -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
