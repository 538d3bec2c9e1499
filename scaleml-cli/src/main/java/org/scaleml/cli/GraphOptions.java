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

    @Option(names = "--method", paramLabel = "NAME",
            description = "how to compute the result (the methods are listed above): a parallel method, 'scheduler' "
                    + "(the relaxed scheduler of --scheduler, with its wasted work reported) or 'sequential' (the "
                    + "reference, one thread). Default: the algorithm's fastest verified method, or 'scheduler' "
                    + "when --scheduler is given")
    String method;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--scheduler", paramLabel = "NAME", defaultValue = "mq",
            description = "exact, heap, skiplist, pbq, mq, mq-tl, smq, obim, or a queue specification such as "
                    + "mq:c=4 or obim:delta=8; a plain obim uses delta=0 for bfs and delta=62 for mis and "
                    + "matching; used by --method scheduler (default: ${DEFAULT-VALUE})")
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
     * The method to run: --method if given (checked against the algorithm's methods), else {@code scheduler} when
     * --scheduler was given (as before methods existed), else the algorithm's default method.
     *
     * @throws ParameterException for an unknown method, or --scheduler with a method that does not use it
     */
    String method(CommandSpec spec, GraphAlgo algo) {
        boolean schedulerGiven = spec.commandLine().getParseResult().hasMatchedOption("--scheduler");
        if (method == null) {
            return schedulerGiven ? GraphAlgo.SCHEDULER : algo.defaultMethod();
        }
        String m;
        try {
            m = algo.method(method);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--method: " + e.getMessage());
        }
        if (schedulerGiven && !m.equals(GraphAlgo.SCHEDULER)) {
            throw new ParameterException(spec.commandLine(), "--scheduler is only used by --method scheduler, not by "
                    + "--method " + m);
        }
        return m;
    }

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
