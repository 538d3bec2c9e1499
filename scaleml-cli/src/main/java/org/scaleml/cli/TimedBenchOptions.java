package org.scaleml.cli;

import java.util.List;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The options of the timed benchmarks that sweep thread counts ({@code bench counter}, {@code bench stm}):
 * {@code --threads T,T,...}, {@code --seconds}, {@code --warmups}, {@code --repeats} and {@code --json}.
 */
final class TimedBenchOptions {
    @Option(names = "--threads", paramLabel = "T[,T...]", split = ",", defaultValue = "1,2",
            description = "thread counts, each 1 to 1024 (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "length of each timed run in seconds, > 0 (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "1",
            description = "unmeasured runs before the measured ones (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "measured runs; medians are reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print one JSON object per line (keys below)")
    boolean json;

    /** Checks every value, failing with a one-line usage error. */
    void check(CommandSpec spec) {
        Flags.threads(spec, threads);
        Flags.seconds(spec, seconds);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
    }
}
