package org.scaleml.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.scaleml.common.Decimals;
import org.scaleml.cli.report.Json;
import org.scaleml.train.Coordination;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.EpochReport;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.data.Dataset;

/**
 * What {@code scaleml train} shows of a run, as rank 0's {@link DataParallelTrainer.Listener}: the header lines, a
 * progress bar per epoch on a terminal, one line per epoch (text, or JSON with {@code --json}; the keys are documented
 * in {@code scaleml train --help}), the JSON lines appended to {@code --out}, and the divergence warning at the end.
 *
 * <p>Called from the thread that runs rank 0; not thread safe. {@link #close} closes the bar and the {@code --out}
 * file (every line is flushed when written).
 */
final class TrainReporter implements DataParallelTrainer.Listener, AutoCloseable {
    private static final Pattern LEARNING_RATE = Pattern.compile("lr=([0-9.eE+-]+)");

    private final TrainOptions o;
    private final TrainSettings s;
    private final Dataset train;
    private final Dataset test;
    private final int world;
    private final long parameters;
    private final PrintWriter out;
    private final PrintWriter err;
    private Writer file;
    private ProgressBar bar;
    private int stepsPerEpoch;
    private String plan = "";
    /** The first epoch whose loss was not finite (0: none), and that loss. */
    private int divergedEpoch;
    private double divergedLoss;

    /**
     * @param world      the number of workers of the run
     * @param parameters the model's parameter count, for the JSON lines
     * @param out        where the epoch lines go
     * @param err        where warnings go
     */
    TrainReporter(TrainOptions options, TrainSettings s, Dataset train, Dataset test, int world, long parameters,
                  PrintWriter out, PrintWriter err) {
        this.o = options;
        this.s = s;
        this.train = train;
        this.test = test;
        this.world = world;
        this.parameters = parameters;
        this.out = out;
        this.err = err;
    }

    /** The run's name: --label, else the model, coordination, codec, robustness settings and workers. */
    String label() {
        Coordination c = s.coordination();
        String how = c.trainer().equals("sync") ? "" : c.trainer() + (c.usesLocalSteps() ? " H=" + c.localSteps()
                : "") + (c.lockedUpdates() ? " locked" : "") + " ";
        String robust = c.meanAggregation() ? "" : " " + c.aggregator();
        String attacked = c.attackers() == 0 ? "" : " " + c.attackers() + "x" + c.attack();
        String slow = c.stragglerRank() < 0 ? "" : " straggler " + o.straggler;
        return o.label != null ? o.label : o.model + " " + how + (o.codec.equalsIgnoreCase("none") ? "fp32" : o.codec)
                + robust + attacked + slow + " x" + world;
    }

    @Override
    public void started(String plan, int stepsPerEpoch, long totalSteps, long startStep) {
        this.plan = plan;
        this.stepsPerEpoch = stepsPerEpoch;
        if (startStep >= totalSteps) {
            System.err.printf(Locale.ROOT, "scaleml train: nothing to do: the checkpoint in %s is at step %,d, "
                    + "the last of this run%n", o.checkpoint, startStep);
        }
        if (!o.json) {
            out.printf(Locale.ROOT, "training %s on %s (%,d train / %,d test examples), %d workers x batch %d, "
                            + "%s, %,d steps per epoch%s%n", o.model, train.name(), train.size(), test.size(),
                    world, s.batch(), s.optimizer(), stepsPerEpoch,
                    startStep > 0 ? ", resumed after step " + startStep : "");
            out.println((s.coordination().trainer().equals("sync") ? "exchange plan: " : "coordination: ") + plan);
            out.flush();
        }
    }

    @Override
    public void replanned(long step, String newPlan) {
        this.plan = newPlan;
        if (!o.json) {
            closeBar();
            out.printf(Locale.ROOT, "exchange plan after step %,d: %s%n", step, newPlan);
            out.flush();
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
        closeBar();
        if (TerminalProgress.interactive()) {
            bar = new ProgressBarBuilder().setTaskName("epoch " + epoch).setInitialMax(stepsPerEpoch)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).clearDisplayOnFinish().build();
        }
    }

    private void closeBar() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    @Override
    public void checkpointSkipped(String what) {
        err.println("scaleml train: --resume skips the damaged checkpoint " + what);
        err.flush();
    }

    @Override
    public void epoch(EpochReport r) {
        if (!Double.isFinite(r.trainLoss()) && divergedEpoch == 0) {
            divergedEpoch = r.epoch();
            divergedLoss = r.trainLoss();
        }
        closeBar();
        String line = jsonLine(r);
        if (o.json) {
            out.println(line);
        } else {
            out.printf(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %.4f, %.1f s, %.1f steps/s, "
                            + "%,d bytes sent per worker (%,d per step)%n", r.epoch(), r.trainLoss(),
                    r.testAccuracy(), r.seconds(), r.stepsPerSecond(), r.bytesSentPerRank(), bytesPerStep(r));
        }
        out.flush();
        if (o.out != null) {
            appendToOutFile(line);
        }
    }

    private void appendToOutFile(String line) {
        try {
            if (file == null) {
                file = Files.newBufferedWriter(o.out, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                        StandardOpenOption.APPEND);
            }
            file.write(line);
            file.write('\n');
            file.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + o.out + ": " + e.getMessage(), e);
        }
    }

    private static long bytesPerStep(EpochReport r) {
        return r.epochSteps() == 0 ? 0 : r.bytesSentPerRank() / r.epochSteps();
    }

    private String jsonLine(EpochReport r) {
        return Json.object(w -> {
            w.name("label").value(label());
            w.name("epoch").value(r.epoch());
            w.name("steps").value(r.steps());
            w.name("epochSteps").value(r.epochSteps());
            // a diverged run (e.g. plain averaging under attack) has a NaN or infinite loss: JSON null
            if (Double.isFinite(r.trainLoss())) {
                w.name("trainLoss").value(Decimals.round(r.trainLoss(), 6));
            } else {
                w.name("trainLoss").nullValue();
            }
            w.name("testAccuracy").value(Decimals.round(r.testAccuracy(), 6));
            w.name("seconds").value(Decimals.round(r.seconds(), 3));
            w.name("elapsedSeconds").value(Decimals.round(r.elapsedSeconds(), 3));
            w.name("bytesSentPerRank").value(r.bytesSentPerRank());
            w.name("totalBytesSentPerRank").value(r.totalBytesSentPerRank());
            w.name("bytesPerStep").value(bytesPerStep(r));
            w.name("stepsPerSecond").value(Decimals.round(r.stepsPerSecond(), 3));
            w.name("paramsIdentical").value(r.paramsIdentical());
            w.name("data").value(train.name());
            w.name("model").value(o.model);
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
                w.name("straggler").value(o.straggler);
            }
            if (c.trainer().equals("hogwild")) {
                w.name("locked").value(c.lockedUpdates());
            }
            w.name("codec").value(o.codec);
            w.name("plan").value(plan);
            w.name("workers").value(world);
            w.name("batch").value(s.batch());
            w.name("transport").value(o.transportOptions.transport);
            w.name("optimizer").value(s.optimizer());
            w.name("parameters").value(parameters);
        });
    }

    /**
     * The command's exit code: 0, or 1 with one line on stderr if the loss diverged (NaN or infinite) in some
     * epoch.
     */
    int exitCode() {
        if (divergedEpoch == 0) {
            return 0;
        }
        err.printf(Locale.ROOT, "scaleml train: training diverged: the loss was %s in epoch %d; try a lower learning "
                + "rate (e.g. --optimizer %s)%n", divergedLoss, divergedEpoch, lowerRate(s.optimizer()));
        err.flush();
        return 1;
    }

    /** The optimizer spec with a tenth of its learning rate (a suggestion). */
    static String lowerRate(String optimizer) {
        Matcher m = LEARNING_RATE.matcher(optimizer);
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
