package org.scaleml.cli;

import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.sched.Scheduler;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Options every graph algorithm command takes (a picocli mixin). */
final class GraphOptions {
    @Mixin
    GraphFileOptions file;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--scheduler", paramLabel = "NAME", defaultValue = "mq",
            description = "exact, heap, skiplist, pbq, mq, mq-tl, smq, obim, or a queue specification such as "
                    + "mq:c=4 or obim:delta=8; a plain obim uses delta=0 for bfs and delta=62 for mis and "
                    + "matching (default: ${DEFAULT-VALUE})")
    String scheduler;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of the scheduler's random choices and of the greedy order of mis and matching "
                    + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--verify",
            description = "also run the sequential reference and compare the results exactly (adds 'verified')")
    boolean verify;

    @Option(names = "--json", description = "print one JSON object on one line (keys below)")
    boolean json;

    /**
     * Checks --threads and builds the scheduler for {@code algo} (which validates the name) before any file is
     * read; see {@link GraphAlgo#schedulerSpec} for the algorithm-specific default of a plain {@code obim}.
     */
    Scheduler scheduler(CommandSpec spec, GraphAlgo algo) {
        Flags.threads(spec, threads);
        return GraphOptions.scheduler(spec, "--scheduler", algo.schedulerSpec(scheduler), threads, seed);
    }

    /**
     * Builds a scheduler, failing with a {@link ParameterException} (exit 2) that names the flag and lists the
     * known schedulers.
     */
    static Scheduler scheduler(CommandSpec spec, String flag, String name, int threads, long seed) {
        try {
            return new Scheduler(name, threads, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + ScaleMl.oneLine(e.getMessage()));
        }
    }
}
