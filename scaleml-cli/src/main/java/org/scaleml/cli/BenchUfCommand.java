package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.UfBench;
import org.scaleml.cli.report.UfReport;
import org.scaleml.concurrent.uf.UnionFinds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench uf}: union-find variants side by side on random unions or a graph's edges. */
@Command(name = "uf",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures concurrent union-find variants side by side: T threads union the edges of a workload",
                "(contiguous blocks, one per thread) on a fresh structure; W warm-up passes, then the median of",
                "R measured passes. uf-seq is not thread-safe and always runs on 1 thread.",
                "",
                "Specifications (SPEC): NAME or NAME:KEY=VALUE,... with NAME one of",
                "  uf (lock-free; link=index|rank, compact=none|splitting|halving|compression,",
                "      write=cas|plain, early=true|false, immediate=true|false)",
                "  uf-seq (sequential reference)   uf-lock (locked; stripes=K)",
                "e.g. uf:link=rank,compact=splitting or uf-lock:stripes=64.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per variant, printed as each finishes. Keys:%n",
        footer = {
                "  impl            specification as given, e.g. \"uf:link=rank\"",
                "  workload        the --workload as given",
                "  threads         threads used (1 for uf-seq)",
                "  opsPerSec       median unions per second, all threads",
                "  opsPerSecRuns   unions per second of every measured pass, in run order",
                "  elements, edges   size of the workload",
                "  merges          unions that merged two sets",
                "Without --json, an aligned table with ratios against uf-seq.",
                "",
                "Example: scaleml bench uf --workload graph:../shared/data/road/USA-road-d.NY.gr.gz --json%n",
        })
final class BenchUfCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--impl", paramLabel = "SPEC",
            description = "variant to measure; repeat for several (default: uf-seq, uf-lock, and every linking and "
                    + "compaction of uf)")
    List<String> impls = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--workload", paramLabel = "W", defaultValue = "random:1000000",
            description = "random:N (N elements, N uniform pairs; K/M suffixes allowed) or graph:FILE (the edges of "
                    + "a graph file in any format 'scaleml bfs' reads) (default: ${DEFAULT-VALUE})")
    String workload;

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "3",
            description = "unmeasured passes per variant before measuring (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "5",
            description = "measured passes per variant; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print one JSON object per line per variant (keys below)")
    boolean json;

    @Override
    public Integer call() throws IOException, InterruptedException {
        Flags.threads(spec, threads);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        List<String> specs = checkedSpecs();
        UfBench.Workload w = workload();

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench uf: %s (%,d elements, %,d unions), %d thread(s), median of %d pass(es)%n",
                    w.label(), w.elements(), w.edges(), threads, repeats);
            out.flush();
        }
        List<UfBench.Result> results = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open("bench uf", specs.size())) {
            for (String s : specs) {
                progress.phase(s, "measuring");
                UfBench.Result r = UfBench.run(s, w, threads, warmups, repeats);
                results.add(r);
                progress.done();
                if (json) {
                    out.println(UfReport.jsonLine(r));
                    out.flush();
                }
            }
        }
        if (!json) {
            out.println();
            out.print(UfReport.table(results));
            out.flush();
        }
        return 0;
    }

    /** Builds every specification once on a tiny structure, so that a typo fails before any measurement. */
    private List<String> checkedSpecs() {
        List<String> given = impls.isEmpty() ? UnionFinds.variants() : impls;
        List<String> out = new ArrayList<>();
        for (String s : given) {
            String trimmed = s == null ? "" : s.trim();
            try {
                UnionFinds.create(trimmed, 1, UfBench.SEED);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--impl: " + ScaleMl.oneLine(e.getMessage()));
            }
            out.add(trimmed);
        }
        return out;
    }

    private UfBench.Workload workload() throws IOException {
        String wl = workload.trim();
        if (wl.startsWith("random:")) {
            long n = Flags.count(spec, "--workload random:N", wl.substring("random:".length()), 1,
                    LIMIT_RANDOM_ELEMENTS);
            return UfBench.Workload.random(wl, (int) n);
        }
        if (wl.startsWith("graph:") && wl.length() > "graph:".length()) {
            Path file = Path.of(wl.substring("graph:".length()));
            Flags.inputFile(spec, "--workload graph:FILE", file, "graph file");
            return UfBench.Workload.graph(wl, file);
        }
        throw new ParameterException(spec.commandLine(),
                "--workload must be random:N or graph:FILE, got '" + workload + "'");
    }

    /** Most elements of a random workload: 3 int arrays of N plus the pairs stay far below a 1 GiB heap. */
    private static final long LIMIT_RANDOM_ELEMENTS = 50_000_000L;
}
