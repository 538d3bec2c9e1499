package org.scaleml.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import org.jgrapht.Graph;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedPseudograph;
import org.junit.jupiter.api.Test;

class GraphBuilderTest {

    /** All arcs of a node as "target:weight", in stored order. */
    static List<String> arcsOf(CsrGraph g, int u) {
        List<String> out = new ArrayList<>();
        for (long e = g.firstArc(u); e < g.endArc(u); e++) {
            out.add(g.target(e) + ":" + g.weight(e));
        }
        return out;
    }

    @Test
    void directedGraphKeepsInsertionOrderPerNode() {
        CsrGraph g = GraphBuilder.directed(4)
                .addEdge(2, 3, 7).addEdge(0, 2, 5).addEdge(0, 1, 4).addEdge(3, 0, 1).addEdge(0, 3, 9)
                .build();
        assertThat(g.nodes()).isEqualTo(4);
        assertThat(g.arcs()).isEqualTo(5);
        assertThat(g.edges()).isEqualTo(5);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.offsets()).containsExactly(0, 3, 3, 4, 5);
        assertThat(arcsOf(g, 0)).containsExactly("2:5", "1:4", "3:9");
        assertThat(arcsOf(g, 1)).isEmpty();
        assertThat(arcsOf(g, 2)).containsExactly("3:7");
        assertThat(arcsOf(g, 3)).containsExactly("0:1");
        assertThat(g.degree(0)).isEqualTo(3);
        assertThat(g.maxWeight()).isEqualTo(9);
    }

    @Test
    void undirectedGraphStoresBothArcsAndLoopsOnce() {
        CsrGraph g = GraphBuilder.undirected(3).addEdge(0, 1, 2).addEdge(1, 2, 3).addEdge(2, 2, 4).build();
        assertThat(g.isDirected()).isFalse();
        assertThat(g.arcs()).isEqualTo(5);
        assertThat(g.edges()).isEqualTo(3);
        assertThat(arcsOf(g, 0)).containsExactly("1:2");
        assertThat(arcsOf(g, 1)).containsExactly("0:2", "2:3");
        assertThat(arcsOf(g, 2)).containsExactly("1:3", "2:4");
        assertThat(g.transpose()).isSameAs(g);
    }

    @Test
    void edgeEndpointsListEveryDirectedArcAndEachUndirectedEdgeOnce() {
        CsrGraph d = GraphBuilder.directed(3).addEdge(2, 0).addEdge(0, 1).addEdge(1, 1).addEdge(1, 0).build();
        assertThat(d.edgeEndpoints()).containsExactly(0, 1, 1, 1, 1, 0, 2, 0);
        CsrGraph u = GraphBuilder.undirected(4).addEdge(2, 0).addEdge(0, 1).addEdge(3, 3).addEdge(1, 3).build();
        assertThat(u.edgeEndpoints()).as("from the smaller end, in arc order; the self loop left out")
                .containsExactly(0, 2, 0, 1, 1, 3);
        assertThat(GraphBuilder.undirected(0).build().edgeEndpoints()).isEmpty();
    }

    @Test
    void selfLoopsAndParallelArcsAreKeptByDefaultAndCanBeRemoved() {
        GraphBuilder b = GraphBuilder.directed(3);
        b.addEdge(0, 1, 5).addEdge(0, 0, 1).addEdge(0, 1, 3).addEdge(0, 2, 8).addEdge(0, 1, 4);
        CsrGraph kept = b.build();
        assertThat(arcsOf(kept, 0)).containsExactly("1:5", "0:1", "1:3", "2:8", "1:4");

        CsrGraph simple = GraphBuilder.directed(3).dropSelfLoops(true).deduplicate(true)
                .addEdge(0, 1, 5).addEdge(0, 0, 1).addEdge(0, 1, 3).addEdge(0, 2, 8).addEdge(0, 1, 4).build();
        assertThat(arcsOf(simple, 0)).containsExactly("1:3", "2:8");
        assertThat(simple.arcs()).isEqualTo(2);
        assertThat(simple.offsets()).containsExactly(0, 2, 2, 2);
    }

    @Test
    void undirectedDeduplicationMergesBothDirectionsSymmetrically() {
        CsrGraph g = GraphBuilder.undirected(2).deduplicate(true).addEdge(0, 1, 6).addEdge(1, 0, 2).build();
        assertThat(arcsOf(g, 0)).containsExactly("1:2");
        assertThat(arcsOf(g, 1)).containsExactly("0:2");
        assertThat(g.edges()).isEqualTo(1);
    }

    @Test
    void unweightedBuilderHasNoWeightArray() {
        CsrGraph g = GraphBuilder.directed(2).weighted(false).addEdge(0, 1).build();
        assertThat(g.hasWeights()).isFalse();
        assertThat(g.weight(0)).isEqualTo(1);
        assertThatThrownBy(g::weights).isInstanceOf(IllegalStateException.class);
        CsrGraph w = g.withUnitWeights();
        assertThat(w.weights()).containsExactly(1);
        assertThat(w.targets()).isSameAs(g.targets());
        assertThatThrownBy(() -> GraphBuilder.directed(2).weighted(false).addEdge(0, 1, 3))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void rejectsEndpointsOutOfRangeAndDoubleBuild() {
        GraphBuilder b = GraphBuilder.directed(2);
        assertThatThrownBy(() -> b.addEdge(0, 2, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("outside 0..1");
        b.addEdge(0, 1, 1);
        b.build();
        assertThatThrownBy(b::build).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void emptyGraphs() {
        CsrGraph g = GraphBuilder.directed(0).build();
        assertThat(g.nodes()).isZero();
        assertThat(g.arcs()).isZero();
        assertThat(g.offsets()).containsExactly(0);
        CsrGraph h = GraphBuilder.undirected(5).build();
        assertThat(h.arcs()).isZero();
        assertThat(h.maxWeight()).isZero();
    }

    @Test
    void fileIdsByOffsetAndByArray() {
        CsrGraph g = GraphBuilder.directed(3).idOffset(1).addEdge(0, 2, 1).build();
        assertThat(g.fileId(0)).isEqualTo(1);
        assertThat(g.nodeOf(3)).isEqualTo(2);
        assertThat(g.nodeOf(0)).isEqualTo(-1);
        assertThat(g.nodeOf(4)).isEqualTo(-1);
        CsrGraph h = GraphBuilder.directed(3).fileIds(new long[] {10, 20, 8_000_000_000L}).build();
        assertThat(h.fileId(2)).isEqualTo(8_000_000_000L);
        assertThat(h.nodeOf(20)).isEqualTo(1);
        assertThat(h.nodeOf(15)).isEqualTo(-1);
        assertThatThrownBy(() -> GraphBuilder.directed(2).fileIds(new long[] {5, 5}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void transposeReversesArcsWithWeights() {
        CsrGraph g = GraphBuilder.directed(3).addEdge(0, 1, 5).addEdge(2, 1, 7).addEdge(1, 0, 2).build();
        CsrGraph t = g.transpose();
        assertThat(arcsOf(t, 1)).containsExactly("0:5", "2:7");
        assertThat(arcsOf(t, 0)).containsExactly("1:2");
        assertThat(arcsOf(t, 2)).isEmpty();
    }

    @Test
    void fromArraysValidates() {
        CsrGraph g = CsrGraph.fromArrays(2, false, new long[] {0, 1, 2}, new int[] {1, 0}, new int[] {3, 3});
        assertThat(g.edges()).isEqualTo(1);
        assertThatThrownBy(() -> CsrGraph.fromArrays(2, true, new long[] {0, 1, 2}, new int[] {1, 2}, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("target 2");
        assertThatThrownBy(() -> CsrGraph.fromArrays(2, true, new long[] {0, 2, 1}, new int[] {1}, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CsrGraph.fromArrays(2, false, new long[] {0, 1, 2}, new int[] {1, 0}, new int[] {3, 4}))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not symmetric");
    }

    @Test
    void coordinatesAttach() {
        CsrGraph g = GraphBuilder.directed(2).build().withCoordinates(new int[] {1, 2}, new int[] {3, 4});
        assertThat(g.hasCoordinates()).isTrue();
        assertThat(g.ys()).containsExactly(3, 4);
        assertThatThrownBy(() -> g.withCoordinates(new int[] {1}, new int[] {1}))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomMultigraphMatchesJGraphT() {
        SplittableRandom rnd = new SplittableRandom(42);
        int n = 60;
        GraphBuilder b = GraphBuilder.directed(n);
        Graph<Integer, DefaultWeightedEdge> jg = new DirectedWeightedPseudograph<>(DefaultWeightedEdge.class);
        for (int i = 0; i < n; i++) {
            jg.addVertex(i);
        }
        for (int i = 0; i < 500; i++) {
            int u = rnd.nextInt(n);
            int v = rnd.nextInt(n);
            int w = rnd.nextInt(100);
            b.addEdge(u, v, w);
            jg.setEdgeWeight(jg.addEdge(u, v), w);
        }
        CsrGraph g = b.build();
        assertThat(g.arcs()).isEqualTo(jg.edgeSet().size());
        for (int u = 0; u < n; u++) {
            List<String> expected = new ArrayList<>();
            for (DefaultWeightedEdge e : jg.outgoingEdgesOf(u)) {
                expected.add(jg.getEdgeTarget(e) + ":" + (int) jg.getEdgeWeight(e));
            }
            List<String> actual = arcsOf(g, u);
            Collections.sort(expected);
            Collections.sort(actual);
            assertThat(actual).as("node %d", u).isEqualTo(expected);
        }
    }
}
