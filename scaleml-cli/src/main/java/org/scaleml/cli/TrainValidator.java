package org.scaleml.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.scaleml.train.Coordination;
import org.scaleml.train.GradientExchange;
import org.scaleml.train.LayerCodecs;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.data.Datasets;
import org.scaleml.train.data.Sharding;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizers;
import org.scaleml.train.robust.Aggregators;
import org.scaleml.train.robust.Attacks;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * Turns the options of {@code scaleml train} into {@link TrainSettings}, in two stages: {@link #checkFlags} checks
 * every flag that needs no data (before a job is launched or a file is read); once the training set is loaded,
 * {@link #settings} checks that the model fits it and its layers match the overrides, and {@link #checkBatchFits}
 * that every worker's shard holds a batch.
 *
 * <p>Every failure is a {@link ParameterException} (exit 2) whose message names the flag and the value. Not thread
 * safe; one instance serves one run of the command.
 */
final class TrainValidator {
    /** The largest --classes. */
    static final int MAX_CLASSES = 1 << 16;

    private static final Pattern STRAGGLER = Pattern.compile("(\\d{1,3}):([0-9]+(\\.[0-9]*)?)");

    private final CommandSpec spec;
    private final TrainOptions o;

    TrainValidator(CommandSpec spec, TrainOptions options) {
        this.spec = spec;
        this.o = options;
    }

    /** The flags checked before any data is read: the transport (lower case) and the coordination. */
    record Checked(String transport, Coordination coordination) {
    }

    /** The settings of a run and the parameter count of its model. */
    record Settings(TrainSettings settings, int parameters) {
    }

    /**
     * Checks every flag that needs no data. With {@code --checkpoint} this creates the directory (and says on
     * stderr when a {@code --resume} starts fresh).
     */
    Checked checkFlags() {
        Flags.atLeast(spec, "--workers", o.workers, 1, 64);
        Flags.atLeast(spec, "--batch", o.batch, 1, 1 << 20);
        Flags.atLeast(spec, "--max-features", o.maxFeatures, 1, Integer.MAX_VALUE);
        if (o.classes != 0) {
            Flags.atLeast(spec, "--classes", o.classes, 2, MAX_CLASSES);
        }
        Flags.atLeast(spec, "--epochs", o.epochs, 1, 1_000_000);
        Flags.atLeast(spec, "--max-steps", o.maxSteps, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--train-limit", o.trainLimit, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--min-compress", o.minCompress, 0, Integer.MAX_VALUE);
        Flags.atLeast(spec, "--checkpoint-every", o.checkpointEvery, 1, Integer.MAX_VALUE);
        Coordination c = coordination();
        String t = o.transportOptions.validated(spec);
        if (c.trainer().equals("hogwild") && !t.equals("inproc")) {
            throw fail("--trainer hogwild runs threads of one JVM: use --transport inproc");
        }
        if (o.attackers >= o.workers) {
            throw fail("--attackers " + o.attackers + " of " + o.workers
                    + " workers: at least one worker must be honest");
        }
        if (c.stragglerRank() >= o.workers) {
            throw fail("--straggler: rank " + c.stragglerRank() + " is not one of the " + o.workers + " workers (0 to "
                    + (o.workers - 1) + ")");
        }
        if (!c.meanAggregation()) {
            try {
                Aggregators.create(c.aggregator(), o.workers, o.attackers);
            } catch (IllegalArgumentException e) {
                throw fail("--aggregator: " + e.getMessage());
            }
        }
        if (o.attackers > 0) {
            try {
                Attacks.create(o.attack, o.seed, 0);
            } catch (IllegalArgumentException e) {
                throw fail("--attack: " + e.getMessage());
            }
        }
        if (o.resume && o.checkpoint == null) {
            throw fail("--resume needs --checkpoint DIR");
        }
        if (o.checkpoint != null) {
            checkCheckpointDirectory();
        }
        Flags.outputFile(spec, "--out", o.out);
        try {
            GradientExchange.validateCodec(o.codec);
        } catch (IllegalArgumentException e) {
            throw fail("--codec: " + e.getMessage());
        }
        layerCodecs();
        return new Checked(t, c);
    }

    /** Reads the data set of --data. */
    Datasets.TrainTest load() {
        try {
            return Datasets.load(o.data, Datasets.DEFAULT_SPLIT_SEED, o.maxFeatures, o.classes);
        } catch (UncheckedIOException e) {
            throw fail("--data " + o.data + ": " + e.getCause().getMessage());
        } catch (IOException | IllegalArgumentException e) {
            throw fail("--data " + o.data + ": " + e.getMessage());
        }
    }

    /** The training set cut to its first --train-limit examples (all of it for 0 or a larger limit). */
    Dataset limited(Dataset train) {
        int n = o.trainLimit;
        if (n <= 0 || n >= train.size()) {
            return train;
        }
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) {
            rows[i] = i;
        }
        return train.subset(train.name() + "[:" + n + "]", rows);
    }

    /**
     * The settings of the run on {@code train}, after checking that the model fits the data, that every
     * --layer-codec names a layer of it and that the optimizer parses.
     */
    Settings settings(Checked checked, Dataset train) {
        String opt = o.optimizer != null ? o.optimizer : Optimizers.defaultFor(o.model);
        TrainSettings s;
        int parameters;
        try {
            s = new TrainSettings(o.model, opt, o.codec, o.minCompress, layerCodecs(), o.batch, o.epochs, o.maxSteps,
                    o.seed, o.checkpoint, o.checkpointEvery, o.resume, !o.perLayerCalls, checked.coordination());
            // a model that does not fit the data, or an override naming no layer of it, fails here
            Model m = Models.create(o.model, train.shape(), train.classes());
            GradientExchange.checkOverrides(m.layers(), s.layerCodecs());
            parameters = m.parameterCount();
            Optimizers.create(opt, 1, 1);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
        return new Settings(s, parameters);
    }

    /** Checks that each of {@code world} workers' shards of {@code train} holds at least one batch. */
    void checkBatchFits(Dataset train, int world) {
        int shard = Sharding.minShardSize(train.size(), world);
        if (shard < o.batch) { // no full batch per worker: the run could not take a single step
            throw fail(String.format(Locale.ROOT, "--batch %d is larger than a worker's share of the training set: "
                    + "%s holds %,d examples, %,d per worker for %d workers; %s", o.batch, train.name(), train.size(),
                    shard, world, shard > 0 ? "use --batch " + shard + " or less" : "use fewer --workers"));
        }
    }

    /** The coordination the flags describe. */
    private Coordination coordination() {
        String tr = o.trainer.toLowerCase(Locale.ROOT);
        if (o.localSteps != null && !Coordination.usesLocalSteps(tr)) {
            throw fail("--local-steps applies to --trainer local or swarm");
        }
        int h = o.localSteps != null ? o.localSteps : Coordination.defaultLocalSteps(tr);
        if (h < 1) {
            throw fail("--local-steps must be at least 1, got " + h);
        }
        int rank = -1;
        double slow = 1;
        if (o.straggler != null) {
            Matcher m = STRAGGLER.matcher(o.straggler);
            if (!m.matches()) {
                throw fail("--straggler must be RANK:SLOWDOWN, e.g. 1:5, got '" + o.straggler + "'");
            }
            rank = Integer.parseInt(m.group(1));
            slow = Double.parseDouble(m.group(2));
        }
        if (o.locked && !tr.equals("hogwild")) {
            throw fail("--locked applies to --trainer hogwild");
        }
        if (!tr.equals("partial") && spec.commandLine().getParseResult().hasMatchedOption("--quorum")) {
            throw fail("--quorum applies to --trainer partial");
        }
        try {
            return new Coordination(tr, h, o.aggregator, o.attackers, o.attack, rank, slow, o.locked, o.quorum,
                    o.workerMomentum && !o.aggregator.equalsIgnoreCase("mean"));
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /** The --layer-codec overrides, layer pattern to codec, in the order given; each codec checked. */
    private Map<String, String> layerCodecs() {
        try {
            return LayerCodecs.parse(o.layerCodecs);
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage());
        }
    }

    /**
     * Before any data is read: the checkpoint path must be a writable directory (created if missing); a resume
     * from a directory that does not exist says that it starts fresh.
     */
    private void checkCheckpointDirectory() {
        Path dir = o.checkpoint;
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw fail("--checkpoint " + dir + " is a file, not a directory");
        }
        boolean existed = Files.isDirectory(dir);
        try {
            Files.createDirectories(dir);
            Path probe = Files.createTempFile(dir, ".scaleml-write-check", ".tmp");
            Files.delete(probe);
        } catch (IOException | RuntimeException e) {
            throw fail("--checkpoint " + dir + " is not a writable directory: "
                    + ScaleMl.oneLine(String.valueOf(e.getMessage())));
        }
        if (o.resume && !existed) {
            spec.commandLine().getErr().println("scaleml train: --resume: " + dir + " did not exist; "
                    + "starting fresh (it now holds this run's checkpoints)");
            spec.commandLine().getErr().flush();
        }
    }

    private ParameterException fail(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
