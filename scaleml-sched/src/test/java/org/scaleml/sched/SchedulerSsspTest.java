package org.scaleml.sched;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A workload with stale tasks: label-correcting single-source shortest paths on a small 2D grid with random
 * weights, checked against a sequential Dijkstra. A task is (distance, node); it is stale (wasted) when the node's
 * distance has improved since the task was pushed. The real graph algorithms live in scaleml-graph; this one only
 * exercises the scheduler.
 */
@Timeout(60)
class SchedulerSsspTest {

    /** A w x h grid, 4-neighbour, symmetric random weights in [1, maxWeight]. */
    static final class Grid {
        final int w;
        final int h;
        final int[] right; // weight of (r,c)-(r,c+1)
        final int[] down;  // weight of (r,c)-(r+1,c)

        Grid(int w, int h, int maxWeight, long seed) {
            this.w = w;
            this.h = h;
            SplittableRandom rnd = new SplittableRandom(seed);
            right = new int[w * h];
            down = new int[w * h];
            for (int i = 0; i < w * h; i++) {
                right[i] = 1 + rnd.nextInt(maxWeight);
                down[i] = 1 + rnd.nextInt(maxWeight);
            }
        }

        int nodes() {
            return w * h;
        }

        /** Calls {@code f.edge(u, weight)} for every neighbour of v. */
        void forEachNeighbour(int v, EdgeVisitor f) {
            int r = v / w;
            int c = v % w;
            if (c + 1 < w) {
                f.edge(v + 1, right[v]);
            }
            if (c > 0) {
                f.edge(v - 1, right[v - 1]);
            }
            if (r + 1 < h) {
                f.edge(v + w, down[v]);
            }
            if (r > 0) {
                f.edge(v - w, down[v - w]);
            }
        }
    }

    interface EdgeVisitor {
        void edge(int to, int weight);
    }

    /** Sequential Dijkstra with a binary heap and lazy deletion. */
    static long[] dijkstra(Grid g, int source) {
        long[] dist = new long[g.nodes()];
        Arrays.fill(dist, Long.MAX_VALUE);
        dist[source] = 0;
        PriorityQueue<long[]> pq = new PriorityQueue<>((a, b) -> Long.compare(a[0], b[0]));
        pq.add(new long[] {0, source});
        while (!pq.isEmpty()) {
            long[] top = pq.poll();
            int v = (int) top[1];
            if (top[0] > dist[v]) {
                continue;
            }
            g.forEachNeighbour(v, (u, wt) -> {
                long nd = top[0] + wt;
                if (nd < dist[u]) {
                    dist[u] = nd;
                    pq.add(new long[] {nd, u});
                }
            });
        }
        return dist;
    }

    /** Parallel label-correcting SSSP on the scheduler. */
    static RunStats sssp(Scheduler s, Grid g, int source, AtomicLongArray dist) {
        for (int i = 0; i < dist.length(); i++) {
            dist.set(i, Long.MAX_VALUE);
        }
        dist.set(source, 0);
        return s.run(sink -> sink.push(0, source), (d, v, ctx) -> {
            if (d > dist.get((int) v)) {
                return false; // stale: a shorter path to v was found after this task was pushed
            }
            g.forEachNeighbour((int) v, (u, wt) -> {
                long nd = d + wt;
                long cur = dist.get(u);
                while (nd < cur) {
                    if (dist.compareAndSet(u, cur, nd)) {
                        ctx.push(nd, u);
                        break;
                    }
                    cur = dist.get(u);
                }
            });
            return true;
        });
    }

    private static void check(String scheduler, int threads, Grid g, int source) {
        long[] expected = dijkstra(g, source);
        AtomicLongArray dist = new AtomicLongArray(g.nodes());
        RunStats st = sssp(new Scheduler(scheduler, threads, SchedulerCases.SEED), g, source, dist);
        for (int v = 0; v < g.nodes(); v++) {
            if (dist.get(v) != expected[v]) {
                assertThat(dist.get(v)).as("%s, %d threads: distance of node %d", scheduler, threads, v)
                        .isEqualTo(expected[v]);
            }
        }
        // every node is settled by at least one useful task; relaxation may add more, and stale ones
        assertThat(st.usefulTasks()).isGreaterThanOrEqualTo(g.nodes());
        assertThat(st.tasks()).isEqualTo(st.usefulTasks() + st.wastedTasks());
        assertThat(st.extraWorkRatio(g.nodes())).isGreaterThanOrEqualTo(0.0);
    }

    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersAndThreads")
    void distancesMatchDijkstra(String scheduler, int threads) {
        check(scheduler, threads, new Grid(60, 50, 100, 7), 0);
        check(scheduler, threads, new Grid(17, 40, 3, 8), 17 * 20 + 8); // few distinct weights: many ties
    }

    @Test
    void exactSchedulerOnOneThreadSettlesEachNodeOnce() {
        Grid g = new Grid(40, 40, 50, 9);
        AtomicLongArray dist = new AtomicLongArray(g.nodes());
        RunStats st = sssp(new Scheduler("exact", 1, SchedulerCases.SEED), g, 0, dist);
        assertThat(st.usefulTasks()).as("Dijkstra order: one useful task per node").isEqualTo(g.nodes());
        RunStats relaxed = sssp(new Scheduler("mq", 2, SchedulerCases.SEED), g, 0, dist);
        assertThat(relaxed.usefulTasks()).isGreaterThanOrEqualTo(g.nodes());
        assertThat(relaxed.extraWorkRatio(st.tasks())).isGreaterThan(-1.0);
    }

    @Tag("stress")
    @ParameterizedTest(name = "{0}, {1} threads")
    @MethodSource("org.scaleml.sched.SchedulerCases#schedulersWithFourThreads")
    @Timeout(600)
    void stressLargerGrids(String scheduler, int threads) {
        for (int t : new int[] {threads, 8}) {
            check(scheduler, t, new Grid(300, 300, 1000, 10 + t), 150 * 300 + 150);
        }
    }
}
