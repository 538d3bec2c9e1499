package org.scaleml.concurrent.stm;

import java.util.List;

import org.scaleml.common.SpecOptions;
import org.scaleml.concurrent.counter.MultiCounter;

/**
 * Creates every {@link VersionClock} from a textual specification.
 *
 * <h2>Specification syntax</h2>
 * <ul>
 *   <li>{@code gv1}: TL2's global clock, incremented by every committing update transaction</li>
 *   <li>{@code gv4}: the same counter, incremented by one compare-and-set whose failure borrows the winner's value</li>
 *   <li>{@code mc} or {@code mc:m=M}: relaxed timestamps paced by a MultiCounter of M counters, 1 to
 *       {@value MultiCounter#MAX_COUNTERS} (default 4 x threads)</li>
 * </ul>
 * Bad names, keys or values throw {@link IllegalArgumentException} naming what is wrong and what is accepted.
 */
public final class VersionClocks {
    private VersionClocks() {
    }

    /** The clock names accepted by {@link #create}. */
    public static List<String> names() {
        return List.of("gv1", "gv4", "mc");
    }

    /**
     * Creates a clock from a specification (see the class documentation).
     *
     * @param threads the number of threads expected to run transactions, 1 to 65536: sets the default m of
     *                {@code mc}
     * @throws IllegalArgumentException on an unknown name, key or value, or a bad thread count
     */
    public static VersionClock create(String spec, int threads) {
        if (threads < 1 || threads > MultiCounter.MAX_COUNTERS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MultiCounter.MAX_COUNTERS
                    + ", got " + threads);
        }
        SpecOptions o = SpecOptions.parse(spec, "clock", names());
        VersionClock c = switch (o.name()) {
            case "gv1" -> new GlobalCounterClock(false);
            case "gv4" -> new GlobalCounterClock(true);
            default -> new MultiCounterClock(o.integer("m", Math.min(4 * threads, MultiCounter.MAX_COUNTERS), 1,
                    MultiCounter.MAX_COUNTERS));
        };
        o.noneLeft();
        return c;
    }
}
