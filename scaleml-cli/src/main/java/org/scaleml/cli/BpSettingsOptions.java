package org.scaleml.cli;

import org.scaleml.bp.BpOptions;
import org.scaleml.bp.FactorGraph;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The settings of a belief-propagation run other than the engine, the same for every engine (a picocli mixin):
 * in {@code bp} and {@code denoise} through {@link BpRunOptions}, and in {@code bench bp}, which runs several
 * engines with the same settings.
 */
final class BpSettingsOptions {
    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads of the parallel engines (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--epsilon", paramLabel = "E", defaultValue = "1e-5",
            description = "convergence: largest message residual allowed (default: ${DEFAULT-VALUE})")
    double epsilon;

    @Option(names = "--max-updates", paramLabel = "U", defaultValue = "0",
            description = "cap on message updates; a run that reaches it reports converged: false (default: "
                    + "0 = 1000 updates per message edge, at least 10^6)")
    long maxUpdates;

    @Option(names = "--damping", paramLabel = "D", defaultValue = "0",
            description = "message damping in [0, 1) (default: 0)")
    double damping;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the relaxed schedulers (default: 42)")
    long seed;

    /**
     * The run options for {@code g} (the update cap depends on its size); called with an empty graph, it checks the
     * flags before anything is read.
     *
     * @throws ParameterException (exit 2) naming the flag whose value is out of range
     */
    BpOptions options(CommandSpec spec, FactorGraph g) {
        Flags.threads(spec, threads);
        if (maxUpdates < 0) {
            throw new ParameterException(spec.commandLine(), "--max-updates must be positive, or 0 for the "
                    + "default");
        }
        long cap = maxUpdates > 0 ? maxUpdates : Math.max(1_000_000L, 1000L * g.edges());
        try {
            return new BpOptions(epsilon, cap, damping, threads, seed);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }
}
