package org.scaleml.graph.algo;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.scaleml.sched.RunStats;

/**
 * What one run of a parallel algorithm returns: its answer, of the same type as the sequential reference's
 * (for example {@link ShortestPaths} from both {@link SequentialDijkstra} and {@link ParallelSssp}), and
 * beside it the scheduler's statistics of the run.
 *
 * <pre>{@code
 * Run<ShortestPaths> r = ParallelSssp.run(g, source, new Scheduler("mq", 2, 42));
 * r.result().pathTo(target);   // as from SequentialDijkstra.shortestPaths(g, source)
 * r.stats().wastedTasks();     // the relaxation's cost
 * }</pre>
 *
 * <p>Immutable apart from the arrays inside the result, which the caller owns. The statistics are those of
 * {@link org.scaleml.sched.Scheduler#run}, summed over phases for the algorithms that run several (wall time:
 * the whole call).
 *
 * @param result   the answer, comparable with the sequential reference's
 * @param stats    tasks, wasted tasks, idle polls, steals and wall time of the run
 * @param counters figures only some algorithms have, by name, in a fixed order (for example {@link
 *                 ParallelMsf#ROUNDS}); empty for most. Unmodifiable.
 * @param <T>      the problem's result type
 */
public record Run<T>(T result, RunStats stats, Map<String, Long> counters) {
    /**
     * @throws NullPointerException if an argument is null
     */
    public Run {
        Objects.requireNonNull(result, "result");
        Objects.requireNonNull(stats, "stats");
        counters = Collections.unmodifiableMap(new LinkedHashMap<>(counters));
    }

    /** A run without algorithm-specific counters. */
    public Run(T result, RunStats stats) {
        this(result, stats, Map.of());
    }

    /**
     * @return the value of the counter {@code name}
     * @throws IllegalArgumentException if this run has no such counter
     */
    public long counter(String name) {
        Long v = counters.get(name);
        if (v == null) {
            throw new IllegalArgumentException("no counter " + name + " in " + counters.keySet());
        }
        return v;
    }
}
