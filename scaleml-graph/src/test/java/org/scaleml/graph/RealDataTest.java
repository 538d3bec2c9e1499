package org.scaleml.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.PriorityQueue;
import org.jgrapht.Graph;
import org.jgrapht.alg.shortestpath.DijkstraShortestPath;
import org.jgrapht.graph.DefaultWeightedEdge;
import org.jgrapht.graph.DirectedWeightedPseudograph;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loads the real graphs from ../shared/data and checks their sizes; skips when the data is absent. */
class RealDataTest {
    @TempDir
    Path tmp;

    static Path data(String relative) {
        Path dir = TestFiles.sharedData().orElse(null);
        assumeTrue(dir != null, "../shared/data not found: skipping real-data test");
        Path f = dir.resolve(relative);
        assumeTrue(Files.isReadable(f), relative + " not present: skipping");
        return f;
    }

    @Test
    void newYorkRoadNetwork() throws IOException {
        Path gr = data("road/USA-road-d.NY.gr.gz");
        Path co = data("road/USA-road-d.NY.co.gz");
        CsrGraph g = GraphReader.readDimacs(gr, co, ReadOptions.defaults());
        assertThat(g.nodes()).isEqualTo(264_346);
        assertThat(g.arcs()).isEqualTo(733_846);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.fileId(0)).isEqualTo(1);
        assertThat(g.xs()[0]).isEqualTo(-73_530_767);
        assertThat(g.ys()[0]).isEqualTo(41_085_396);
        assertThat(g.target(g.firstArc(0))).isEqualTo(1);
        assertThat(g.weight(g.firstArc(0))).isEqualTo(803);
        // 3,724 (u, v) pairs occur more than once, with 3,746 surplus arcs.
        CsrGraph dedup = GraphReader.read(gr, GraphFormat.AUTO, ReadOptions.defaults().withDeduplicate(true));
        assertThat(dedup.arcs()).isEqualTo(733_846 - 3_746);
        // Every arc has its reverse: symmetrizing gives half as many edges as distinct arcs.
        CsrGraph und = GraphReader.read(gr, GraphFormat.AUTO, ReadOptions.defaults().withSymmetrize(true));
        assertThat(und.arcs()).isEqualTo(dedup.arcs());

        GraphCache cache = GraphCache.inDirectory(tmp);
        assertThat(cache.loadDetailed(gr, GraphFormat.AUTO, ReadOptions.defaults()).fromCache()).isFalse();
        GraphCache.Loaded cached = cache.loadDetailed(gr, GraphFormat.AUTO, ReadOptions.defaults());
        assertThat(cached.fromCache()).isTrue();
        assertThat(cached.graph().targets()).isEqualTo(g.targets());
        assertThat(cached.graph().weights()).isEqualTo(g.weights());
    }

    @Test
    void paceFlorida() throws IOException {
        CsrGraph g = GraphReader.read(data("road/pace2016-FLA.gr.xz"));
        assertThat(g.nodes()).isEqualTo(1_070_376);
        assertThat(g.edges()).isEqualTo(1_343_951);
        assertThat(g.arcs()).isEqualTo(2 * 1_343_951);
        assertThat(g.isDirected()).isFalse();
        assertThat(g.hasWeights()).isFalse();
    }

    @Test
    void wikiVote() throws IOException {
        CsrGraph g = GraphReader.read(data("snap/wiki-Vote.txt.gz"));
        assertThat(g.nodes()).isEqualTo(7_115);
        assertThat(g.arcs()).isEqualTo(103_689);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.fileId(g.nodes() - 1)).isEqualTo(8_297);
        int n30 = g.nodeOf(30);
        assertThat(n30).isNotNegative();
        assertThat(g.fileId(g.target(g.firstArc(n30)))).isEqualTo(1_412);
    }

    @Test
    void lederberg() throws IOException {
        CsrGraph g = GraphReader.read(data("mtx/Lederberg.mtx"));
        assertThat(g.nodes()).isEqualTo(8_843);
        assertThat(g.arcs()).isEqualTo(41_601);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.hasWeights()).isTrue();
    }

    @Test
    void romeShortestPathsAgreeWithJGraphT() throws IOException {
        CsrGraph g = GraphReader.read(data("road/rome99.gr"));
        assertThat(g.nodes()).isEqualTo(3_353);
        assertThat(g.arcs()).isEqualTo(8_870);
        Graph<Integer, DefaultWeightedEdge> jg = new DirectedWeightedPseudograph<>(DefaultWeightedEdge.class);
        for (int u = 0; u < g.nodes(); u++) {
            jg.addVertex(u);
        }
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                jg.setEdgeWeight(jg.addEdge(u, g.target(e)), g.weight(e));
            }
        }
        long[] dist = dijkstra(g, 0);
        var paths = new DijkstraShortestPath<>(jg).getPaths(0);
        for (int v = 0; v < g.nodes(); v += 37) {
            double expected = paths.getWeight(v);
            assertThat(dist[v] == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : (double) dist[v]).isEqualTo(expected);
        }
    }

    /** A plain reference Dijkstra over the CSR arrays. */
    static long[] dijkstra(CsrGraph g, int s) {
        long[] dist = new long[g.nodes()];
        Arrays.fill(dist, Long.MAX_VALUE);
        dist[s] = 0;
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        pq.add(new long[] {0, s});
        long[] off = g.offsets();
        int[] tgt = g.targets();
        int[] w = g.weights();
        while (!pq.isEmpty()) {
            long[] top = pq.poll();
            int u = (int) top[1];
            if (top[0] > dist[u]) {
                continue;
            }
            for (long e = off[u]; e < off[u + 1]; e++) {
                int v = tgt[(int) e];
                long nd = top[0] + w[(int) e];
                if (nd < dist[v]) {
                    dist[v] = nd;
                    pq.add(new long[] {nd, v});
                }
            }
        }
        return dist;
    }
}
