package org.scaleml.concurrent.counter;

import java.util.List;

import org.scaleml.common.SpecOptions;

/**
 * Creates every {@link ApproximateCounter} from a textual specification, so that benchmarks and the command line
 * switch implementation with one flag.
 *
 * <h2>Specification syntax</h2>
 * <ul>
 *   <li>{@code atomic}: one {@link java.util.concurrent.atomic.AtomicLong} (exact)</li>
 *   <li>{@code adder}: one {@link java.util.concurrent.atomic.LongAdder} (exact sums, reads add all cells)</li>
 *   <li>{@code multi} or {@code multi:m=M}: a {@link MultiCounter} of M counters, 1 to
 *       {@value MultiCounter#MAX_COUNTERS} (default 4 x threads)</li>
 * </ul>
 * Bad names, keys or values throw {@link IllegalArgumentException} naming what is wrong and what is accepted.
 */
public final class ApproximateCounters {
    private ApproximateCounters() {
    }

    /** The implementation names accepted by {@link #create}. */
    public static List<String> names() {
        return List.of("atomic", "adder", "multi");
    }

    /**
     * Creates a counter from a specification (see the class documentation).
     *
     * @param threads the number of threads expected to use it, 1 to 65536: sets the default m of {@code multi}
     * @throws IllegalArgumentException on an unknown name, key or value, or a bad thread count
     */
    public static ApproximateCounter create(String spec, int threads) {
        if (threads < 1 || threads > MultiCounter.MAX_COUNTERS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MultiCounter.MAX_COUNTERS
                    + ", got " + threads);
        }
        SpecOptions o = SpecOptions.parse(spec, "counter", names());
        ApproximateCounter c = switch (o.name()) {
            case "atomic" -> new AtomicLongCounter();
            case "adder" -> new LongAdderCounter();
            default -> new MultiCounter(o.integer("m", Math.min(4 * threads, MultiCounter.MAX_COUNTERS), 1,
                    MultiCounter.MAX_COUNTERS));
        };
        o.noneLeft();
        return c;
    }
}
