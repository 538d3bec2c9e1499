package org.scaleml.cli;

import java.time.Duration;
import java.util.Locale;

import org.scaleml.comm.transport.TcpConfig;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of commands that run ranks of a job: {@code --transport inproc|tcp}; for in-process ranks a simulated
 * link bandwidth; for TCP ranks the per-frame integrity check and the liveness timeout (every rank of a job must be
 * given the same integrity mode: the handshake refuses a mismatch). A picocli mixin shared by
 * {@code bench allreduce} and {@code train}.
 */
final class TransportOptions {
    @Option(names = "--transport", paramLabel = "T", defaultValue = "inproc",
            description = "inproc or tcp (default: ${DEFAULT-VALUE})")
    String transport;

    @Option(names = "--link-gbps", paramLabel = "G", defaultValue = "0",
            description = "inproc only: simulated bandwidth of each rank's link in Gbit/s, 0 for none (default: 0)")
    double linkGbps;

    @Option(names = "--integrity", paramLabel = "MODE",
            description = "tcp only: per-frame integrity check: mac (HMAC-SHA256 under per-session keys with frame "
                    + "counters: refuses forged, corrupted, replayed and reordered frames), crc32c (detects "
                    + "corruption only) or none (default: mac; see docs/SECURITY.md for what each costs)")
    String integrity;

    @Option(names = "--liveness-timeout", paramLabel = "SECONDS",
            description = "tcp only: a peer that sends nothing, not even a heartbeat, for this long is reported as "
                    + "failed on every rank (default: 10; heartbeats go out after a fifth of it)")
    Double livenessSeconds;

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
        if (!t.equals("tcp") && (integrity != null || livenessSeconds != null)) {
            throw new ParameterException(spec.commandLine(), (integrity != null ? "--integrity" : "--liveness-timeout")
                    + " applies to --transport tcp only");
        }
        tcpConfig(spec);
        return t;
    }

    /**
     * The TCP settings these options give: the defaults of {@link TcpConfig} with the integrity mode and liveness
     * timeout set on the command line.
     *
     * @throws ParameterException naming the option and what is accepted
     */
    TcpConfig tcpConfig(CommandSpec spec) {
        TcpConfig.Builder b = TcpConfig.builder();
        if (integrity != null) {
            try {
                b.integrity(TcpConfig.Integrity.valueOf(integrity.toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--integrity must be mac, crc32c or none, got '"
                        + integrity + "'");
            }
        }
        if (livenessSeconds != null) {
            double s = livenessSeconds;
            if (!(s >= 0.1 && s <= 86_400)) {
                throw new ParameterException(spec.commandLine(), "--liveness-timeout must be between 0.1 and 86400 "
                        + "seconds, got " + livenessSeconds);
            }
            b.livenessTimeout(Duration.ofNanos(Math.round(s * 1e9)));
        }
        return b.build();
    }

    /** The simulated bandwidth in bytes per second, 0 for unlimited. */
    double bytesPerSecond() {
        return linkGbps * 1e9 / 8;
    }
}
