package org.scaleml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.CounterBench;
import org.scaleml.cli.report.CounterReport;
import org.scaleml.concurrent.counter.ApproximateCounters;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
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

    @Mixin
    TimedBenchOptions timing = new TimedBenchOptions();

    @Override
    public Integer call() throws InterruptedException {
        timing.check(spec);
        List<String> specs = Flags.specs(spec, "--impl", impls, ApproximateCounters.names(),
                s -> ApproximateCounters.create(s, 1));
        CounterBench.Settings settings = new CounterBench.Settings(timing.seconds, timing.warmups,
                timing.repeats);

        BenchJobs<CounterBench.Result> jobs = new BenchJobs<>();
        for (int t : timing.threads) {
            for (String s : specs) {
                jobs.add(s + " x" + t, () -> CounterBench.run(s, t, settings));
            }
        }
        String header = String.format(Locale.ROOT, "bench counter: threads %s, median of %d round(s) of %s s",
                timing.threads, timing.repeats, timing.seconds);
        jobs.run("bench counter", header, CounterReport::jsonLine, CounterReport::table, spec.commandLine().getOut(),
                timing.json);
        return 0;
    }
}
