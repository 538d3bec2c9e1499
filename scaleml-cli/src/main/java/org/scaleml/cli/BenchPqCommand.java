package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.PqBench;
import org.scaleml.cli.report.PqReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code scaleml bench pq}: throughput and relaxation of concurrent priority queues, side by side. */
@Command(name = "pq",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Measures concurrent priority queues side by side: throughput and rank error.",
                "",
                "Throughput: T threads each alternate an insert and a delete-min on a prefilled queue (hold",
                "workload: a new priority is the thread's last deleted priority plus a uniform value in",
                "[1, 2^24]); median of R runs of S seconds, each on a fresh queue. Then rank error",
                "and delay, exactly, by replaying recorded runs of --quality-ops operations on fresh queues",
                "(one warm-up, then R runs; the run with the median mean rank error is reported).",
                "",
                "Queue specifications (SPEC): NAME or NAME:KEY=VALUE,... with NAME one of",
                "  heap (exact, locked d-ary heap; d)   skiplist (exact)   pbq (exact, PriorityBlockingQueue)",
                "  mq (MultiQueue; c, d, stick, ibuf, dbuf)   mq-tl (MultiQueue with stickiness and buffers; same)",
                "  smq (stealing MultiQueue; d, psteal, batch)",
                "e.g. mq:c=4,d=8 or smq:psteal=0.25,batch=16.",
                "",
        },
        footerHeading = "%nWith --json: one JSON object per line per queue, printed as each finishes. Keys:%n",
        footer = {
                "  impl            queue specification as given, e.g. \"mq\" or \"mq:c=4\"",
                "  name            the queue with its parameters, e.g. \"mq(c=2,d=4)\"",
                "  relaxed         true if the queue may return elements out of priority order",
                "  threads, seconds, repeats, prefill, seed   the settings used",
                "  opsPerSec       median throughput: inserts plus delete-min calls per second, all threads",
                "  opsPerSecRuns   throughput of every run, in run order",
                "  emptyDeletes    fraction of delete-min calls in the throughput runs that found nothing",
                "  qualityPrefill, qualityOps   size and length of the quality run",
                "  deletes         delete-mins measured in the reported quality run (0 if --quality-ops 0)",
                "  rankErrorMean   mean rank error: smaller priorities present when an element was removed",
                "                  (of the quality run with the median mean; rank and delay keys are that run's)",
                "  rankErrorMeanRuns   mean rank error of every quality run, in run order",
                "  rankErrorP50, rankErrorP99, rankErrorMax   median, 99th percentile and largest rank error",
                "  delayMean       mean delay: larger priorities removed while an element waited",
                "  delayP99, delayMax   99th percentile and largest delay",
                "Without --json, an aligned table with throughput ratios against pbq and skiplist.",
                "",
                "Example: scaleml bench pq --threads 2 --seconds 5 --json%n",
        })
final class BenchPqCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "5",
            description = "length of each throughput run in seconds, > 0 (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--impl", paramLabel = "SPEC",
            description = "queue to measure; repeat for several (default: heap, skiplist, pbq, mq, mq-tl, smq)")
    List<String> impls = new ArrayList<>();

    @Option(names = "--prefill", paramLabel = "N", defaultValue = "1000000",
            description = "elements in the queue before each throughput run (default: ${DEFAULT-VALUE})")
    long prefill;

    @Option(names = "--repeats", paramLabel = "R", defaultValue = "3",
            description = "throughput runs per queue; the median is reported (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--seed", defaultValue = "42", description = "base random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--quality-prefill", paramLabel = "N", defaultValue = "100000",
            description = "elements in the queue before the quality run (default: ${DEFAULT-VALUE})")
    long qualityPrefill;

    @Option(names = "--quality-ops", paramLabel = "N", defaultValue = "500000",
            description = "operations in the quality run; 0 skips it (default: ${DEFAULT-VALUE})")
    long qualityOps;

    @Option(names = "--json", description = "print one JSON object per line per queue (keys below)")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Flags.threads(spec, threads);
        Flags.seconds(spec, seconds);
        Flags.atLeast(spec, "--repeats", repeats, 1, 1000);
        Flags.atLeast(spec, "--prefill", prefill, 0, Flags.MAX_ELEMENTS);
        Flags.atLeast(spec, "--quality-prefill", qualityPrefill, 0, Flags.MAX_ELEMENTS);
        Flags.atLeast(spec, "--quality-ops", qualityOps, 0, Flags.MAX_ELEMENTS);
        List<String> specs = Flags.impls(spec, impls, threads, seed);
        PqBench.Settings settings = new PqBench.Settings(threads, seconds, repeats, prefill, seed,
                qualityPrefill, qualityOps);

        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "bench pq: %d thread(s), %d run(s) of %s s on %,d elements; "
                            + "quality: %,d operations on %,d elements%n",
                    threads, repeats, seconds, prefill, qualityOps, qualityPrefill);
            out.flush();
        }
        List<PqBench.Result> results = measure("bench pq", specs, settings, out, json);
        if (!json) {
            out.println();
            out.print(PqReport.table(results));
            out.flush();
        }
        return 0;
    }

    /**
     * Measures every queue specification in turn with a progress bar on a terminal; with {@code json}, prints
     * each result as one JSON line as soon as it is known.
     */
    static List<PqBench.Result> measure(String title, List<String> specs, PqBench.Settings settings,
                                        PrintWriter out, boolean json) throws InterruptedException {
        List<PqBench.Result> results = new ArrayList<>();
        try (TerminalProgress progress = TerminalProgress.open(title, (long) specs.size() * PqBench.steps(settings))) {
            for (String s : specs) {
                PqBench.Result r = PqBench.run(s, settings, progress);
                results.add(r);
                if (json) {
                    out.println(PqReport.jsonLine(r));
                    out.flush();
                }
            }
        }
        return results;
    }
}
