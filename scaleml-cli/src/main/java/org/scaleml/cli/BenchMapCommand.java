package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.MapBench;
import org.scaleml.cli.report.MapReport;
import org.scaleml.concurrent.map.LongMaps;
import org.scaleml.concurrent.map.MapWorkload;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench map}: concurrent ordered maps side by side on uniform and Zipf keys. */
@Command(name = "map",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures concurrent ordered maps (long keys and values) side by side. For each map, key count and",
                "distribution, one map is prefilled with K keys (a random half of the key universe [0, 2K)); its",
                "heap growth per key is its memory. Then each mix runs at each thread count: W warm-up runs and R",
                "measured runs of S seconds, every thread applying its own precomputed stream of operations",
                "(the workload of the JMH OrderedMapBenchmark); the median throughput is reported.",
                "",
                "Maps (SPEC): NAME or NAME:KEY=VALUE,... with NAME one of",
                "  cist (lock-free interpolation search tree; leaf=L, rebuild=F)",
                "  splay (splay-list; sample=S, levels=H)   skiplist (ConcurrentSkipListMap<Long,Long>)",
                "  locked-tree (AVL tree under a StampedLock; optimistic=true|false)",
                "  tree-seq (the same tree, no lock: 1 thread only)",
                "Distributions: uniform, zipf:S (e.g. zipf:0.99). Mixes: G-P-R, percent get-put-remove.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per run, printed as each finishes. Keys:%n",
        footer = {
                "  impl            map specification as given, e.g. \"cist\" or \"splay:sample=4\"",
                "  dist            key distribution, e.g. \"uniform\" or \"zipf:0.99\"",
                "  mix             get-put-remove percentages, e.g. \"90-5-5\"",
                "  keys            keys prefilled (the key universe holds twice as many)",
                "  threads         threads used",
                "  opsPerSec       median operations per second, all threads",
                "  bytesPerKey     heap growth of creating and prefilling the map, per key (after GC)",
                "  opsPerSecRuns   operations per second of every measured run, in run order",
                "  seconds         the length of each run",
                "  size            the map's size after the runs",
                "Without --json, an aligned table with throughput ratios against skiplist.",
                "",
                "Example: scaleml bench map --impl cist,splay,skiplist --keys 1M --threads 2 --json%n",
        })
final class BenchMapCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--impl", paramLabel = "LIST",
            description = "maps to measure, comma-separated or repeated (a SPEC's own options stay with it: "
                    + "cist:leaf=8,rebuild=1,splay is two maps) (default: every thread-safe map: cist, splay, "
                    + "skiplist, locked-tree)")
    List<String> impls = new ArrayList<>();

    @Option(names = "--dist", paramLabel = "LIST", split = ",", defaultValue = "uniform,zipf:0.99",
            description = "key distributions (default: ${DEFAULT-VALUE})")
    List<String> dists;

    @Option(names = "--mix", paramLabel = "LIST", split = ",", defaultValue = "90-5-5,50-25-25",
            description = "operation mixes, G-P-R percentages of get, put and remove (default: ${DEFAULT-VALUE})")
    List<String> mixes;

    @Option(names = "--keys", paramLabel = "LIST", split = ",", defaultValue = "1M,10M",
            description = "keys to prefill, K/M suffixes allowed (powers of 1024) (default: ${DEFAULT-VALUE})")
    List<String> keys;

    @Option(names = "--threads", paramLabel = "LIST", split = ",", defaultValue = "1,2",
            description = "thread counts, 1 to 1024 (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2",
            description = "length of each run in seconds, > 0 (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "1",
            description = "unmeasured runs before measuring each configuration (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "measured runs per configuration; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print one JSON object per line per run (keys below)")
    boolean json;

    /** Most keys per map: the largest maps need a few GiB of heap (SCALEML_JAVA_OPTS=-Xmx...). */
    static final long MAX_KEYS = 100_000_000L;

    @Override
    public Integer call() throws InterruptedException {
        Flags.seconds(spec, seconds);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        for (int t : threads) {
            Flags.threads(spec, t);
        }
        List<Long> keyCounts = new ArrayList<>();
        for (String k : keys) {
            keyCounts.add(Flags.count(spec, "--keys", k, 1, MAX_KEYS));
        }
        List<String> checkedDists = new ArrayList<>();
        List<String> checkedMixes = new ArrayList<>();
        for (String d : dists) {
            checkedDists.add(workload(d, "90-5-5", "--dist").dist());
        }
        for (String m : mixes) {
            checkedMixes.add(workload("uniform", m, "--mix").mix());
        }
        List<String> specs = checkedImpls();
        MapBench.Settings settings = new MapBench.Settings(checkedDists, checkedMixes, keyCounts,
                List.copyOf(new LinkedHashSet<>(threads)), seconds, warmups, repeats);

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench map: %s; dist %s; mix %s; keys %s; threads %s; median of %d run(s) "
                            + "of %s s%n", String.join(", ", specs), String.join(", ", checkedDists),
                    String.join(", ", checkedMixes), String.join(", ", keys), settings.threads(), repeats, seconds);
            out.flush();
        }
        List<MapBench.Result> results = new ArrayList<>();
        long steps = specs.stream().mapToLong(settings::runsPer).sum();
        try (TerminalProgress progress = TerminalProgress.open("bench map", steps)) {
            for (String s : specs) {
                MapBench.run(s, settings, progress, r -> {
                    results.add(r);
                    if (json) {
                        out.println(MapReport.jsonLine(r, seconds));
                        out.flush();
                    }
                });
            }
        }
        if (!json) {
            out.println();
            out.print(MapReport.table(results));
            out.flush();
        }
        return 0;
    }

    private MapWorkload workload(String dist, String mix, String flag) {
        try {
            return MapWorkload.of(dist, mix, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), flag + ": " + ScaleMl.oneLine(e.getMessage()));
        }
    }

    /** Splits and builds every map specification once, so that a typo fails before any measurement. */
    private List<String> checkedImpls() {
        List<String> given = new ArrayList<>();
        for (String item : impls) {
            given.addAll(splitSpecs(item));
        }
        if (given.isEmpty()) {
            given = LongMaps.threadSafeVariants();
        }
        List<String> out = new ArrayList<>();
        for (String s : given) {
            try {
                LongMaps.create(s);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--impl: " + ScaleMl.oneLine(e.getMessage()));
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Splits a comma-separated list of specifications, keeping each specification's own {@code key=value}
     * options with it: an item with '=' and no ':' continues the previous specification.
     */
    static List<String> splitSpecs(String list) {
        List<String> specs = new ArrayList<>();
        for (String item : (list == null ? "" : list).split(",", -1)) {
            String t = item.trim();
            if (!specs.isEmpty() && t.contains("=") && !t.contains(":")) {
                specs.set(specs.size() - 1, specs.get(specs.size() - 1) + "," + t);
            } else {
                specs.add(t);
            }
        }
        return specs;
    }
}
