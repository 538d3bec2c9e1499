package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import org.jgrapht.alg.connectivity.ConnectivityInspector;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;

class SequentialComponentsTest {
    @Test
    void handMadeGraphs() {
        // Directed: 3->1 and 1->0 join {0,1,3} weakly; 2 has only a loop; 5->4.
        CsrGraph g = GraphBuilder.directed(6).addEdge(3, 1).addEdge(1, 0).addEdge(2, 2).addEdge(5, 4).build();
        Components c = SequentialComponents.run(g);
        assertThat(c.labels()).containsExactly(0, 0, 2, 0, 4, 4);
        assertThat(c.count()).isEqualTo(3);
        assertThat(c.largestSize()).isEqualTo(3);
        CsrGraph u = GraphBuilder.undirected(5).addEdge(4, 2).addEdge(2, 3).build();
        Components cu = SequentialComponents.run(u);
        assertThat(cu.labels()).containsExactly(0, 1, 2, 2, 2);
        assertThat(cu.count()).isEqualTo(3);
        assertThat(SequentialComponents.run(GraphBuilder.directed(0).build()).count()).isZero();
    }

    @Test
    void generatedGraphsAgreeWithJGraphT() {
        for (CsrGraph g : References.generated()) {
            assertMatchesJGraphT(g);
        }
    }

    /** Same partition as JGraphT's ConnectivityInspector on the undirected view, labelled by minimum id. */
    static Components assertMatchesJGraphT(CsrGraph g) {
        Components c = SequentialComponents.run(g);
        List<Set<Integer>> sets = new ConnectivityInspector<>(JGraphTBaseline.toUndirectedJGraphT(g)).connectedSets();
        assertThat(c.count()).as("%s", g).isEqualTo(sets.size());
        for (Set<Integer> set : sets) {
            int min = set.stream().mapToInt(Integer::intValue).min().getAsInt();
            for (int v : set) {
                assertThat(c.labels()[v]).isEqualTo(min);
            }
        }
        return c;
    }
}
