package org.scaleml.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GraphGeneratorsTest {

    /** Every arc u->v with weight w has a reverse v->u with weight w (as multisets). */
    static void assertSymmetric(CsrGraph g) {
        Map<Long, Integer> balance = new HashMap<>();
        for (int u = 0; u < g.nodes(); u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                if (u == v) {
                    continue;
                }
                long key = ((long) Math.min(u, v) << 32 | Math.max(u, v)) * 31 + g.weight(e);
                balance.merge(key, u < v ? 1 : -1, Integer::sum);
            }
        }
        assertThat(balance.values()).allMatch(x -> x == 0);
    }

    static void assertSameStructure(CsrGraph a, CsrGraph b) {
        GraphCacheTest.assertSameGraph(a, b);
    }

    @Test
    void gridHasExpectedShapeWeightsAndCoordinates() {
        CsrGraph g = GraphGenerators.grid(3, 4, 10, 7);
        assertThat(g.nodes()).isEqualTo(12);
        assertThat(g.edges()).isEqualTo(3 * 3 + 4 * 2);
        assertThat(g.arcs()).isEqualTo(2 * 17);
        assertThat(g.isDirected()).isFalse();
        assertThat(g.degree(0)).isEqualTo(2);
        assertThat(g.degree(5)).isEqualTo(4);
        assertThat(GraphBuilderTest.arcsOf(g, 5)).extracting(s -> s.split(":")[0]).containsExactly("1", "4", "6", "9");
        assertThat(java.util.Arrays.stream(g.weights())).allMatch(w -> w >= 1 && w <= 10);
        assertThat(g.xs()[7]).isEqualTo(3);
        assertThat(g.ys()[7]).isEqualTo(1);
        assertSymmetric(g);
        assertSameStructure(g, GraphGenerators.grid(3, 4, 10, 7));
        assertThat(GraphGenerators.grid(3, 4, 10, 8).weights()).isNotEqualTo(g.weights());
        // Built directly, so it must pass the public validating factory too.
        CsrGraph.fromArrays(g.nodes(), false, g.offsets(), g.targets(), g.weights());
    }

    @Test
    void gridWeightsCoverTheRange() {
        CsrGraph g = GraphGenerators.grid(50, 50, 5, 1);
        boolean[] seen = new boolean[6];
        for (int w : g.weights()) {
            seen[w] = true;
        }
        assertThat(seen).containsExactly(false, true, true, true, true, true);
        assertThat(GraphGenerators.grid(1, 1, 1, 0).arcs()).isZero();
        assertThatThrownBy(() -> GraphGenerators.grid(0, 3, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> GraphGenerators.grid(100_000, 100_000, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rmatSizesSkewAndDeterminism() {
        CsrGraph g = GraphGenerators.rmat(10, 8, 11);
        assertThat(g.nodes()).isEqualTo(1024);
        assertThat(g.arcs()).isEqualTo(8 * 1024);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.hasWeights()).isFalse();
        // Skew: with a = 0.57, node 0 has by far the highest out-degree (expected 8192 * 0.76^10 ~ 523).
        int maxDeg = 0;
        for (int u = 1; u < g.nodes(); u++) {
            maxDeg = Math.max(maxDeg, g.degree(u));
        }
        assertThat(g.degree(0)).isGreaterThan(maxDeg).isBetween(350, 700);
        assertSameStructure(g, GraphGenerators.rmat(10, 8, 11));
        assertThat(GraphGenerators.rmat(10, 8, 12).targets()).isNotEqualTo(g.targets());

        CsrGraph w = GraphGenerators.rmat(9, 4, 0.45, 0.15, 0.15, false, 20, true, 3);
        assertThat(w.isDirected()).isFalse();
        assertThat(java.util.Arrays.stream(w.weights())).allMatch(x -> x >= 1 && x <= 20);
        assertThat(w.arcs()).isLessThan(2L * 4 * 512);
        assertSymmetric(w);
        for (int u = 0; u < w.nodes(); u++) {
            java.util.Set<Integer> targets = new java.util.HashSet<>();
            for (long e = w.firstArc(u); e < w.endArc(u); e++) {
                assertThat(w.target(e)).isNotEqualTo(u);
                assertThat(targets.add(w.target(e))).isTrue();
            }
        }
        assertThatThrownBy(() -> GraphGenerators.rmat(10, 8, 0.6, 0.3, 0.3, true, 0, false, 1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void randomGeometricMatchesBruteForce() {
        int n = 700;
        double r = 0.07;
        CsrGraph g = GraphGenerators.randomGeometric(n, r, 99);
        assertThat(g.nodes()).isEqualTo(n);
        assertThat(g.isDirected()).isFalse();
        assertSymmetric(g);
        int[] x = g.xs();
        int[] y = g.ys();
        long rad = (long) Math.floor(r * GraphGenerators.GEOMETRIC_SCALE);
        long expectedEdges = 0;
        for (int i = 0; i < n; i++) {
            for (int j = i + 1; j < n; j++) {
                long dx = x[i] - x[j];
                long dy = y[i] - y[j];
                if (dx * dx + dy * dy <= rad * rad) {
                    expectedEdges++;
                }
            }
        }
        assertThat(g.edges()).isEqualTo(expectedEdges);
        for (int u = 0; u < n; u++) {
            for (long e = g.firstArc(u); e < g.endArc(u); e++) {
                int v = g.target(e);
                double dist = Math.hypot(x[u] - x[v], y[u] - y[v]);
                assertThat(dist).isLessThanOrEqualTo(rad);
                // Weight is the length rounded up: an admissible heuristic for A*.
                assertThat((double) g.weight(e)).isGreaterThanOrEqualTo(dist).isLessThan(dist + 1.000001);
            }
        }
        double avgDeg = 2.0 * g.edges() / n;
        assertThat(avgDeg).isBetween(5.0, 12.0); // pi r^2 (n-1) ~ 10.8 minus boundary effects
        assertSameStructure(g, GraphGenerators.randomGeometric(n, r, 99));
    }

    @Test
    void randomGeometricRadiusForDegree() {
        int n = 20_000;
        CsrGraph g = GraphGenerators.randomGeometric(n, GraphGenerators.radiusForAverageDegree(n, 8), 5);
        assertThat(2.0 * g.edges() / n).isBetween(7.0, 8.5);
        assertThat(GraphGenerators.randomGeometric(1, 0.5, 1).arcs()).isZero();
        assertThatThrownBy(() -> GraphGenerators.randomGeometric(10, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
