package org.scaleml.spark;

import java.io.PrintStream;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.scaleml.common.Decimals;

/**
 * What {@link TrainJob} prints on standard output: without {@code --json} a line saying what is trained before the
 * run, one readable line per epoch and the run's id and stage attempts after it; with {@code --json} one JSON object
 * per epoch (the keys listed in {@code --help}, those of {@code scaleml train --json} where they apply).
 *
 * <p>Not thread-safe; one instance serves one run of the job.
 */
final class TrainJobOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final TrainJobOptions o;

    TrainJobOutput(TrainJobOptions options) {
        this.o = options;
    }

    /** Before training, without {@code --json}: what is trained on which data, and the label mapping if any. */
    void printHeader(PrintStream out, ScaleMLClassifier est, JobData.Loaded in) {
        if (o.json) {
            return;
        }
        out.printf(Locale.ROOT, "training %s on %s (%s%s) with %d workers x batch %d, %s, %s%n", o.model, o.data,
                in.format(), in.testPath() == null ? ", no test data" : ", test data " + in.testPath(), o.workers,
                o.batch, est.getOptimizer(), o.codec.equalsIgnoreCase("none") ? "uncompressed" : "codec " + o.codec);
        if (in.labelMap() != null) {
            out.println("labels mapped to classes: " + in.labelMap());
        }
    }

    /** After training: one line per epoch, and without {@code --json} the run's id, attempts and saved model. */
    void printResult(PrintStream out, ScaleMLClassifier est, ScaleMLClassificationModel m) {
        TrainingSummary s = m.summary();
        for (TrainingSummary.Epoch e : s.epochs()) {
            out.println(o.json ? jsonLine(est, s, e, m.parameters().length) : textLine(e));
        }
        if (!o.json) {
            out.printf(Locale.ROOT, "run %s: %d stage attempt(s)%s%n", s.runId(), s.stageAttempts(),
                    o.out == null ? "" : ", model saved to " + o.out);
        }
    }

    /** The run's label: {@code --label}, else model, trainer, codec, aggregator and workers. */
    String runLabel(ScaleMLClassifier est, int world) {
        if (o.label != null) {
            return o.label;
        }
        String tr = est.getTrainer();
        String how = tr.equals("sync") ? "" : tr + (tr.equals("local") || tr.equals("swarm")
                ? " H=" + est.getLocalSteps() : "") + " ";
        String robust = o.aggregator.equalsIgnoreCase("mean") ? "" : " " + o.aggregator;
        return o.model + " " + how + (o.codec.equalsIgnoreCase("none") ? "fp32" : o.codec) + robust + " x" + world;
    }

    String jsonLine(ScaleMLClassifier est, TrainingSummary s, TrainingSummary.Epoch e, long parameters) {
        ObjectNode n = JSON.createObjectNode();
        n.put("label", runLabel(est, s.workers()));
        n.put("epoch", e.epoch());
        n.put("steps", e.steps());
        n.put("epochSteps", e.epochSteps());
        putFinite(n, "trainLoss", e.trainLoss(), 6);
        putFinite(n, "testAccuracy", e.validationAccuracy(), 6);
        n.put("seconds", Decimals.round(e.seconds(), 3));
        n.put("elapsedSeconds", Decimals.round(e.elapsedSeconds(), 3));
        n.put("bytesSentPerRank", e.bytesSentPerRank());
        n.put("totalBytesSentPerRank", e.totalBytesSentPerRank());
        n.put("bytesPerStep", e.bytesPerStep());
        n.put("stepsPerSecond", Decimals.round(e.stepsPerSecond(), 3));
        n.put("paramsIdentical", e.paramsIdentical());
        n.put("data", o.data);
        n.put("model", o.model);
        String tr = est.getTrainer();
        n.put("trainer", tr);
        if (tr.equals("local") || tr.equals("swarm")) {
            n.put("localSteps", est.getLocalSteps());
        }
        n.put("aggregator", est.getAggregator());
        n.put("codec", o.codec);
        n.put("plan", s.plan());
        n.put("workers", s.workers());
        n.put("batch", o.batch);
        n.put("transport", "spark");
        n.put("links", s.links());
        n.put("optimizer", est.getOptimizer());
        n.put("parameters", parameters);
        n.put("runId", s.runId());
        n.put("stageAttempts", s.stageAttempts());
        try {
            return JSON.writeValueAsString(n);
        } catch (JsonProcessingException ex) {
            throw new IllegalStateException("cannot write JSON: " + ex.getMessage(), ex);
        }
    }

    static String textLine(TrainingSummary.Epoch e) {
        return String.format(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %s, %.1f s, %.1f steps/s, "
                        + "%,d bytes sent per worker (%,d per step)%s", e.epoch(), e.trainLoss(),
                Double.isNaN(e.validationAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f",
                        e.validationAccuracy()), e.seconds(), e.stepsPerSecond(), e.bytesSentPerRank(),
                e.bytesPerStep(), e.paramsIdentical() ? "" : ", workers' parameters differ");
    }

    private static void putFinite(ObjectNode n, String key, double v, int digits) {
        if (Double.isFinite(v)) {
            n.put(key, Decimals.round(v, digits));
        } else {
            n.putNull(key);
        }
    }
}
