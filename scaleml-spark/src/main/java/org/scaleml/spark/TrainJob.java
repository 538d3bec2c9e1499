package org.scaleml.spark;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.Locale;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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
 *
 * <p>This class runs the job (Spark session, path checks, reading, fitting, saving); its options and their checks
 * are {@link TrainJobOptions}, reading the input is {@link JobData}, and what it prints is {@link TrainJobOutput}.
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
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "print this help and exit")
    boolean help;

    @Mixin
    final TrainJobOptions o = new TrainJobOptions();

    /** Exit code 2 with a one-line message. */
    static final class Usage extends RuntimeException {
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
        ScaleMLClassifier est = o.estimator();
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
        if (o.checkpoint != null) {
            checkParent(sc, o.checkpoint, "--checkpoint");
        }
        if (o.out != null) {
            checkParent(sc, o.out, "--out");
        }
        sc.setJobDescription("ScaleML TrainJob: reading " + o.data);
        JobData.Loaded in;
        try {
            in = new JobData(spark, o.featuresCol, o.labelCol, o.features).load(o.data, o.test,
                    o.format.toLowerCase(Locale.ROOT));
        } catch (JobData.BadInput | IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new JobData.BadInput("--data " + o.data + ": " + JobData.firstLine(e));
        }
        if (o.inputShape == null && in.inputShape() != null) {
            est.setInputShape(in.inputShape());
        }
        if (in.test() != null) {
            est.setValidationData(in.test());
        }
        TrainJobOutput output = new TrainJobOutput(o);
        output.printHeader(out, est, in);
        sc.setJobDescription(null);
        if (System.console() != null) { // on a terminal: the run's progress as executors report it
            est.setProgress((done, total) -> err.printf(Locale.ROOT, "scaleml-spark: step %,d of %,d (%d%%)%n", done,
                    total, total == 0 ? 0 : 100 * done / total));
        }
        ScaleMLClassificationModel m = est.fit(in.train());
        if (o.out != null) {
            sc.setJobDescription("ScaleML TrainJob: saving the model to " + o.out);
            m.write().overwrite().save(o.out);
            sc.setJobDescription(null);
        }
        output.printResult(out, est, m);
        out.flush();
        return 0;
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
            b = b.master(o.master);
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
