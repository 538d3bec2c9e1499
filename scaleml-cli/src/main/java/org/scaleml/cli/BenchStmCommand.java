package org.scaleml.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.StmBench;
import org.scaleml.cli.report.StmReport;
import org.scaleml.concurrent.stm.VersionClocks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml bench stm}: the TL2 STM with each version clock, on contended workloads. */
@Command(name = "stm",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures the TL2 software transactional memory with each global version clock: committed",
                "transactions per second and abort rate. For every workload, thread count and clock, T threads",
                "run transactions on fresh cells for S seconds; W warm-up runs, then medians of R runs.",
                "",
                "Workloads (WORKLOAD):",
                "  bank       transfers between two random accounts of --accounts (2 reads, 2 writes)",
                "  sortedset  lookups in a transactional sorted linked list over --keys keys, half present,",
                "             with --updates percent insertions and removals (long read sets)",
                "  clock      the clock alone: read version + write version per iteration, no cells; its",
                "             nanosPerTx is the cost of one transaction's clock work under contention",
                "",
                "Clocks (SPEC): gv1 (TL2 global counter), gv4 (pass on failure), mc or mc:m=M (relaxed",
                "timestamps paced by a MultiCounter of M counters; default 4 x threads).",
                "All clocks run in one JVM, so the JIT sees several at the same call sites; for figures free",
                "of that, measure one --clock per run or use the JMH StmBenchmark.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per workload, thread count and clock. Keys:%n",
        footer = {
                "  clock           clock specification as given, e.g. \"mc\"",
                "  clockSpec       canonical clock specification, e.g. \"mc:m=8\"",
                "  workload        bank, sortedset or clock",
                "  threads         threads used",
                "  txPerSec        median committed transactions (clock: iterations) per second, all threads",
                "  txPerSecRuns    every measured run, in run order",
                "  abortRate       median aborted attempts per attempt (0 for clock)",
                "  extensionsPerTx median snapshot extensions per committed transaction",
                "  nanosPerTx      threads * 1e9 / txPerSec: wall time of one transaction on one thread",
                "Without --json, an aligned table with ratios against gv1.",
                "",
                "Example: scaleml bench stm --threads 1,2 --seconds 1 --json%n",
        })
final class BenchStmCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--clock", paramLabel = "SPEC",
            description = "clock to measure; repeat for several (default: gv1, gv4, mc)")
    List<String> clocks = new ArrayList<>();

    @Option(names = "--workload", paramLabel = "WORKLOAD[,...]", split = ",", defaultValue = "bank,sortedset,clock",
            description = "workloads (default: ${DEFAULT-VALUE})")
    List<String> workloads;

    @Mixin
    TimedBenchOptions timing = new TimedBenchOptions();

    @Option(names = "--accounts", paramLabel = "N", defaultValue = "64",
            description = "accounts of the bank workload, 2 to 1000000 (default: ${DEFAULT-VALUE})")
    int accounts;

    @Option(names = "--keys", paramLabel = "N", defaultValue = "256",
            description = "key universe of the sortedset workload, 2 to 1000000 (default: ${DEFAULT-VALUE})")
    int keys;

    @Option(names = "--updates", paramLabel = "P", defaultValue = "20",
            description = "percent of sortedset transactions that insert or remove, 0 to 100 "
                    + "(default: ${DEFAULT-VALUE})")
    int updates;

    @Option(names = "--no-extend",
            description = "abort on a read newer than the snapshot (TL2's rule) instead of extending the snapshot")
    boolean noExtend;

    @Override
    public Integer call() throws InterruptedException {
        timing.check(spec);
        Flags.atLeast(spec, "--accounts", accounts, 2, 1_000_000);
        Flags.atLeast(spec, "--keys", keys, 2, 1_000_000);
        Flags.atLeast(spec, "--updates", updates, 0, 100);
        List<String> wls = new ArrayList<>();
        for (String w : workloads) {
            String name = w.trim().toLowerCase(Locale.ROOT);
            if (!StmBench.workloads().contains(name)) {
                throw new ParameterException(spec.commandLine(), "--workload must be one or more of "
                        + String.join(", ", StmBench.workloads()) + ", got '" + w + "'");
            }
            wls.add(name);
        }
        List<String> specs = Flags.specs(spec, "--clock", clocks, VersionClocks.names(),
                s -> VersionClocks.create(s, 1));
        StmBench.Settings settings = new StmBench.Settings(timing.seconds, timing.warmups, timing.repeats, accounts,
                keys, updates, !noExtend);

        BenchJobs<StmBench.Result> jobs = new BenchJobs<>();
        for (String w : wls) {
            for (int t : timing.threads) {
                for (String c : specs) {
                    jobs.add(c + " " + w + " x" + t, () -> StmBench.run(c, w, t, settings));
                }
            }
        }
        String header = String.format(Locale.ROOT, "bench stm: threads %s, median of %d run(s) of %s s, %s snapshots",
                timing.threads, timing.repeats, timing.seconds, noExtend ? "aborting (TL2)" : "extending");
        jobs.run("bench stm", header, StmReport::jsonLine, StmReport::table, spec.commandLine().getOut(),
                timing.json);
        return 0;
    }
}
