package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.CounterBench;
import org.scaleml.cli.report.CounterReport;
import org.scaleml.concurrent.counter.ApproximateCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scaleml bench counter}: AtomicLong, LongAdder and the MultiCounter side by side. */
@Command(name = "counter",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures concurrent counters side by side, for each implementation and thread count:",
                "increments: T threads increment a fresh counter for S seconds;",
                "reads: one thread reads while T-1 threads increment, for S seconds (alone when T = 1);",
                "error: after each increment run, 10,000 reads against the exact sum, in quiescence.",
                "W warm-up rounds, then medians of R measured rounds.",
                "",
                "Specifications (SPEC): atomic (AtomicLong), adder (LongAdder),",
                "  multi or multi:m=M (MultiCounter of M counters; default 4 x threads).",
                "All implementations run in one JVM, so the JIT sees several at the same call sites; for",
                "figures free of that, measure one --impl per run or use the JMH CounterBenchmark.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per implementation and thread count. Keys:%n",
        footer = {
                "  impl            specification as given, e.g. \"multi\"",
                "  spec            canonical specification, e.g. \"multi:m=8\"",
                "  threads         threads used",
                "  incrementsPerSec   median increments per second, all threads",
                "  incrementsPerSecRuns   every measured run, in run order",
                "  readNanos       median wall time of one read while T-1 threads increment",
                "  relError        median mean |read - sum| / sum in quiescence after a run",
                "  count           increments in the last run (the count relError refers to)",
                "Without --json, an aligned table with ratios against atomic.",
                "",
                "Example: scaleml bench counter --threads 1,2 --seconds 1 --json%n",
        })
final class BenchCounterCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--impl", paramLabel = "SPEC",
            description = "counter to measure; repeat for several (default: atomic, adder, multi)")
    List<String> impls = new ArrayList<>();

    @Option(names = "--threads", paramLabel = "T[,T...]", split = ",", defaultValue = "1,2",
            description = "thread counts, each 1 to 1024 (default: ${DEFAULT-VALUE})")
    List<Integer> threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "1",
            description = "length of each timed run in seconds, > 0 (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmups", paramLabel = "W", defaultValue = "1",
            description = "unmeasured rounds before measuring (default: ${DEFAULT-VALUE})")
    int warmups;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "measured rounds; medians are reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--json", description = "print one JSON object per line (keys below)")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Flags.threads(spec, threads);
        Flags.seconds(spec, seconds);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--warmups", warmups, 0, 1000);
        List<String> specs = Flags.specs(spec, "--impl", impls, ApproximateCounters.names(),
                s -> ApproximateCounters.create(s, 1));
        CounterBench.Settings settings = new CounterBench.Settings(seconds, warmups, repeats);

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench counter: threads %s, median of %d round(s) of %s s%n", threads, repeats,
                    seconds);
            out.flush();
        }
        List<CounterBench.Result> results = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open("bench counter", (long) specs.size() * threads.size())) {
            for (int t : threads) {
                for (String s : specs) {
                    progress.phase(s + " x" + t, "measuring");
                    CounterBench.Result r = CounterBench.run(s, t, settings);
                    results.add(r);
                    progress.done();
                    if (json) {
                        out.println(CounterReport.jsonLine(r));
                        out.flush();
                    }
                }
            }
        }
        if (!json) {
            out.println();
            out.print(CounterReport.table(results));
            out.flush();
        }
        return 0;
    }
}
