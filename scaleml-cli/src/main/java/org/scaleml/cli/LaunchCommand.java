package org.scaleml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import org.scaleml.cli.launch.JobEnvironment;
import org.scaleml.cli.launch.Launcher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml launch -n N -- COMMAND}: N worker JVMs of one job on this machine. */
@Command(name = "launch",
        header = "Starts N worker JVMs on this machine as the ranks of one job.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Starts N worker JVMs on this machine, each running the scaleml COMMAND given after --, as the",
                "ranks 0..N-1 of one job: each worker finds its rank, the world size, every rank's address",
                "(free loopback ports chosen here) and a fresh random shared secret in its environment",
                "(" + JobEnvironment.RANK + ", " + JobEnvironment.WORLD + ", " + JobEnvironment.PEERS + ", "
                        + JobEnvironment.SECRET + "; a " + JobEnvironment.SECRET + " already set is passed on).",
                "Rank 0's standard output passes through unchanged (so --json output stays machine-readable);",
                "every other line, rank 0's standard error included, is prefixed with [rank], e.g. [0] or [3].",
                "When one worker fails, or on Ctrl-C, all of them are stopped; the exit code is the first",
                "non-zero worker exit code, else 0. If this process is killed outright (kill -9), every worker",
                "sees its standard input (a pipe from this process) end and exits within moments.",
                "",
        },
        footer = {"", "Example: scaleml launch -n 4 -- bench allreduce --transport tcp --size 16M --json"})
final class LaunchCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = {"-n", "--workers"}, paramLabel = "N", required = true,
            description = "number of worker JVMs, 1 to 64")
    int workers;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "address the workers listen on (default: ${DEFAULT-VALUE}, loopback only)")
    String host;

    @Option(names = "--hosts", paramLabel = "ADDRESSES", split = ",",
            description = "one listening address per worker, in rank order (instead of --host)")
    List<String> hosts = new ArrayList<>();

    @Option(names = "--netns", paramLabel = "PREFIX",
            description = "run worker r in the network namespace PREFIX<r> (root; see scripts/netns-job.sh, which "
                    + "creates them with rate-limited links and passes --hosts and --netns)")
    String netns;

    @Parameters(paramLabel = "COMMAND", arity = "1..*",
            description = "the scaleml command and its options each worker runs (after --)")
    List<String> command = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Flags.atLeast(spec, "--workers", workers, 1, 64);
        if (!command.isEmpty() && command.get(0).equals("launch")) {
            throw new ParameterException(spec.commandLine(), "a launched command cannot be launch itself");
        }
        List<String> addresses = hosts.isEmpty() ? java.util.Collections.nCopies(workers, host) : hosts;
        if (addresses.size() != workers) {
            throw new ParameterException(spec.commandLine(), "--hosts lists " + addresses.size()
                    + " addresses for " + workers + " workers");
        }
        return new Launcher(workers, addresses, netns, command, Map.of()).run(System.out, System.err);
    }
}
