package org.scaleml.cli;

import java.util.concurrent.Callable;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench}: a container for the benchmarks. */
@Command(name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        description = "Benchmarks of ScaleML against exact baselines (see 'scaleml bench pq --help', 'scaleml bench "
                + "graph --help', 'scaleml bench bp --help', 'scaleml bench codec --help', 'scaleml bench uf --help', "
                + "'scaleml bench map --help', 'scaleml bench counter --help', 'scaleml bench stm --help', 'scaleml "
                + "bench dme --help' and 'scaleml bench incremental --help').",
        subcommands = {BenchPqCommand.class, BenchGraphCommand.class, BenchBpCommand.class, BenchCodecCommand.class,
                BenchAllreduceCommand.class, BenchUfCommand.class, BenchMapCommand.class, BenchCounterCommand.class,
                BenchStmCommand.class, BenchDmeCommand.class, BenchIncrementalCommand.class})
final class BenchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "missing benchmark; choose one of: "
                + String.join(", ", spec.subcommands().keySet()));
    }
}
