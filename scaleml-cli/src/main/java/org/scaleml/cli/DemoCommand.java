package org.scaleml.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.scaleml.cli.bench.GraphBench;
import org.scaleml.cli.bench.PqBench;
import org.scaleml.cli.graph.GraphAlgo;
import org.scaleml.cli.report.BpReport;
import org.scaleml.cli.report.GraphReport;
import org.scaleml.cli.report.Json;
import org.scaleml.cli.report.PqReport;
import org.scaleml.graph.CsrGraph;
import org.scaleml.graph.GraphGenerators;
import org.scaleml.concurrent.pq.PriorityQueues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code scaleml demo}: a short side-by-side run of the exact and relaxed priority queues (throughput and rank
 * error), with a paragraph explaining what the numbers mean, then a short SSSP run of the relaxed schedulers
 * against sequential Dijkstra on a generated grid. Under a minute on two cores.
 */
@Command(name = "demo",
        header = "A short tour: exact against relaxed queues, shortest paths, belief propagation, training.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Compares exact and relaxed concurrent priority queues, then relaxed schedulers on a graph, in",
                "under a minute.",
                "",
                "Throughput: median of 3 runs of 1 s, each thread alternating insert and delete-min on a queue",
                "of 200,000 elements. Rank error: exact replay of 200,000 recorded operations on a queue of",
                "50,000 elements. Prints a table and a short explanation; for longer or custom runs use",
                "'scaleml bench pq'.",
                "",
                "Graph: single-source shortest paths on a generated 700 x 700 grid (490,000 nodes, random",
                "weights 1..1000) with the mq, smq and obim schedulers against sequential Dijkstra, every",
                "result verified; median of 3 runs after a warm-up. For your own graphs use 'scaleml sssp' and",
                "'scaleml bench graph'.",
                "",
                "Belief propagation: a 60 x 60 Ising grid with synchronous, residual and relaxed residual BP.",
                "",
                "Training: an MLP (one hidden layer of 128) trained for one epoch on 12,000 Fashion-MNIST images",
                "by 4 in-process workers on a simulated 1 Gbit/s link each, uncompressed, with 4-bit QSGD and",
                "with TopK 1% and error feedback (generated data when Fashion-MNIST is not installed). For full",
                "runs use 'scaleml train' and 'scaleml plot'.",
        },
        footerHeading = "%n",
        footer = {"With --json, the same JSON lines as 'scaleml bench pq --json' (see 'scaleml bench pq --help'),",
                "then one line per graph contender as 'scaleml bench graph --json' (see 'scaleml bench graph",
                "--help'; graph is \"grid:700x700\"), one line per BP engine as 'scaleml bp --json', and one line",
                "per training run with part \"train\", model, codec, workers, linkGbps, testAccuracy, bytesPerStep,",
                "seconds and stepsPerSecond.%n"})
final class DemoCommand implements Callable<Integer> {
    static final double SECONDS = 1.0;
    static final int REPEATS = 3;
    static final long PREFILL = 200_000;
    static final long QUALITY_PREFILL = 50_000;
    static final long QUALITY_OPS = 200_000;
    static final int GRID_SIDE = 700;
    static final int GRID_MAX_WEIGHT = 1000;
    static final int GRAPH_REPEATS = 3;
    static final int BP_SIDE = 60;
    static final List<String> BP_ENGINES = List.of("sync", "residual", "relaxed-residual");
    static final int GRAPH_WARMUPS = 2;
    static final List<String> GRAPH_SCHEDULERS = List.of("mq", "smq", "obim");
    static final int TRAIN_EXAMPLES = 12_000;
    static final String TRAIN_MODEL = "mlp:hidden=128";
    static final int TRAIN_WORKERS = 4;
    static final int TRAIN_BATCH = 32;
    static final double TRAIN_GBPS = 1;
    static final String TRAIN_OPTIMIZER = "sgd:lr=0.1,momentum=0.9,nesterov=true,schedule=cosine";
    static final List<String> TRAIN_CODECS = List.of("none", "qsgd:bits=4,norm=max", "ef:topk:ratio=0.01");

    @Spec
    CommandSpec spec;

    @Option(names = "--threads", paramLabel = "T", defaultValue = "2",
            description = "worker threads, 1 to 1024 (default: ${DEFAULT-VALUE})")
    int threads;

    @Option(names = "--seed", defaultValue = "42", description = "base random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--json", description = "print JSON lines instead of the table and explanation")
    boolean json;

    @Override
    public Integer call() throws InterruptedException {
        Flags.threads(spec, threads);
        List<String> specs = PriorityQueues.names();
        PqBench.Settings settings = new PqBench.Settings(threads, SECONDS, REPEATS, PREFILL, seed,
                QUALITY_PREFILL, QUALITY_OPS);
        PrintWriter out = spec.commandLine().getOut();
        if (!json) {
            out.printf(Locale.ROOT, "ScaleML demo: exact and relaxed concurrent priority queues, %d thread(s)%n"
                            + "(about %d s; each thread alternates insert and delete-min on a queue of %,d "
                            + "elements)%n", threads,
                    Math.round(specs.size() * (REPEATS * (SECONDS + 0.3) + 0.7)), PREFILL);
            out.flush();
        }
        List<PqBench.Result> results = BenchPqCommand.measure("demo", specs, settings, out, json);
        if (!json) {
            out.println();
            out.print(PqReport.table(results));
            out.println();
            out.println(wrap(explanation(results), 100));
            out.flush();
        }
        graphPart(out);
        bpPart(out);
        trainPart(out);
        return 0;
    }

    /**
     * The training part: the same MLP trained data-parallel by 4 in-process workers on a simulated 1 Gbit/s link,
     * uncompressed and with two codecs, on a part of Fashion-MNIST (or generated data when it is not installed).
     */
    private void trainPart(PrintWriter out) throws InterruptedException {
        org.scaleml.train.data.Dataset train;
        org.scaleml.train.data.Dataset test;
        String source;
        try {
            org.scaleml.train.data.Datasets.TrainTest tt = org.scaleml.train.data.Datasets.load("fashion-mnist");
            int[] rows = new int[TRAIN_EXAMPLES];
            for (int i = 0; i < rows.length; i++) {
                rows[i] = i;
            }
            train = tt.train().subset("fashion-mnist[:" + TRAIN_EXAMPLES + "]", rows);
            test = tt.test();
            source = String.format(Locale.ROOT, "the first %,d Fashion-MNIST training images, tested on all %,d "
                    + "test images", TRAIN_EXAMPLES, test.size());
        } catch (java.io.IOException | RuntimeException e) {
            org.scaleml.train.data.Datasets.TrainTest tt = org.scaleml.train.data.Datasets.split(
                    DemoData.clusters(TRAIN_EXAMPLES + 2000, 784, 10, seed), 0.88, seed);
            train = tt.train();
            test = tt.test();
            source = "generated data (Fashion-MNIST not found: " + ScaleMl.oneLine(e.getMessage()) + ")";
        }
        if (!json) {
            out.println();
            out.println(wrap(String.format(Locale.ROOT, "Data-parallel training: an MLP (%s) on %s; %d workers "
                    + "(threads) on a simulated %.0f Gbit/s link each, batch %d per worker, one epoch, SGD with "
                    + "Nesterov momentum", TRAIN_MODEL, source, TRAIN_WORKERS, TRAIN_GBPS, TRAIN_BATCH), 100));
            out.flush();
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"codec", "test accuracy", "bytes per step", "less than fp32", "seconds", "steps/s"});
        long plainBytes = 0;
        for (String codec : TRAIN_CODECS) {
            org.scaleml.train.TrainSettings s = new org.scaleml.train.TrainSettings(TRAIN_MODEL, TRAIN_OPTIMIZER, codec,
                    1024, java.util.Map.of(), TRAIN_BATCH, 1, 0, seed, null, 1000, false);
            org.scaleml.train.DataParallelTrainer.Result r = org.scaleml.train.InProcessJob.train(s, train, test,
                    TRAIN_WORKERS, TRAIN_GBPS * 1e9 / 8, null);
            org.scaleml.train.EpochReport e = r.epochs().get(r.epochs().size() - 1);
            long perStep = e.bytesSentPerRank() / Math.max(1, e.epochSteps());
            if (codec.equals("none")) {
                plainBytes = perStep;
            }
            if (json) {
                out.println(Json.object(w -> {
                    w.name("part").value("train");
                    w.name("model").value(TRAIN_MODEL);
                    w.name("codec").value(codec);
                    w.name("workers").value(TRAIN_WORKERS);
                    w.name("linkGbps").value(TRAIN_GBPS);
                    w.name("testAccuracy").value(e.testAccuracy());
                    w.name("bytesPerStep").value(perStep);
                    w.name("seconds").value(Math.round(e.seconds() * 1000) / 1000.0);
                    w.name("stepsPerSecond").value(Math.round(e.stepsPerSecond() * 1000) / 1000.0);
                }));
            } else {
                rows.add(new String[] {codec.equals("none") ? "none (fp32)" : codec,
                        String.format(Locale.ROOT, "%.4f", e.testAccuracy()), String.format(Locale.ROOT, "%,d", perStep),
                        plainBytes == 0 ? "" : String.format(Locale.ROOT, "%.1fx", (double) plainBytes / perStep),
                        String.format(Locale.ROOT, "%.1f", e.seconds()),
                        String.format(Locale.ROOT, "%.1f", e.stepsPerSecond())});
            }
            out.flush();
        }
        if (!json) {
            out.println();
            out.print(org.scaleml.cli.report.Tables.align(rows));
            out.println();
            out.println(wrap("Every step, each worker computes the gradient of its own mini-batch and the workers "
                    + "average their gradients with an allreduce; 4-bit QSGD sends about an eighth of the bytes, and "
                    + "TopK with error feedback sends the largest 1% of each layer's gradient and keeps the rest for "
                    + "later steps, so on a slow link the steps get faster at little cost in accuracy. For full runs "
                    + "use 'scaleml train' (see --help) and 'scaleml plot'.", 100));
            out.flush();
        }
    }

    /** The belief-propagation part: one Ising grid, synchronous against residual and relaxed residual BP. */
    private void bpPart(PrintWriter out) {
        org.scaleml.bp.FactorGraph g = org.scaleml.bp.Generators.isingGrid(BP_SIDE, BP_SIDE, -0.5, 0.5, -0.5, 0.5,
                seed);
        if (!json) {
            out.println();
            out.printf(Locale.ROOT, "Belief propagation: a %d x %d Ising grid (couplings and fields uniform in "
                    + "[-0.5, 0.5]), epsilon 1e-5, %d thread(s) for the relaxed engine%n", BP_SIDE, BP_SIDE, threads);
        }
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(new String[] {"engine", "threads", "updates", "ms", "converged"});
        org.scaleml.bp.BpResult sync = null;
        for (String e : BP_ENGINES) {
            int t = e.equals("relaxed-residual") ? threads : 1;
            org.scaleml.bp.BpResult r = org.scaleml.bp.engine.BpEngines.create(e).run(g,
                    org.scaleml.bp.BpOptions.defaults().withThreads(t).withSeed(seed));
            if (sync == null) {
                sync = r;
            }
            if (json) {
                org.scaleml.bp.BpResult res = r;
                out.println(Json.object(w -> BpReport.writeRun(w, res, t, g)));
            } else {
                rows.add(new String[] {e, Integer.toString(t), String.format(Locale.ROOT, "%,d", r.updates()),
                        String.format(Locale.ROOT, "%.1f", r.millis()), r.converged() ? "yes" : "NO"});
            }
            out.flush();
        }
        if (!json) {
            out.println();
            out.print(org.scaleml.cli.report.Tables.align(rows));
            out.println();
            out.println(wrap("Synchronous BP updates every message in every round; residual BP always applies the "
                    + "message that would change most, so it needs far fewer updates; the relaxed engine runs the "
                    + "same schedule on the MultiQueue scheduler with several threads, accepting slightly "
                    + "out-of-order updates. All three stop when no message would change by more than epsilon and "
                    + "agree on the marginals to within about epsilon.", 100));
            out.flush();
        }
    }

    /** The graph part: SSSP on a generated grid, relaxed schedulers against sequential Dijkstra. */
    private void graphPart(PrintWriter out) {
        String name = "grid:" + GRID_SIDE + "x" + GRID_SIDE;
        if (!json) {
            out.println();
            out.printf(Locale.ROOT, "Graph: shortest paths on a %d x %d grid (%,d nodes, weights "
                            + "1..%d), %d thread(s), median of %d runs%n", GRID_SIDE, GRID_SIDE,
                    GRID_SIDE * GRID_SIDE, GRID_MAX_WEIGHT, threads, GRAPH_REPEATS);
            out.flush();
        }
        CsrGraph grid = GraphGenerators.grid(GRID_SIDE, GRID_SIDE, GRID_MAX_WEIGHT, seed);
        GraphBench.Settings settings = new GraphBench.Settings(GraphAlgo.SSSP, threads, GRAPH_SCHEDULERS,
                GRAPH_WARMUPS, GRAPH_REPEATS, seed, 0, false);
        List<GraphBench.Result> results = BenchGraphCommand.measure("demo graph", grid, settings, out, json, name);
        if (!json) {
            out.println();
            out.print(GraphReport.table(results));
            out.println();
            out.println(wrap(graphExplanation(results), 100));
            out.flush();
        }
    }

    /** The paragraph under the graph table. */
    static String graphExplanation(List<GraphBench.Result> results) {
        StringBuilder sb = new StringBuilder("The same relaxed queues drive a task scheduler: each task settles "
                + "one node and pushes its improved neighbours. A relaxed queue may hand out a node before its "
                + "distance is final; the node is then settled again later, and the stale task is counted as "
                + "wasted. 'extra work' is the tasks executed beyond those of the exact schedule (the same "
                + "algorithm on an exact queue with one thread), and every run's distances were compared with "
                + "Dijkstra's ('verified').");
        GraphBench.Result best = null;
        for (GraphBench.Result r : results) {
            if (GraphBench.SCHEDULER.equals(r.kind()) && (best == null || r.medianMillis() < best.medianMillis())) {
                best = r;
            }
        }
        if (best != null) {
            sb.append(String.format(Locale.ROOT, " In this run the fastest scheduler, %s, took %.0f ms, %.2fx "
                            + "sequential Dijkstra, with %.1f%% extra work.", best.name(), best.medianMillis(),
                    best.speedupVsSequential(), 100 * best.extraWork()));
        }
        return sb.toString();
    }

    /** The paragraph under the table: what exact and relaxed mean here, and what this run showed. */
    static String explanation(List<PqBench.Result> results) {
        StringBuilder sb = new StringBuilder();
        sb.append("Exact queues (heap, skiplist, pbq) always remove the smallest element, but every thread "
                + "contends for one shared structure. Relaxed queues spread the elements over several heaps: the "
                + "MultiQueue (mq) deletes the better top of two randomly chosen heaps, mq-tl adds sticky choices "
                + "and buffers, and the stealing MultiQueue (smq) works mostly on a thread's own heap and "
                + "occasionally steals from another. They give up a little order for much less contention. Rank "
                + "error counts the smaller priorities still in the queue when an element was removed, measured "
                + "exactly by replaying a recorded run; for the MultiQueue its mean grows in proportion to the "
                + "number of heaps, not to the queue size. An insertion still in progress on another thread "
                + "already counts as present in the replay, so even exact queues show a rank error below about 1: "
                + "that is the resolution of the measurement.");
        PqBench.Result best = null;
        double pbq = Double.NaN;
        double skiplist = Double.NaN;
        for (PqBench.Result r : results) {
            if (r.relaxed() && (best == null || r.opsPerSec() > best.opsPerSec())) {
                best = r;
            }
            if (r.impl().equals("pbq")) {
                pbq = r.opsPerSec();
            }
            if (r.impl().equals("skiplist")) {
                skiplist = r.opsPerSec();
            }
        }
        if (best != null && pbq > 0 && skiplist > 0) {
            sb.append(String.format(Locale.ROOT, " In this run the fastest relaxed queue, %s, did %s operations/s:"
                            + " %.1fx PriorityBlockingQueue and %.1fx the skip list, with a mean rank error of %.1f"
                            + " among %,d queued elements.",
                    best.impl(), PqReport.humanRate(best.opsPerSec()).replace(" ", ""),
                    best.opsPerSec() / pbq, best.opsPerSec() / skiplist, best.quality().rankErrorMean(),
                    best.settings().qualityPrefill()));
        }
        return sb.toString();
    }

    /** Greedy word wrap. */
    static String wrap(String text, int width) {
        StringBuilder sb = new StringBuilder();
        int col = 0;
        for (String word : text.split(" ")) {
            if (col > 0 && col + 1 + word.length() > width) {
                sb.append('\n');
                col = 0;
            } else if (col > 0) {
                sb.append(' ');
                col++;
            }
            sb.append(word);
            col += word.length();
        }
        return sb.toString();
    }
}
