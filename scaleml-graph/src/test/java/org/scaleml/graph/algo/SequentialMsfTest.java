package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.jgrapht.alg.spanning.KruskalMinimumSpanningTree;
import org.jgrapht.alg.spanning.PrimMinimumSpanningTree;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;

class SequentialMsfTest {
    @Test
    void handMadeGraph() {
        // Square 0-1-2-3 with a diagonal, parallel arcs 0->1 (9 and 2), a loop, and a separate edge 4-5.
        CsrGraph g = GraphBuilder.directed(7)
                .addEdge(0, 1, 9).addEdge(1, 2, 4).addEdge(2, 3, 3).addEdge(3, 0, 5).addEdge(0, 2, 1)
                .addEdge(1, 0, 2).addEdge(2, 2, -50).addEdge(5, 4, -7)
                .build();
        SpanningForest f = SequentialMsf.run(g);
        assertThat(f.totalWeight()).isEqualTo(1 + 2 + 3 - 7);
        assertThat(f.edgeCount()).isEqualTo(4); // 7 nodes, 3 components
        Set<String> chosen = new HashSet<>();
        for (int e : f.arcs()) {
            chosen.add(g.target(e) + "/" + g.weight(e));
        }
        assertThat(chosen).containsExactlyInAnyOrder("2/1", "0/2", "3/3", "4/-7");
    }

    @Test
    void unweightedGivesASpanningForest() {
        CsrGraph g = GraphBuilder.undirected(5).weighted(false).addEdge(0, 1).addEdge(1, 2).addEdge(2, 0).addEdge(3, 4).build();
        SpanningForest f = SequentialMsf.run(g);
        assertThat(f.edgeCount()).isEqualTo(3);
        assertThat(f.totalWeight()).isEqualTo(3);
    }

    @Test
    void generatedGraphsAgreeWithJGraphT() {
        for (CsrGraph g : References.generated()) {
            assertMatchesJGraphT(g);
        }
    }

    /** Weight equal to JGraphT's Kruskal and Prim on the undirected view; edges = n - components; a forest. */
    static SpanningForest assertMatchesJGraphT(CsrGraph g) {
        SpanningForest f = SequentialMsf.run(g);
        var jg = JGraphTBaseline.toUndirectedJGraphT(g);
        double kruskal = new KruskalMinimumSpanningTree<>(jg).getSpanningTree().getWeight();
        double prim = new PrimMinimumSpanningTree<>(jg).getSpanningTree().getWeight();
        assertThat((double) f.totalWeight()).as("%s", g).isEqualTo(kruskal).isEqualTo(prim);
        assertThat(f.totalWeight()).isEqualTo(References.primWeight(g));
        assertThat(f.edgeCount()).isEqualTo(g.nodes() - SequentialComponents.run(g).count());
        assertThat(f.arcs()).hasSize(f.edgeCount()).doesNotHaveDuplicates();
        long sum = 0;
        UnionFind uf = new UnionFind(g.nodes());
        int[] source = sources(g);
        for (int e : f.arcs()) {
            sum += g.weight(e);
            assertThat(uf.union(source[e], g.target(e))).as("forest has no cycle").isTrue();
        }
        assertThat(sum).isEqualTo(f.totalWeight());
        return f;
    }

    static int[] sources(CsrGraph g) {
        int[] s = new int[(int) g.arcs()];
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                s[(int) e] = u;
            }
        }
        return s;
    }
}
