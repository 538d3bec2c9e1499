package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.CodecBench;
import org.scaleml.cli.report.CodecReport;
import org.scaleml.comm.codec.Codecs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench codec}: throughput, wire size and error of gradient codecs on one core. */
@Command(name = "codec",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures gradient codecs on one core: encode, decode and decode-accumulate throughput (GB/s of",
                "fp32 input), bits per element on the wire against the codec's formula, and the relative",
                "error ||decode(encode(v)) - v|| / ||v||, on a Gaussian vector of --size floats (fixed seed).",
                "Per codec: --warmups untimed rounds, then --repeats timed rounds; medians are reported.",
                "",
                "Codec specifications: NAME or NAME:KEY=VALUE,...; ef:SPEC adds error feedback. 'all' runs",
                "every codec with its example parameters. Codecs:",
        },
        footerHeading = "%nWith --json: one JSON object per line per codec, printed as each finishes. Keys:%n",
        footer = {
                "  codec           canonical specification (every parameter)",
                "  elements        input length",
                "  bytes           payload size, header included",
                "  bitsPerElement  8 * bytes / elements, measured",
                "  formulaBitsPerElement   the codec's wire-size formula (null where not defined)",
                "  encodeGBps, decodeGBps, decodeAddGBps   median throughput, GB/s of fp32 input (4 bytes per",
                "                  element per call)",
                "  relError        relative L2 error of the decoded vector",
                "  encodeMillis, decodeMillis   median times",
                "  kernels         plain or vector: the inner loops in use (vector with SCALEML_SIMD=1 on JDK 21+)",
                "Without --json, an aligned table with the compression ratio against fp32.",
                "",
                "Example: scaleml bench codec --codec qsgd:bits=4,bucket=512 --size 16M --json%n",
        })
final class BenchCodecCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--codec", paramLabel = "SPEC", split = BenchGraphCommand.SCHEDULER_LIST_SPLIT,
            splitSynopsisLabel = ",",
            description = "codecs to measure, comma-separated (their own parameters keep their commas), or 'all' "
                    + "(default: all)")
    List<String> codecs = new ArrayList<>();

    @Option(names = "--size", paramLabel = "N", defaultValue = "16M",
            description = "elements of the input vector; K, M, G suffixes are powers of 1024 (default: "
                    + "${DEFAULT-VALUE})")
    String size;

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "2",
            description = "untimed rounds per codec (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5",
            description = "timed rounds per codec (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--seed", defaultValue = "42", description = "seed of the input and the codecs (default: "
            + "${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print one JSON object per line per codec (keys below)")
    boolean json;

    @Override
    public Integer call() {
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        long n = Flags.count(spec, "--size", size, 1, 1L << 28);
        List<String> specs = new ArrayList<>();
        for (String c : codecs.isEmpty() ? List.of("all") : codecs) {
            if (c.strip().equalsIgnoreCase("all")) {
                specs.addAll(CodecBench.all());
            } else {
                specs.add(c.strip());
            }
        }
        for (String s : specs) {
            try {
                Codecs.create(s, seed); // fail before anything runs
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--codec: " + e.getMessage());
            }
        }
        CodecBench.Settings settings = new CodecBench.Settings(specs, (int) n, warmups, repeats, seed);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench codec: %,d Gaussian floats (%.1f MB), one core, median of %d round(s)%n",
                    n, 4.0 * n / 1e6, repeats);
            out.flush();
        }
        List<CodecBench.Result> results;
        try (TerminalProgress progress = TerminalProgress.open("bench codec",
                (long) specs.size() * (warmups + repeats))) {
            results = CodecBench.run(settings, progress, r -> {
                if (json) {
                    out.println(CodecReport.jsonLine(r));
                    out.flush();
                }
            });
        }
        if (!json) {
            out.println();
            out.print(CodecReport.table(results));
            out.flush();
        }
        return 0;
    }

    /** Appends one line per registered codec to the command's description (the registry is the truth). */
    static void listCodecsInHelp(picocli.CommandLine cmd) {
        List<String> lines = new ArrayList<>(List.of(cmd.getCommandSpec().usageMessage().description()));
        for (Codecs.Entry e : Codecs.entries()) {
            String line = String.format(Locale.ROOT, "  %-10s %s (e.g. %s)", e.name(), e.help(), e.example());
            lines.add(line.replace("%", "%%")); // picocli formats description lines
        }
        lines.add("");
        cmd.getCommandSpec().usageMessage().description(lines.toArray(new String[0]));
    }
}
