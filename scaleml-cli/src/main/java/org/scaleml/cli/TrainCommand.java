package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scaleml.cli.launch.JobEnvironment;
import org.scaleml.cli.launch.Launcher;
import org.scaleml.cli.report.Json;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.Transport;
import org.scaleml.train.Coordination;
import org.scaleml.train.EpochReport;
import org.scaleml.train.GradientExchange;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Datasets;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizers;
import org.scaleml.train.robust.Aggregators;
import org.scaleml.train.robust.Attacks;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code scaleml train}: data-parallel training of a model on a data set with N workers. */
@Command(name = "train",
        header = "Trains a model data-parallel, with compressed or relaxed communication.",
        mixinStandardHelpOptions = true,
        versionProvider = ScaleMl.Version.class,
        sortOptions = false,
        description = {
                "Trains a model data-parallel on --workers workers: each worker computes the gradient of its own",
                "mini-batch of its shard of the training set, the gradients are averaged over all workers by an",
                "allreduce (plain, or compressed per layer by --codec, e.g. qsgd:bits=4 or ef:topk:ratio=0.01), and",
                "every worker applies the same update, so all hold the same model (checked every epoch).",
                "--trainer relaxes that coordination (local SGD, SwarmSGD gossip, partial allreduce that",
                "tolerates stragglers, Hogwild threads), --aggregator hardens it against Byzantine workers",
                "(simulated with --attackers), and --codec adaptive:bits=B picks bit widths per layer.",
                "",
                "Workers run as threads of this JVM (--transport inproc, optionally on a simulated link of",
                "--link-gbps) or as separate JVMs over authenticated TCP (--transport tcp: started here, as",
                "'scaleml launch' would, unless this process already is a rank of a launched job, e.g. under",
                "scripts/netns-job.sh for a rate-limited network).",
                "",
                "With --checkpoint DIR every worker writes its state atomically every --checkpoint-every steps;",
                "--resume continues from the newest checkpoint all workers have, and ends with exactly the",
                "parameters an uninterrupted run would have. A progress bar shows each epoch on a terminal.",
                "",
        },
        footerHeading = "%nOutput: one line per epoch (with --json a JSON object; --out FILE also appends the JSON "
                + "lines to FILE). Keys:%n",
        footer = {
                "  epoch, steps     1-based epoch; global steps done at its end (epochSteps: in this epoch)",
                "  trainLoss        mean training loss of the epoch's steps over all workers (null if it diverged)",
                "  testAccuracy     accuracy on the whole test set after the epoch",
                "  seconds          wall time of the epoch's training steps (evaluation excluded)",
                "  elapsedSeconds   training seconds since the run began (including before a resumption)",
                "  bytesSentPerRank payload bytes one worker sent in the epoch (mean over workers)",
                "  totalBytesSentPerRank   the same since the run began; bytesPerStep: per step in the epoch",
                "  stepsPerSecond   steps per second of training time in the epoch",
                "  paramsIdentical  every worker's parameters were bitwise equal at the epoch's end (swarm: false,",
                "                   and testAccuracy is that of the mean of the workers' models)",
                "  plan             the exchange plan (with adaptive:bits=B, the current per-layer bit widths)",
                "  label, data, model, trainer, localSteps, aggregator, attackers, attack, straggler, locked,",
                "  codec, workers, batch, transport, optimizer, parameters: the run",
                "",
                "Models (--model name[:key=value,...]):",
                "  logreg    binary logistic regression (labels 0/1), dense or sparse input",
                "  softmax   multiclass linear classifier, dense or sparse input",
                "  mlp       multilayer perceptron: hidden=256-128 (widths), act=relu|tanh|sigmoid",
                "  cnn       conv5x5(c1)+relu+pool, conv5x5(c2)+relu+pool, fc(fc)+relu, fc for images:",
                "            c1=16, c2=32, fc=128",
                "",
                "Optimizers (--optimizer name[:key=value,...]):",
                "  sgd       lr (0.01), momentum (0), nesterov (false), wd (L2 weight decay, 0)",
                "  adam      lr (0.001), beta1 (0.9), beta2 (0.999), eps (1e-8), wd (decoupled, 0)",
                "  both      schedule=constant|cosine|step (step: every=N, gamma=0.1), warmup=W steps",
                "",
                "Examples:",
                "  scaleml train --data fashion-mnist --model mlp --workers 4 --codec qsgd:bits=4 --epochs 5 --json",
                "  scaleml train --data ../shared/data/libsvm/a9a --model logreg --workers 2 --epochs 3",
                "  scaleml train --model cnn --checkpoint ckpt --checkpoint-every 200 --resume --out cnn.jsonl",
                "  scaleml train --trainer partial --straggler 1:5 --json",
                "  scaleml train --workers 5 --attackers 1 --attack signflip:scale=10 --aggregator median",
                "  scaleml train --trainer local --local-steps 8 --codec qsgd:bits=4",
                "  scaleml train --trainer hogwild --workers 2      (--locked for the locked baseline)",
                "  scaleml train --codec adaptive:bits=4           (layer-wise bit widths; the plan is printed)%n",
        })
final class TrainCommand implements Callable<Integer> {
    /** The largest --classes. */
    static final int MAX_CLASSES = 1 << 16;

    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "NAME|PATH", defaultValue = "fashion-mnist",
            description = "fashion-mnist or mnist (looked up in /usr/share/datasets/NAME and ../shared/data/NAME), a "
                    + "directory of IDX files, or a LIBSVM or CSV file (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp",
            description = "logreg, softmax, mlp, cnn, or a specification with parameters (default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "4",
            description = "number of workers, 1 to 64 (default: ${DEFAULT-VALUE}); under a launched job, its world")
    int workers;

    @Option(names = "--trainer", paramLabel = "NAME", defaultValue = "sync",
            description = "sync (gradients averaged every step), local (local SGD: models averaged every "
                    + "--local-steps), swarm (SwarmSGD: local steps, then gossip averaging with a random partner), "
                    + "hogwild (lock-free shared-memory SGD on --workers threads of this JVM), partial (gradients "
                    + "summed by a majority allreduce that does not wait for stragglers); default: ${DEFAULT-VALUE}")
    String trainer;

    @Option(names = "--local-steps", paramLabel = "H",
            description = "local steps between averagings: local (default 8) and swarm (default 2)")
    Integer localSteps;

    @Option(names = "--aggregator", paramLabel = "RULE", defaultValue = "mean",
            description = "sync: how gradients are combined: mean, median, trimmed-mean[:trim=B], krum[:m=M], "
                    + "clip[:tau=T,iters=L] (default: ${DEFAULT-VALUE})")
    String aggregator;

    @Option(names = "--worker-momentum", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "robust aggregators: the SGD optimizer's momentum moves to the workers, which send their "
                    + "velocity instead of the gradient (less variance for the rule to see; default: on; "
                    + "--no-worker-momentum sends raw gradients)")
    boolean workerMomentum;

    @Option(names = "--attackers", paramLabel = "F", defaultValue = "0",
            description = "the last F workers are simulated Byzantine workers (default: 0)")
    int attackers;

    @Option(names = "--attack", paramLabel = "KIND", defaultValue = "signflip",
            description = "what an attacker sends: signflip (-X g), scaled (X g), noise (Gaussian, std X); "
                    + "optionally :scale=X (default X: 10, 10, 1; default attack: ${DEFAULT-VALUE})")
    String attack;

    @Option(names = "--straggler", paramLabel = "RANK:SLOWDOWN",
            description = "make worker RANK SLOWDOWN times slower per step, e.g. 1:5")
    String straggler;

    @Option(names = "--quorum", paramLabel = "majority|solo", defaultValue = "majority",
            description = "partial: a round closes when more than half the workers (majority) or the first one "
                    + "(solo) sent their gradient (default: ${DEFAULT-VALUE})")
    String quorum;

    @Option(names = "--locked",
            description = "hogwild: copy the model and update it under one lock (the consistent baseline)")
    boolean locked;

    @Option(names = "--codec", paramLabel = "SPEC", defaultValue = "none",
            description = "gradient codec of every layer of at least --min-compress elements, or none "
                    + "(see 'scaleml bench codec --help'), or adaptive:bits=B for a layer-wise plan of bit widths "
                    + "averaging B bits; swarm: the codec of the gossiped models; hogwild: a sparsifier of the "
                    + "updates, e.g. ef:topk:ratio=0.1 (default: ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--layer-codec", paramLabel = "LAYER=SPEC",
            description = "per-layer override, repeatable: a layer name or PREFIX* and a codec or none, e.g. "
                    + "fc3.*=none or conv*=maxmin:bits=8")
    List<String> layerCodecs = new ArrayList<>();

    @Option(names = "--min-compress", paramLabel = "N", defaultValue = "1024",
            description = "layers with fewer elements travel uncompressed (default: ${DEFAULT-VALUE})")
    int minCompress;

    @Option(names = "--per-layer-calls",
            description = "one compressed allreduce per layer instead of one per codec (layers sharing a codec are "
                    + "otherwise concatenated: fewer rounds of latency per step)")
    boolean perLayerCalls;

    @Option(names = "--optimizer", paramLabel = "SPEC",
            description = "optimizer specification (default: sgd:lr=0.1,momentum=0.9,nesterov=true,"
                    + "schedule=cosine for mlp, adam:lr=0.001 for cnn, sgd:lr=0.5 for logreg and softmax); see the "
                    + "optimizers below")
    String optimizer;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32",
            description = "examples per worker per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "5", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--max-steps", paramLabel = "S", defaultValue = "0",
            description = "at most S steps per epoch, 0 for a full pass (default: 0)")
    int maxSteps;

    @Option(names = "--max-features", paramLabel = "N", defaultValue = "16777216",
            description = "LIBSVM input: refuse feature indices above N, which would size the model "
                    + "(default: ${DEFAULT-VALUE})")
    int maxFeatures;

    @Option(names = "--classes", paramLabel = "K", defaultValue = "0",
            description = "declare the class count: labels are then the class indices 0 to K-1 in every format "
                    + "(a label outside is an error naming the file and line or byte offset); default: inferred "
                    + "(IDX: the largest label + 1, refused if a class below it has no example; CSV: labels must be "
                    + "non-negative integers, one class per distinct label)")
    int classes;

    @Option(names = "--train-limit", paramLabel = "N", defaultValue = "0",
            description = "use only the first N training examples, 0 for all (default: 0)")
    int trainLimit;

    @Mixin
    TransportOptions transportOptions = new TransportOptions();

    @Option(names = "--checkpoint", paramLabel = "DIR", description = "write checkpoints into DIR")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "200",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--resume", description = "continue from the newest checkpoint in --checkpoint DIR")
    boolean resume;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of initialization, sharding, shuffles and codecs (default: 42)")
    long seed;

    @Option(names = "--label", paramLabel = "TEXT", description = "name of the run in reports and plots "
            + "(default: model, codec and workers)")
    String label;

    @Option(names = "--out", paramLabel = "FILE", description = "also append the JSON lines to FILE")
    Path out;

    @Option(names = "--json", description = "print JSON lines (keys below)")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Checked checked = validate();
        String t = checked.transport();
        boolean inLaunchedJob = t.equals("tcp") && JobEnvironment.present(System.getenv());
        if (t.equals("tcp") && !inLaunchedJob) {
            // Not a rank yet: start the job, each worker running this very command as one rank.
            List<String> args = new ArrayList<>(spec.commandLine().getParseResult().originalArgs());
            if (args.isEmpty() || !args.get(0).equals("train")) {
                args.add(0, "train");
            }
            spec.commandLine().getOut().flush();
            return new Launcher(workers, "127.0.0.1", args, Map.of()).run(System.out, System.err);
        }
        Datasets.TrainTest tt = load();
        Dataset train = tt.train();
        if (trainLimit > 0 && trainLimit < train.size()) {
            int[] rows = new int[trainLimit];
            for (int i = 0; i < trainLimit; i++) {
                rows[i] = i;
            }
            train = train.subset(train.name() + "[:" + trainLimit + "]", rows);
        }
        String opt = optimizer != null ? optimizer : defaultOptimizer(model);
        TrainSettings s;
        int parameters;
        try {
            s = new TrainSettings(model, opt, codec, minCompress, overrides(), batch, epochs, maxSteps, seed,
                    checkpoint, checkpointEvery, resume, !perLayerCalls, checked.coordination());
            // a model that does not fit the data, or an override naming no layer of it, fails here
            org.scaleml.train.model.Model m = Models.create(model, train.shape(), train.classes());
            GradientExchange.checkOverrides(m.layers(), s.layerCodecs());
            parameters = m.parameterCount();
            Optimizers.create(opt, 1, 1);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        int world = inLaunchedJob ? JobEnvironment.from(System.getenv()).world() : workers;
        int shard = org.scaleml.train.data.Sharding.minShardSize(train.size(), world);
        if (shard < batch) { // no full batch per worker: the run could not take a single step
            throw new ParameterException(spec.commandLine(), String.format(Locale.ROOT, "--batch %d is larger than "
                    + "a worker's share of the training set: %s holds %,d examples, %,d per worker for %d workers; "
                    + "%s", batch, train.name(), train.size(), shard, world, shard > 0 ? "use --batch " + shard + " or less"
                    : "use fewer --workers"));
        }
        PrintWriter pw = spec.commandLine().getOut();
        Reporter rep = new Reporter(pw, s, train, tt.test());
        rep.parameters = parameters;
        if (inLaunchedJob) {
            JobEnvironment job = JobEnvironment.from(System.getenv());
            rep.world = job.world();
            try (Transport tr = job.connect(transportOptions.tcpConfig(spec)); Communicator comm = new Communicator(tr)) {
                new DataParallelTrainer(s).run(comm, train, tt.test(), rep);
            } catch (IllegalArgumentException e) {
                throw e;
            } catch (org.scaleml.train.Checkpoint.CheckpointException e) {
                throw new IllegalArgumentException("--resume: rank " + job.rank() + ": " + ScaleMl.oneLine(
                        e.getMessage()), e);
            } catch (RuntimeException e) {
                throw new IllegalStateException("rank " + job.rank() + ": " + ScaleMl.oneLine(String.valueOf(
                        e.getMessage())) + lastCheckpointHint(), e);
            } finally {
                rep.close();
            }
            return diverged(rep);
        }
        rep.world = workers;
        try {
            InProcessJob.train(s, train, tt.test(), workers, transportOptions.bytesPerSecond(), rep);
        } catch (InProcessJob.TrainingFailedException e) {
            if (e.getCause() instanceof org.scaleml.train.Checkpoint.CheckpointException
                    || e.getCause() instanceof IllegalArgumentException) {
                // a checkpoint that does not fit this run, or input a rank found invalid: exit 2, and no advice
                // to resume from that very checkpoint
                throw new IllegalArgumentException((e.getCause() instanceof IllegalArgumentException ? ""
                        : "--resume: ") + ScaleMl.oneLine(e.getCause().getMessage()), e.getCause());
            }
            throw new IllegalStateException(e.getMessage() + lastCheckpointHint(), e.getCause());
        } finally {
            rep.close();
        }
        return diverged(rep);
    }

    /**
     * Before any data is read: the checkpoint path must be a writable directory (created if missing); a resume
     * from a directory that does not exist says that it starts fresh.
     */
    private void checkCheckpointDirectory() {
        if (Files.exists(checkpoint) && !Files.isDirectory(checkpoint)) {
            throw new ParameterException(spec.commandLine(), "--checkpoint " + checkpoint + " is a file, not a "
                    + "directory");
        }
        boolean existed = Files.isDirectory(checkpoint);
        try {
            Files.createDirectories(checkpoint);
            Path probe = Files.createTempFile(checkpoint, ".scaleml-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw new ParameterException(spec.commandLine(), "--checkpoint " + checkpoint + " is not a writable "
                    + "directory: " + ScaleMl.oneLine(String.valueOf(e.getMessage())));
        }
        if (resume && !existed) {
            spec.commandLine().getErr().println("scaleml train: --resume: " + checkpoint + " did not exist; "
                    + "starting fresh (it now holds this run's checkpoints)");
            spec.commandLine().getErr().flush();
        }
    }

    /** 0, or 1 with one line on stderr if the loss diverged (NaN or infinite) in some epoch. */
    private int diverged(Reporter rep) {
        if (rep.divergedEpoch == 0) {
            return 0;
        }
        spec.commandLine().getErr().printf(Locale.ROOT, "scaleml train: training diverged: the loss was %s in epoch "
                + "%d; try a lower learning rate (e.g. --optimizer %s)%n", rep.divergedLoss, rep.divergedEpoch,
                lowerRate(rep.s.optimizer()));
        spec.commandLine().getErr().flush();
        return 1;
    }

    /** The optimizer spec with a tenth of its learning rate (a suggestion). */
    static String lowerRate(String optimizer) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("lr=([0-9.eE+-]+)").matcher(optimizer);
        if (m.find()) {
            try {
                double lr = Double.parseDouble(m.group(1)) / 10;
                return optimizer.substring(0, m.start(1)) + String.format(Locale.ROOT, "%g", lr).replaceAll(
                        "0+(e|$)", "$1").replaceAll("\\.(e|$)", "$1") + optimizer.substring(m.end(1));
            } catch (NumberFormatException e) {
                return optimizer;
            }
        }
        return optimizer + (optimizer.contains(":") ? "," : ":") + "lr=0.01";
    }

    private String lastCheckpointHint() {
        if (checkpoint == null) {
            return "";
        }
        try {
            List<Long> st = org.scaleml.train.Checkpoint.steps(checkpoint, 0);
            return st.isEmpty() ? "; no checkpoint was written" : "; the newest checkpoint is step "
                    + st.get(st.size() - 1) + " in " + checkpoint + " (continue with --resume)";
        } catch (IOException e) {
            return "";
        }
    }

    static String defaultOptimizer(String model) {
        return org.scaleml.train.optim.Optimizers.defaultFor(model);
    }

    /** The flags checked before any data is read: the transport and the coordination. */
    private record Checked(String transport, Coordination coordination) {
    }

    /** Checks every flag that needs no data. */
    private Checked validate() {
        Flags.atLeast(spec, "--workers", workers, 1, 64);
        Flags.atLeast(spec, "--batch", batch, 1, 1 << 20);
        Flags.atLeast(spec, "--max-features", maxFeatures, 1, Integer.MAX_VALUE);
        if (classes != 0) {
            Flags.atLeast(spec, "--classes", classes, 2, MAX_CLASSES);
        }
        Flags.atLeast(spec, "--epochs", epochs, 1, 1_000_000);
        Flags.atLeast(spec, "--max-steps", maxSteps, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--train-limit", trainLimit, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--min-compress", minCompress, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--checkpoint-every", checkpointEvery, 1, Integer.MAX_VALUE);
        Coordination c = coordination();
        String t = transportOptions.validated(spec);
        if (c.trainer().equals("hogwild") && !t.equals("inproc")) {
            throw new ParameterException(spec.commandLine(), "--trainer hogwild runs threads of one JVM: use "
                    + "--transport inproc");
        }
        if (attackers >= workers) {
            throw new ParameterException(spec.commandLine(), "--attackers " + attackers + " of " + workers
                    + " workers: at least one worker must be honest");
        }
        if (c.stragglerRank() >= workers) {
            throw new ParameterException(spec.commandLine(), "--straggler: rank " + c.stragglerRank()
                    + " is not one of the " + workers + " workers (0 to " + (workers - 1) + ")");
        }
        if (!c.meanAggregation()) {
            try {
                Aggregators.create(c.aggregator(), workers, attackers);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--aggregator: " + e.getMessage());
            }
        }
        if (attackers > 0) {
            try {
                Attacks.create(attack, seed, 0);
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--attack: " + e.getMessage());
            }
        }
        if (resume && checkpoint == null) {
            throw new ParameterException(spec.commandLine(), "--resume needs --checkpoint DIR");
        }
        if (checkpoint != null) {
            checkCheckpointDirectory();
        }
        Flags.outputFile(spec, "--out", out);
        try {
            GradientExchange.validateCodec(codec);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--codec: " + e.getMessage());
        }
        overrides();
        return new Checked(t, c);
    }

    /** The coordination the flags describe. */
    private Coordination coordination() {
        String tr = trainer.toLowerCase(Locale.ROOT);
        if (localSteps != null && !Coordination.usesLocalSteps(tr)) {
            throw new ParameterException(spec.commandLine(), "--local-steps applies to --trainer local or swarm");
        }
        int h = localSteps != null ? localSteps : Coordination.defaultLocalSteps(tr);
        if (h < 1) {
            throw new ParameterException(spec.commandLine(), "--local-steps must be at least 1, got " + h);
        }
        int rank = -1;
        double slow = 1;
        if (straggler != null) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d{1,3}):([0-9]+(\\.[0-9]*)?)")
                    .matcher(straggler);
            if (!m.matches()) {
                throw new ParameterException(spec.commandLine(), "--straggler must be RANK:SLOWDOWN, e.g. 1:5, got '"
                        + straggler + "'");
            }
            rank = Integer.parseInt(m.group(1));
            slow = Double.parseDouble(m.group(2));
        }
        if (locked && !tr.equals("hogwild")) {
            throw new ParameterException(spec.commandLine(), "--locked applies to --trainer hogwild");
        }
        if (!tr.equals("partial") && spec.commandLine().getParseResult().hasMatchedOption("--quorum")) {
            throw new ParameterException(spec.commandLine(), "--quorum applies to --trainer partial");
        }
        try {
            return new Coordination(tr, h, aggregator, attackers, attack, rank, slow, locked, quorum,
                    workerMomentum && !aggregator.equalsIgnoreCase("mean"));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private Map<String, String> overrides() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String lc : layerCodecs) {
            int eq = lc.indexOf('=');
            if (eq <= 0 || eq == lc.length() - 1) {
                throw new ParameterException(spec.commandLine(), "--layer-codec must be LAYER=SPEC, got '" + lc + "'");
            }
            String c = lc.substring(eq + 1);
            if (!c.equalsIgnoreCase("none")) {
                try {
                    GradientExchange.validateCodec(c);
                } catch (IllegalArgumentException e) {
                    throw new ParameterException(spec.commandLine(), "--layer-codec " + lc + ": " + e.getMessage());
                }
            }
            m.put(lc.substring(0, eq), c);
        }
        return m;
    }

    private Datasets.TrainTest load() {
        try {
            return Datasets.load(data, Datasets.DEFAULT_SPLIT_SEED, maxFeatures, classes);
        } catch (UncheckedIOException e) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": " + e.getCause().getMessage());
        } catch (IOException e) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": " + e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "--data " + data + ": " + e.getMessage());
        }
    }

    /** Rank 0's listener: progress bar, epoch lines, the --out file. */
    private final class Reporter implements DataParallelTrainer.Listener, AutoCloseable {
        private final PrintWriter pw;
        private final TrainSettings s;
        private final Dataset train;
        private final Dataset test;
        private Writer file;
        private ProgressBar bar;
        private int stepsPerEpoch;
        int world;
        private String plan = "";
        long parameters;
        /** The first epoch whose loss was not finite (0: none), and that loss. */
        int divergedEpoch;
        double divergedLoss;

        Reporter(PrintWriter pw, TrainSettings s, Dataset train, Dataset test) {
            this.pw = pw;
            this.s = s;
            this.train = train;
            this.test = test;
        }

        String label() {
            Coordination c = s.coordination();
            String how = c.trainer().equals("sync") ? "" : c.trainer() + (c.usesLocalSteps() ? " H=" + c.localSteps()
                    : "") + (c.lockedUpdates() ? " locked" : "") + " ";
            String robust = c.meanAggregation() ? "" : " " + c.aggregator();
            String attacked = c.attackers() == 0 ? "" : " " + c.attackers() + "x" + c.attack();
            String slow = c.stragglerRank() < 0 ? "" : " straggler " + straggler;
            return label != null ? label : model + " " + how + (codec.equalsIgnoreCase("none") ? "fp32" : codec)
                    + robust + attacked + slow + " x" + world;
        }

        @Override
        public void started(String plan, int stepsPerEpoch, long totalSteps, long startStep) {
            this.plan = plan;
            this.stepsPerEpoch = stepsPerEpoch;
            if (startStep >= totalSteps) {
                System.err.printf(Locale.ROOT, "scaleml train: nothing to do: the checkpoint in %s is at step %,d, "
                        + "the last of this run%n", checkpoint, startStep);
            }
            if (!json) {
                pw.printf(Locale.ROOT, "training %s on %s (%,d train / %,d test examples), %d workers x batch %d, "
                                + "%s, %,d steps per epoch%s%n", model, train.name(), train.size(), test.size(),
                        world, s.batch(), s.optimizer(), stepsPerEpoch,
                        startStep > 0 ? ", resumed after step " + startStep : "");
                pw.println((s.coordination().trainer().equals("sync") ? "exchange plan: " : "coordination: ")
                        + plan);
                pw.flush();
            }
        }

        @Override
        public void replanned(long step, String newPlan) {
            this.plan = newPlan;
            if (!json) {
                if (bar != null) {
                    bar.close();
                    bar = null;
                }
                pw.printf(Locale.ROOT, "exchange plan after step %,d: %s%n", step, newPlan);
                pw.flush();
            }
        }

        @Override
        public void step(int epoch, int stepInEpoch, int spe, double loss) {
            if (stepInEpoch == 1 || bar == null) {
                openBar(epoch);
            }
            if (bar != null) {
                bar.stepTo(stepInEpoch);
                if (stepInEpoch % 20 == 0) {
                    bar.setExtraMessage(String.format(Locale.ROOT, "loss %.4f", loss));
                }
            }
        }

        private void openBar(int epoch) {
            if (bar != null) {
                bar.close();
                bar = null;
            }
            if (TerminalProgress.interactive()) {
                bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(stepsPerEpoch)
                        .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                        .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().build();
            }
        }

        @Override
        public void checkpointSkipped(String what) {
            spec.commandLine().getErr().println("scaleml train: --resume skips the damaged checkpoint " + what);
            spec.commandLine().getErr().flush();
        }

        @Override
        public void epoch(EpochReport r) {
            if (!Double.isFinite(r.trainLoss()) && divergedEpoch == 0) {
                divergedEpoch = r.epoch();
                divergedLoss = r.trainLoss();
            }
            if (bar != null) {
                bar.close();
                bar = null;
            }
            String line = jsonLine(r);
            if (json) {
                pw.println(line);
            } else {
                pw.printf(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %.4f, %.1f s, %.1f steps/s, "
                                + "%,d bytes sent per worker (%,d per step)%n", r.epoch(), r.trainLoss(),
                        r.testAccuracy(), r.seconds(), r.stepsPerSecond(), r.bytesSentPerRank(),
                        r.epochSteps() == 0 ? 0 : r.bytesSentPerRank() / r.epochSteps());
            }
            pw.flush();
            if (out != null) {
                try {
                    if (file == null) {
                        file = Files.newBufferedWriter(out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                                StandardOpenOption.APPEND);
                    }
                    file.write(line);
                    file.write('\n');
                    file.flush();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot write " + out + ": " + e.getMessage(), e);
                }
            }
        }

        private String jsonLine(EpochReport r) {
            return Json.object(w -> {
                w.name("label").value(label());
                w.name("epoch").value(r.epoch());
                w.name("steps").value(r.steps());
                w.name("epochSteps").value(r.epochSteps());
                // a diverged run (e.g. plain averaging under attack) has a NaN or infinite loss: JSON null
                if (Double.isFinite(r.trainLoss())) {
                    w.name("trainLoss").value(round(r.trainLoss(), 6));
                } else {
                    w.name("trainLoss").nullValue();
                }
                w.name("testAccuracy").value(round(r.testAccuracy(), 6));
                w.name("seconds").value(round(r.seconds(), 3));
                w.name("elapsedSeconds").value(round(r.elapsedSeconds(), 3));
                w.name("bytesSentPerRank").value(r.bytesSentPerRank());
                w.name("totalBytesSentPerRank").value(r.totalBytesSentPerRank());
                w.name("bytesPerStep").value(r.epochSteps() == 0 ? 0 : r.bytesSentPerRank() / r.epochSteps());
                w.name("stepsPerSecond").value(round(r.stepsPerSecond(), 3));
                w.name("paramsIdentical").value(r.paramsIdentical());
                w.name("data").value(train.name());
                w.name("model").value(model);
                Coordination c = s.coordination();
                w.name("trainer").value(c.trainer());
                if (c.usesLocalSteps()) {
                    w.name("localSteps").value(c.localSteps());
                }
                w.name("aggregator").value(c.aggregator());
                if (!c.meanAggregation()) {
                    w.name("workerMomentum").value(c.workerMomentum());
                }
                w.name("attackers").value(c.attackers());
                if (c.attackers() > 0) {
                    w.name("attack").value(c.attack());
                }
                if (c.stragglerRank() >= 0) {
                    w.name("straggler").value(straggler);
                }
                if (c.trainer().equals("hogwild")) {
                    w.name("locked").value(c.lockedUpdates());
                }
                w.name("codec").value(codec);
                w.name("plan").value(plan);
                w.name("workers").value(world);
                w.name("batch").value(s.batch());
                w.name("transport").value(transportOptions.transport);
                w.name("optimizer").value(s.optimizer());
                w.name("parameters").value(parameters);
            });
        }

        @Override
        public void close() {
            if (bar != null) {
                bar.close();
            }
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    // best effort: every line was flushed when written
                }
            }
        }
    }

    static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }
}
