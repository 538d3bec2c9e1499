package org.scaleml.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.scaleml.spark.TrainJob.Usage;
import org.scaleml.train.GradientExchange;
import org.scaleml.train.LayerCodecs;
import org.scaleml.train.robust.Aggregators;
import picocli.CommandLine.Option;

/**
 * The options of {@link TrainJob} (a picocli mixin): the data and its format, the model and how the workers train
 * and exchange gradients, checkpoints, the output. The fields hold the values as given; {@link #estimator} checks
 * every one that needs no data or cluster and turns them into a {@link ScaleMLClassifier}. The declaration order is
 * the order of the options in {@code --help}.
 *
 * <p>Not thread-safe; one instance serves one run of the job.
 */
final class TrainJobOptions {
    @Option(names = "--data", required = true, paramLabel = "PATH",
            description = "training data: a LIBSVM, Parquet or CSV file (or Parquet/CSV directory), or an IDX "
                    + "directory; any Hadoop path")
    String data;

    @Option(names = "--test", paramLabel = "PATH",
            description = "test data in the same format, whose accuracy is reported after every epoch (default: "
                    + "PATH.t for LIBSVM, the t10k files for IDX, none otherwise)")
    String test;

    @Option(names = "--format", paramLabel = "FMT", defaultValue = "auto",
            description = "libsvm, parquet, csv, idx or auto (default: ${DEFAULT-VALUE})")
    String format;

    @Option(names = "--features", paramLabel = "N", description = "LIBSVM: the number of features (default: the "
            + "largest index in the files)")
    Integer features;

    @Option(names = "--features-col", paramLabel = "NAME", defaultValue = "features",
            description = "Parquet: the features vector column (default: ${DEFAULT-VALUE})")
    String featuresCol;

    @Option(names = "--label-col", paramLabel = "NAME", defaultValue = "label",
            description = "Parquet and CSV: the label column (default: ${DEFAULT-VALUE})")
    String labelCol;

    @Option(names = "--model", paramLabel = "SPEC", defaultValue = "mlp",
            description = "logreg, softmax, mlp[:hidden=256-128,act=relu], cnn[:c1=16,c2=32,fc=128] "
                    + "(default: ${DEFAULT-VALUE})")
    String model;

    @Option(names = "--optimizer", paramLabel = "SPEC",
            description = "sgd:lr=..,momentum=..,nesterov=true,wd=.. or adam:lr=..; schedule=cosine|step, warmup=W "
                    + "(default: the model's, as scaleml train)")
    String optimizer;

    @Option(names = "--codec", paramLabel = "SPEC", defaultValue = "none",
            description = "gradient codec of every layer of at least --min-compress elements, e.g. qsgd:bits=4, "
                    + "ef:topk:ratio=0.01, or none (default: ${DEFAULT-VALUE})")
    String codec;

    @Option(names = "--layer-codec", paramLabel = "LAYER=SPEC",
            description = "per-layer override, repeatable: a layer name or PREFIX* and a codec or none")
    List<String> layerCodecs = new ArrayList<>();

    @Option(names = "--min-compress", paramLabel = "N", defaultValue = "1024",
            description = "layers with fewer elements travel uncompressed (default: ${DEFAULT-VALUE})")
    int minCompress;

    @Option(names = "--trainer", paramLabel = "NAME", defaultValue = "sync",
            description = "sync, local (local SGD), swarm (SwarmSGD gossip) or partial (majority allreduce) "
                    + "(default: ${DEFAULT-VALUE})")
    String trainer;

    @Option(names = "--local-steps", paramLabel = "H",
            description = "local and swarm: local steps between averagings (default: 8 local, 2 swarm)")
    Integer localSteps;

    @Option(names = "--aggregator", paramLabel = "RULE", defaultValue = "mean",
            description = "sync: mean, median, trimmed-mean[:trim=B], krum[:m=M], clip[:tau=T,iters=L] "
                    + "(default: ${DEFAULT-VALUE})")
    String aggregator;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2",
            description = "workers: barrier tasks, one partition each; the cluster needs N free task slots "
                    + "(default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "5", description = "epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--batch", paramLabel = "B", defaultValue = "32",
            description = "examples per worker per step (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--max-steps", paramLabel = "S", defaultValue = "0",
            description = "at most S steps per epoch, 0 for a full pass (default: ${DEFAULT-VALUE})")
    int maxSteps;

    @Option(names = "--seed", defaultValue = "42",
            description = "seed of initialization, shuffles and codecs (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--checkpoint", paramLabel = "PATH",
            description = "checkpoint under PATH/RUN_ID (any Hadoop path; its parent must exist); a retried "
                    + "stage resumes from the newest checkpoint every worker has")
    String checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "K", defaultValue = "200",
            description = "steps between checkpoints (default: ${DEFAULT-VALUE})")
    int checkpointEvery;

    @Option(names = "--input-shape", paramLabel = "CxHxW",
            description = "the features' shape, e.g. 1x28x28 for cnn (default: IDX images' shape, else flat)")
    String inputShape;

    @Option(names = "--port-range", paramLabel = "FROM-TO",
            description = "ports the workers listen on, for firewalled clusters (default: ephemeral)")
    String portRange;

    @Option(names = "--run-id", paramLabel = "ID",
            description = "the run's id (checkpoints under --checkpoint/ID); a previous run's id resumes it "
                    + "(default: a fresh id)")
    String runId;

    @Option(names = "--network-timeout", paramLabel = "SECONDS", defaultValue = "60",
            description = "time limit of every blocking network call between workers (default: ${DEFAULT-VALUE})")
    int networkTimeout;

    @Option(names = "--label", paramLabel = "TEXT",
            description = "name of the run in the output (default: model, trainer, codec and workers)")
    String label;

    @Option(names = "--out", paramLabel = "PATH",
            description = "save the trained model here (Spark ML format, overwritten; its parent must exist); "
                    + "load it with ScaleMLClassificationModel.load(PATH)")
    String out;

    @Option(names = "--json", description = "print JSON lines (keys below)")
    boolean json;

    @Option(names = "--master", paramLabel = "URL", defaultValue = "local[*]",
            description = "Spark master when spark.master is not set (spark-submit sets it; default: "
                    + "${DEFAULT-VALUE})")
    String master;

    /** The estimator the flags describe, with every check that needs no data or cluster done here. */
    ScaleMLClassifier estimator() {
        atLeast("--workers", workers, 1);
        atLeast("--epochs", epochs, 1);
        atLeast("--batch", batch, 1);
        atLeast("--max-steps", maxSteps, 0);
        atLeast("--min-compress", minCompress, 0);
        atLeast("--checkpoint-every", checkpointEvery, 1);
        atLeast("--network-timeout", networkTimeout, 1);
        if (features != null) {
            atLeast("--features", features, 1);
        }
        String fmt = format.toLowerCase(Locale.ROOT);
        if (!JobData.FORMATS.contains(fmt)) {
            throw new Usage("--format must be one of " + String.join(", ", JobData.FORMATS) + ", got '" + format
                    + "'");
        }
        String tr = trainer.toLowerCase(Locale.ROOT);
        if (!List.of("sync", "local", "swarm", "partial").contains(tr)) {
            throw new Usage("--trainer must be sync, local, swarm or partial on Spark, got '" + trainer + "'");
        }
        if (localSteps != null) {
            if (!tr.equals("local") && !tr.equals("swarm")) {
                throw new Usage("--local-steps applies to --trainer local or swarm");
            }
            atLeast("--local-steps", localSteps, 1);
        }
        try {
            GradientExchange.validateCodec(codec);
        } catch (IllegalArgumentException e) {
            throw new Usage("--codec: " + e.getMessage());
        }
        try {
            LayerCodecs.parse(layerCodecs);
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
        if (!aggregator.equalsIgnoreCase("mean")) {
            try {
                Aggregators.create(aggregator, workers, 0);
            } catch (IllegalArgumentException e) {
                throw new Usage("--aggregator: " + e.getMessage());
            }
        }
        String modelName = model.trim().split(":", 2)[0].toLowerCase(Locale.ROOT);
        if (!org.scaleml.train.model.Models.names().contains(modelName)) { // before any data is read
            throw new Usage("--model: unknown model '" + modelName + "'; known: "
                    + String.join(", ", org.scaleml.train.model.Models.names()));
        }
        ScaleMLClassifier est = new ScaleMLClassifier().setModelSpec(model).setCodec(codec)
                .setLayerCodecs(layerCodecs.toArray(new String[0])).setMinCompressed(minCompress).setTrainer(tr)
                .setLocalSteps(localSteps == null ? 0 : localSteps).setAggregator(aggregator).setNumWorkers(workers)
                .setEpochs(epochs).setBatchSize(batch).setMaxStepsPerEpoch(maxSteps).setSeed(seed)
                .setCheckpointEvery(checkpointEvery).setNetworkTimeoutSeconds(networkTimeout);
        est.setFeaturesCol(JobData.FEATURES);
        est.setLabelCol(JobData.LABEL);
        if (optimizer != null) {
            est.setOptimizer(optimizer);
        }
        if (checkpoint != null) {
            est.setCheckpointPath(checkpoint);
        }
        if (runId != null) {
            if (!runId.matches("[A-Za-z0-9._-]{1,128}")) {
                throw new Usage("--run-id must be 1 to 128 letters, digits, '.', '_' or '-', got '" + runId + "'");
            }
            est.setRunId(runId);
        }
        if (portRange != null) {
            est.setPortRange(portRange);
            try {
                est.ports();
            } catch (IllegalArgumentException e) {
                throw new Usage("--port-range: " + e.getMessage());
            }
        }
        if (inputShape != null) {
            if (!inputShape.matches("\\s*[1-9][0-9]*(\\s*x\\s*[1-9][0-9]*)*\\s*")) {
                throw new Usage("--input-shape must be positive sizes joined by x, e.g. 1x28x28, got '" + inputShape
                        + "'");
            }
            est.setInputShape(inputShape);
        }
        try {
            est.coordination();
        } catch (IllegalArgumentException e) {
            throw new Usage(e.getMessage());
        }
        return est;
    }

    private static void atLeast(String flag, long v, long min) {
        if (v < min) {
            throw new Usage(flag + " must be at least " + min + ", got " + v);
        }
    }
}
