package org.scaleml.graph.algo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphBuilder;
import org.scaleml.graph.GraphGenerators;

class SequentialAStarTest {
    @Test
    void scaleIsTheSmallestWeightPerLength() {
        // (0,0) -10- (3,4) -5- (6,8): ratios 2 and 1; a zero-length arc 2->3 is no constraint.
        CsrGraph g = GraphBuilder.directed(4).addEdge(0, 1, 10).addEdge(1, 2, 5).addEdge(2, 3, 0).build()
                .withCoordinates(new int[] {0, 3, 6, 6}, new int[] {0, 4, 8, 8});
        assertThat(SequentialAStar.admissibleScale(g)).isCloseTo(1.0, within(1e-8)).isLessThan(1.0);
        SequentialAStar astar = new SequentialAStar(g);
        assertThat(astar.query(0, 3).distance()).isEqualTo(15);
        assertThat(astar.query(0, 3).settled()).isEqualTo(4);
        assertThat(astar.query(3, 0).distance()).isEqualTo(SequentialDijkstra.UNREACHABLE);
        assertThat(astar.query(2, 2)).isEqualTo(new TargetDistance(2, 2, 0, 1));
    }

    @Test
    void zeroWeightArcOfPositiveLengthGivesScaleZero() {
        CsrGraph g = GraphBuilder.undirected(3).addEdge(0, 1, 0).addEdge(1, 2, 7).build()
                .withCoordinates(new int[] {0, 100, 200}, new int[] {0, 0, 0});
        assertThat(SequentialAStar.admissibleScale(g)).isZero();
        assertThat(new SequentialAStar(g).query(0, 2).distance()).isEqualTo(7);
        CsrGraph noArcs = GraphBuilder.undirected(2).build().withCoordinates(new int[] {0, 5}, new int[] {0, 5});
        assertThat(SequentialAStar.admissibleScale(noArcs)).isZero();
    }

    @Test
    void heuristicDoesNotOverflowOnHugeScales() {
        // Unweighted arcs of length 1 next to a node far away: scale 1, h up to ~2^31.5; and a huge scale.
        CsrGraph g = GraphBuilder.directed(3).weighted(false).addEdge(0, 1).build()
                .withCoordinates(new int[] {0, 1, Integer.MAX_VALUE}, new int[] {0, 0, Integer.MIN_VALUE});
        SequentialAStar astar = new SequentialAStar(g, 1e12);
        assertThat(astar.query(0, 2).distance()).isEqualTo(SequentialDijkstra.UNREACHABLE);
        assertThat(new SequentialAStar(g).query(0, 1).distance()).isEqualTo(1);
    }

    @Test
    void rejectsMissingCoordinatesAndBadArguments() {
        CsrGraph g = GraphGenerators.rmat(6, 4, 1);
        assertThatThrownBy(() -> new SequentialAStar(g)).isInstanceOf(IllegalStateException.class);
        CsrGraph grid = GraphGenerators.grid(3, 3, 5, 1);
        assertThatThrownBy(() -> new SequentialAStar(grid, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequentialAStar(grid, Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new SequentialAStar(grid).query(0, 9)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void generatedGraphsAgreeWithDijkstraForRandomPairs() {
        CsrGraph geo = GraphGenerators.randomGeometric(20_000, GraphGenerators.radiusForAverageDegree(20_000, 8), 5);
        CsrGraph sparse = GraphGenerators.randomGeometric(5_000, GraphGenerators.radiusForAverageDegree(5_000, 2), 6);
        CsrGraph grid = GraphGenerators.grid(100, 120, 20, 7);
        for (CsrGraph g : new CsrGraph[] {geo, sparse, grid}) {
            assertThat(SequentialAStar.admissibleScale(g)).isGreaterThan(0.999);
            assertAgreesWithDijkstra(g, new SequentialAStar(g), 60, 8);
            assertAgreesWithDijkstra(g, new SequentialAStar(g, 1.0), 20, 9); // the generators' documented factor
        }
    }

    /**
     * Runs {@code pairs} random queries; checks each distance against Dijkstra's and that A* does not settle
     * more nodes than Dijkstra's early-exit search in total. @return total settled (A*, Dijkstra)
     */
    static long[] assertAgreesWithDijkstra(CsrGraph g, SequentialAStar astar, int pairs, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        long aSettled = 0;
        long dSettled = 0;
        for (int i = 0; i < pairs; i++) {
            int s = rnd.nextInt(g.nodes());
            int t = rnd.nextInt(g.nodes());
            TargetDistance a = astar.query(s, t);
            TargetDistance d = SequentialDijkstra.distance(g, s, t);
            assertThat(a.distance()).as("%s: %d -> %d", g, s, t).isEqualTo(d.distance());
            aSettled += a.settled();
            dSettled += d.settled();
        }
        assertThat(aSettled).isLessThanOrEqualTo(dSettled);
        return new long[] {aSettled, dSettled};
    }
}
