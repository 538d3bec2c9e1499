package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.scaleml.graph.CsrGraph;

/**
 * Checks of extracted paths: for a source and some random targets (plus the source itself), {@code pathTo}
 * must be a path of the graph from the source to the target whose weight (SSSP) or arc count (BFS) is the
 * reported distance or level, and empty exactly for unreachable targets.
 */
final class Paths {
    private Paths() {
    }

    /** Checks {@code p.pathTo} for the source and {@code targets} random nodes chosen with {@code seed}. */
    static void assertShortestPaths(CsrGraph g, ShortestPaths p, int targets, long seed) {
        int n = g.nodes();
        SplittableRandom rnd = new SplittableRandom(seed);
        assertThat(p.parents()).hasSize(n);
        assertThat(p.parents()[p.source()]).isEqualTo(-1);
        for (int q = 0; q <= targets; q++) {
            int v = q == 0 ? p.source() : rnd.nextInt(n);
            int[] path = p.pathTo(v);
            if (p.distanceTo(v) == SequentialDijkstra.UNREACHABLE) {
                assertThat(path).as("no path to unreachable %d", v).isEmpty();
                assertThat(p.hasPathTo(v)).isFalse();
                continue;
            }
            assertThat(p.hasPathTo(v)).isTrue();
            assertThat(weight(g, path, p.source(), v)).as("weight of the path to %d", v).isEqualTo(p.distanceTo(v));
        }
    }

    /** As {@link #assertShortestPaths} for a BFS tree: the path to v has {@code levelOf(v)} arcs. */
    static void assertBfsPaths(CsrGraph g, BfsTree t, int targets, long seed) {
        int n = g.nodes();
        SplittableRandom rnd = new SplittableRandom(seed);
        assertThat(t.parents()[t.source()]).isEqualTo(-1);
        for (int q = 0; q <= targets; q++) {
            int v = q == 0 ? t.source() : rnd.nextInt(n);
            int[] path = t.pathTo(v);
            if (t.levelOf(v) == SequentialBfs.UNREACHED) {
                assertThat(path).as("no path to unreached %d", v).isEmpty();
                assertThat(t.hasPathTo(v)).isFalse();
                continue;
            }
            assertThat(t.hasPathTo(v)).isTrue();
            weight(g, path, t.source(), v); // checks that it is a path
            assertThat(path.length - 1).as("arcs on the path to %d", v).isEqualTo(t.levelOf(v));
        }
    }

    /**
     * Asserts that {@code path} goes from {@code source} to {@code target} along arcs of {@code g}.
     *
     * @return its weight, taking the lightest arc between consecutive nodes (weight 1 per arc if unweighted)
     */
    static long weight(CsrGraph g, int[] path, int source, int target) {
        assertThat(path).isNotEmpty();
        assertThat(path[0]).as("path starts at the source").isEqualTo(source);
        assertThat(path[path.length - 1]).as("path ends at the target").isEqualTo(target);
        long total = 0;
        for (int i = 1; i < path.length; i++) {
            long w = lightestArc(g, path[i - 1], path[i]);
            assertThat(w).as("arc %d->%d on the path", path[i - 1], path[i]).isNotEqualTo(Long.MAX_VALUE);
            total += w;
        }
        return total;
    }

    /** @return the smallest weight of an arc u -> v, {@code Long.MAX_VALUE} if there is none */
    private static long lightestArc(CsrGraph g, int u, int v) {
        long best = Long.MAX_VALUE;
        long[] off = g.offsets();
        int[] tgt = g.targets();
        for (int e = (int) off[u]; e < off[u + 1]; e++) {
            if (tgt[e] == v) {
                best = Math.min(best, g.hasWeights() ? g.weights()[e] : 1);
            }
        }
        return best;
    }
}
