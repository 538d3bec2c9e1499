package org.scaleml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.DmeBench;
import org.scaleml.cli.report.DmeReport;
import org.scaleml.comm.codec.Codecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench dme}: distributed mean estimation with lattice codecs against QSGD. */
@Command(name = "dme",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures distributed mean estimation: the error of every rank's estimate of the mean against the exact mean.",
                "--world ranks (threads of this JVM, in-process transport) hold vectors x_r = offset + spread * z_r,",
                "z_r standard Gaussian per coordinate (or --noise uniform: same variance; spiky: Gaussian plus",
                "30 on one coordinate in 1000). Each rank sends its encoded vector to rank 0, which decodes it",
                "(lattice codecs: relative to its own vector), averages, encodes the mean once, and every rank",
                "decodes it (lattice: relative to its own vector). A lattice payload that fails its check is resent",
                "with the step doubled (counted in retries and bytes). Any codec runs through the same path.",
                "Lattice ranges are absolute: range=8 suits --spread 1 (rank differences stay below 8).",
                "Medians of --repeats rounds.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per codec. Keys:%n",
        footer = {
                "  codec           canonical codec specification",
                "  world, elements, offset, spread, noise   the input",
                "  bitsPerElement  8 * bytesSent / (2 (world-1) elements): bits of each vector moved, all included",
                "  meanError       root-mean-square per-coordinate error of the estimates against the exact mean,",
                "                  over all ranks' estimates (median of the rounds); meanErrorRuns: every round",
                "  bytesSent       bytes all ranks sent in one round (median)",
                "  retries         payloads resent with a doubled step in one round (median)",
                "  millis          median round time, slowest rank",
                "Without --json, a table with each codec's error against the first qsgd codec given.",
                "",
                "Example: scaleml bench dme --world 4 --size 1M --offset 100 --spread 1 --codec lattice:bits=4,range=8 "
                        + "--codec qsgd:bits=4 --json%n",
        })
final class BenchDmeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--world", paramLabel = "W", defaultValue = "4",
            description = "number of ranks, 2 to 64 (default: ${DEFAULT-VALUE})")
    int world;

    @Option(names = "--size", paramLabel = "N", defaultValue = "1M",
            description = "elements per vector; K, M suffixes are powers of 1024 (default: ${DEFAULT-VALUE})")
    String size;

    @Option(names = "--offset", paramLabel = "X", defaultValue = "100",
            description = "common offset of every coordinate (default: ${DEFAULT-VALUE})")
    double offset;

    @Option(names = "--spread", paramLabel = "S", defaultValue = "1",
            description = "standard deviation of each rank's deviation from the offset, > 0 (default: "
                    + "${DEFAULT-VALUE})")
    double spread;

    @Option(names = "--noise", paramLabel = "KIND", defaultValue = "gaussian",
            description = "gaussian, uniform or spiky (default: ${DEFAULT-VALUE})")
    String noise;

    @Option(names = "--codec", paramLabel = "SPEC",
            description = "codec specification; repeat for several (default: lattice:bits=4,range=8, "
                    + "lattice:bits=4,range=8,basis=hadamard and qsgd:bits=4)")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "rounds; medians are reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the inputs and codecs (default: 42)")
    long seed;

    @Option(names = "--json", description = "print one JSON object per line (keys below)")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Flags.atLeast(spec, "--world", world, 2, 64);
        long n = Flags.count(spec, "--size", size, 1, 1L << 26);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.finite(spec, "--offset", offset, -1e30, 1e30);
        Flags.finite(spec, "--spread", spread, Double.MIN_NORMAL, 1e30);
        DmeBench.Noise kind;
        try {
            kind = DmeBench.Noise.valueOf(noise.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--noise must be gaussian, uniform or spiky, got '"
                    + noise + "'");
        }
        List<String> specs = Flags.specs(spec, "--codec", codecs, List.of("lattice:bits=4,range=8",
                "lattice:bits=4,range=8,basis=hadamard", "qsgd:bits=4"), s -> Codecs.create(s, seed));
        DmeBench.Settings settings = new DmeBench.Settings(world, (int) n, offset, spread, kind, repeats, seed);
        BenchJobs<DmeBench.Result> jobs = new BenchJobs<>();
        for (String s : specs) {
            jobs.add(s, () -> DmeBench.run(s, settings));
        }
        String header = String.format(Locale.ROOT, "bench dme: %d ranks, %,d elements, offset %s, spread %s, %s "
                + "noise, median of %d round(s)", world, n, offset, spread, kind.name().toLowerCase(Locale.ROOT),
                repeats);
        jobs.run("bench dme", header, DmeReport::jsonLine, DmeReport::table, spec.commandLine().getOut(), json);
        return 0;
    }
}
