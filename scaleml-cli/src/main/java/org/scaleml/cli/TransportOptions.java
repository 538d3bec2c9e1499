package org.scaleml.cli;

import java.util.Locale;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of commands that run ranks of a job: {@code --transport inproc|tcp} and, for in-process ranks, a
 * simulated link bandwidth. A picocli mixin shared by {@code bench allreduce} and {@code train}.
 */
final class TransportOptions {
    @Option(names = "--transport", paramLabel = "T", defaultValue = "inproc",
            description = "inproc or tcp (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--link-gbps", paramLabel = "G", defaultValue = "0",
            description = "inproc only: simulated bandwidth of each rank's link in Gbit/s, 0 for none (default: 0)")
    double linkGbps;

    /**
     * The transport name in lower case, after checking both options.
     *
     * @throws ParameterException naming the option and what is accepted
     */
    String validated(CommandSpec spec) {
        String t = transport.toLowerCase(Locale.ROOT);
        if (!t.equals("inproc") && !t.equals("tcp")) {
            throw new ParameterException(spec.commandLine(), "--transport must be inproc or tcp, got '" + transport
                    + "'");
        }
        if (linkGbps < 0 || (linkGbps > 0 && t.equals("tcp"))) {
            throw new ParameterException(spec.commandLine(), "--link-gbps is a non-negative simulated bandwidth "
                    + "for --transport inproc (for a real limited link use scripts/netns-job.sh)");
        }
        return t;
    }

    /** The simulated bandwidth in bytes per second, 0 for unlimited. */
    double bytesPerSecond() {
        return linkGbps * 1e9 / 8;
    }
}
