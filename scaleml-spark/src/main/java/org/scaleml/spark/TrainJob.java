package org.scaleml.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.scaleml.train.GradientExchange;
import org.scaleml.train.robust.Aggregators;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The {@code spark-submit} entry point: reads a data set from any Hadoop path, trains a {@link ScaleMLClassifier} on
 * the cluster, saves the model, and prints one line per epoch (JSON with {@code --json}, the keys of
 * {@code scaleml train --json} where they apply).
 *
 * <pre>
 * spark-submit --master yarn --deploy-mode cluster --num-executors 4 --executor-cores 1 \
 *     --conf spark.dynamicAllocation.enabled=false --class org.scaleml.spark.TrainJob scaleml-spark.jar \
 *     --data hdfs:///data/a9a --model logreg --workers 4 --epochs 5 --out hdfs:///models/a9a --json
 * </pre>
 *
 * <p>Exit codes: 0 done; 2 bad flags or input (one line on stderr naming the flag or path); 1 training failed (one
 * line on stderr). {@link #run} does the work without exiting, for tests and embedding.
 */
@Command(name = "scaleml-spark", sortOptions = false, usageHelpWidth = 110,
        description = {
                "Trains a ScaleML classifier data-parallel on a Spark cluster: --workers barrier tasks, one partition",
                "each, exchanging gradients over ScaleML's authenticated TCP collectives (compressed by --codec).",
                "Run it with spark-submit --class org.scaleml.spark.TrainJob scaleml-spark.jar [options].",
                "",
                "Data (--data, any Hadoop path: file:, hdfs:, s3a:, ...), --format auto picks by name or contents:",
                "  libsvm   'label index:value ...' lines; the test set is PATH.t when present and --test is not given",
                "  parquet  a file or directory with a vector column (--features-col) and a label column (--label-col)",
                "  csv      a header line; --label-col is the label, every other numeric column a feature",
                "  idx      a directory with train-images-idx3-ubyte[.gz] and train-labels-idx1-ubyte[.gz] (and t10k-*",
                "           as test set), read on the driver; pixels / 255, input shape 1xROWSxCOLS",
                "Labels that are not all non-negative integers are mapped as scaleml train maps them (-1/+1 to 0/1,",
                "else the sorted distinct labels, numbers or strings, to 0..K-1).",
                "",
        },
        footerHeading = "%nOutput: one line per epoch after training (with --json a JSON object). Keys:%n",
        footer = {
                "  epoch, steps     1-based epoch; global steps done at its end (epochSteps: in this epoch)",
                "  trainLoss        mean training loss of the epoch's steps over all workers (null if it diverged)",
                "  testAccuracy     accuracy on the test data after the epoch (null without test data)",
                "  seconds          wall time of the epoch's training steps (evaluation excluded)",
                "  elapsedSeconds   training seconds since the run began (including before a resumption)",
                "  bytesSentPerRank payload bytes one worker sent in the epoch (mean over workers)",
                "  totalBytesSentPerRank   the same since the run began; bytesPerStep: per step in the epoch",
                "  stepsPerSecond   steps per second of training time in the epoch",
                "  paramsIdentical  every worker's parameters were bitwise equal at the epoch's end (swarm: false)",
                "  plan             the gradient exchange's plan",
                "  links            how the workers exchanged frames: memory (all in one JVM), tcp, or memory+tcp",
                "                   (workers sharing an executor JVM through memory, TCP between JVMs)",
                "  label, data, model, trainer, localSteps (local, swarm), aggregator, codec, workers, batch,",
                "  transport (\"spark\"), optimizer, parameters, runId, stageAttempts: the run",
                "",
                "Exit codes: 0 done, 2 bad flags or input, 1 training failed.",
                "",
                "Examples:",
                "  spark-submit --master local[4] --class org.scaleml.spark.TrainJob scaleml-spark/target/scaleml-spark.jar \\",
                "      --data a9a --model logreg --workers 2 --epochs 3 --out /tmp/a9a-model --json",
                "  ... --data hdfs:///data/fashion-mnist --model cnn --workers 4 --codec qsgd:bits=4 \\",
                "      --checkpoint hdfs:///tmp/scaleml --checkpoint-every 200 --out hdfs:///models/cnn%n",
        })
public final class TrainJob {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

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

    /** Exit code 2 with a one-line message. */
    private static final class Usage extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Usage(String message) {
            super(message);
        }
    }

    /** Runs the job and exits with its code (0, 1 or 2). */
    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.exit(code);
    }

    /**
     * Runs the job: parses {@code args}, reads the data, trains, saves the model and prints the epoch lines on
     * {@code out}. Uses the active Spark session if there is one (it is left running), else creates one (and stops
     * it at the end).
     *
     * @return 0 on success, 2 for bad flags or input, 1 if training failed; the reason is one line on {@code err}
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        TrainJob job = new TrainJob();
        CommandLine cl = new CommandLine(job);
        try {
            cl.parseArgs(args);
        } catch (ParameterException e) {
            err.println("scaleml-spark: " + JobData.firstLine(e) + " (see --help)");
            return 2;
        }
        if (cl.isUsageHelpRequested()) {
            PrintWriter pw = new PrintWriter(out, true);
            cl.usage(pw);
            pw.flush();
            return 0;
        }
        try {
            return job.call(out, err);
        } catch (Usage | JobData.BadInput | IllegalArgumentException e) {
            err.println("scaleml-spark: " + JobData.firstLine(e));
            return 2;
        } catch (Exception | LinkageError e) {
            err.println("scaleml-spark: training failed: " + reason(e));
            return 1;
        }
    }

    private int call(PrintStream out, PrintStream err) throws IOException {
        ScaleMLClassifier est = estimator();
        SparkSession active = activeSession();
        SparkSession spark = active != null ? active : newSession();
        try {
            return train(spark, est, out, err);
        } finally {
            if (active == null) {
                spark.stop();
            }
        }
    }

    private int train(SparkSession spark, ScaleMLClassifier est, PrintStream out, PrintStream err)
            throws IOException {
        SparkContext sc = spark.sparkContext();
        if (checkpoint != null) {
            checkParent(sc, checkpoint, "--checkpoint");
        }
        if (this.out != null) {
            checkParent(sc, this.out, "--out");
        }
        sc.setJobDescription("ScaleML TrainJob: reading " + data);
        JobData.Loaded in;
        try {
            in = new JobData(spark, featuresCol, labelCol, features).load(data, test, format.toLowerCase(Locale.ROOT));
        } catch (JobData.BadInput | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobData.BadInput("--data " + data + ": " + JobData.firstLine(e));
        }
        if (inputShape == null && in.inputShape() != null) {
            est.setInputShape(in.inputShape());
        }
        if (in.test() != null) {
            est.setValidationData(in.test());
        }
        if (!json) {
            out.printf(Locale.ROOT, "training %s on %s (%s%s) with %d workers x batch %d, %s, %s%n", model, data,
                    in.format(), in.testPath() == null ? ", no test data" : ", test data " + in.testPath(), workers,
                    batch, est.getOptimizer(), codec.equalsIgnoreCase("none") ? "uncompressed" : "codec " + codec);
            if (in.labelMap() != null) {
                out.println("labels mapped to classes: " + in.labelMap());
            }
        }
        sc.setJobDescription(null);
        if (System.console() != null) { // on a terminal: the run's progress as executors report it
            est.setProgress((done, total) -> err.printf(Locale.ROOT, "scaleml-spark: step %,d of %,d (%d%%)%n", done,
                    total, total == 0 ? 0 : 100 * done / total));
        }
        ScaleMLClassificationModel m = est.fit(in.train());
        if (this.out != null) {
            sc.setJobDescription("ScaleML TrainJob: saving the model to " + this.out);
            m.write().overwrite().save(this.out);
            sc.setJobDescription(null);
        }
        TrainingSummary s = m.summary();
        for (TrainingSummary.Epoch e : s.epochs()) {
            out.println(json ? jsonLine(est, s, e, m.parameters().length) : textLine(e));
        }
        if (!json) {
            out.printf(Locale.ROOT, "run %s: %d stage attempt(s)%s%n", s.runId(), s.stageAttempts(),
                    this.out == null ? "" : ", model saved to " + this.out);
        }
        out.flush();
        return 0;
    }

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
        for (String lc : layerCodecs) {
            int eq = lc.indexOf('=');
            if (eq <= 0 || eq == lc.length() - 1) {
                throw new Usage("--layer-codec must be LAYER=SPEC, got '" + lc + "'");
            }
            String c = lc.substring(eq + 1);
            if (!c.equalsIgnoreCase("none")) {
                try {
                    GradientExchange.validateCodec(c);
                } catch (IllegalArgumentException e) {
                    throw new Usage("--layer-codec " + lc + ": " + e.getMessage());
                }
            }
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

    private static SparkSession activeSession() {
        scala.Option<SparkSession> a = SparkSession.getActiveSession();
        if (a.isDefined()) {
            return a.get();
        }
        scala.Option<SparkSession> d = SparkSession.getDefaultSession();
        return d.isDefined() ? d.get() : null;
    }

    private SparkSession newSession() {
        SparkSession.Builder b = SparkSession.builder().appName("ScaleML TrainJob");
        if (!new SparkConf().contains("spark.master")) {
            b = b.master(master);
        }
        return b.getOrCreate();
    }

    /** A path whose parent directory must exist (the job creates the last component). */
    private static void checkParent(SparkContext sc, String path, String flag) {
        Path p;
        try {
            p = new Path(path);
        } catch (IllegalArgumentException e) {
            throw new Usage(flag + " " + path + ": " + e.getMessage());
        }
        Path parent = p.getParent();
        try {
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            if (fs.exists(p)) {
                return;
            }
            if (parent != null && !fs.getFileStatus(parent).isDirectory()) {
                throw new Usage(flag + " " + path + ": " + parent + " is not a directory");
            }
        } catch (java.io.FileNotFoundException e) {
            throw new Usage(flag + " " + path + ": the parent directory " + parent + " does not exist");
        } catch (IOException e) {
            throw new Usage(flag + " " + path + ": " + JobData.firstLine(e));
        }
    }

    // ------------------------------------------------------------------------------------------------ output

    String runLabel(ScaleMLClassifier est, int world) {
        if (label != null) {
            return label;
        }
        String tr = est.getTrainer();
        String how = tr.equals("sync") ? "" : tr + (tr.equals("local") || tr.equals("swarm")
                ? " H=" + est.getLocalSteps() : "") + " ";
        String robust = aggregator.equalsIgnoreCase("mean") ? "" : " " + aggregator;
        return model + " " + how + (codec.equalsIgnoreCase("none") ? "fp32" : codec) + robust + " x" + world;
    }

    private String jsonLine(ScaleMLClassifier est, TrainingSummary s, TrainingSummary.Epoch e, long parameters) {
        ObjectNode n = JSON.createObjectNode();
        n.put("label", runLabel(est, s.workers()));
        n.put("epoch", e.epoch());
        n.put("steps", e.steps());
        n.put("epochSteps", e.epochSteps());
        putFinite(n, "trainLoss", e.trainLoss(), 6);
        putFinite(n, "testAccuracy", e.validationAccuracy(), 6);
        n.put("seconds", round(e.seconds(), 3));
        n.put("elapsedSeconds", round(e.elapsedSeconds(), 3));
        n.put("bytesSentPerRank", e.bytesSentPerRank());
        n.put("totalBytesSentPerRank", e.totalBytesSentPerRank());
        n.put("bytesPerStep", e.bytesPerStep());
        n.put("stepsPerSecond", round(e.stepsPerSecond(), 3));
        n.put("paramsIdentical", e.paramsIdentical());
        n.put("data", data);
        n.put("model", model);
        String tr = est.getTrainer();
        n.put("trainer", tr);
        if (tr.equals("local") || tr.equals("swarm")) {
            n.put("localSteps", est.getLocalSteps());
        }
        n.put("aggregator", est.getAggregator());
        n.put("codec", codec);
        n.put("plan", s.plan());
        n.put("workers", s.workers());
        n.put("batch", batch);
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

    private static String textLine(TrainingSummary.Epoch e) {
        return String.format(Locale.ROOT, "epoch %d: train loss %.4f, test accuracy %s, %.1f s, %.1f steps/s, "
                        + "%,d bytes sent per worker (%,d per step)%s", e.epoch(), e.trainLoss(),
                Double.isNaN(e.validationAccuracy()) ? "-" : String.format(Locale.ROOT, "%.4f",
                        e.validationAccuracy()), e.seconds(), e.stepsPerSecond(), e.bytesSentPerRank(),
                e.bytesPerStep(), e.paramsIdentical() ? "" : ", workers' parameters differ");
    }

    private static void putFinite(ObjectNode n, String key, double v, int digits) {
        if (Double.isFinite(v)) {
            n.put(key, round(v, digits));
        } else {
            n.putNull(key);
        }
    }

    private static double round(double v, int digits) {
        if (!Double.isFinite(v)) {
            return v;
        }
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    /** The most telling one-line reason of a failure: the deepest cause's first line. */
    static String reason(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String deepest = JobData.firstLine(t);
        String top = JobData.firstLine(e);
        return t == e || top.contains(deepest) ? top : top + " (" + deepest + ")";
    }
}
