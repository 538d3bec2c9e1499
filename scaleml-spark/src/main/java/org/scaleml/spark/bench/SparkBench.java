package org.scaleml.spark.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.LogisticRegression;
import org.apache.spark.ml.classification.LogisticRegressionModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerStageCompleted;
import org.apache.spark.scheduler.StageInfo;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.TcpConfig;
import org.scaleml.comm.transport.TcpTransport;
import org.scaleml.spark.ScaleMLClassificationModel;
import org.scaleml.spark.ScaleMLClassifier;
import org.scaleml.spark.TrainingSummary;
import org.scaleml.train.DataParallelTrainer;
import org.scaleml.train.EpochReport;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.data.Datasets;
import org.scaleml.train.optim.Optimizers;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Benchmarks of {@link ScaleMLClassifier} on Spark against Spark MLlib's own estimators and against ScaleML's
 * in-process training, all in one {@code local[2]} Spark session per JVM, on data loaded into DataFrames that are
 * materialized in Spark's block manager before any timing.
 *
 * <p><b>Run</b> (from the project root; builds {@code scaleml-spark}, writes its class path, runs this class):
 * <pre>{@code
 * scripts/spark-bench.sh fmnist|a9a|overhead|bytes [OUT.jsonl]
 * }</pre>
 * which is
 * <pre>{@code
 * ./mvnw -B -q -pl scaleml-spark -am install -DskipTests
 * SPARK_LOCAL_IP=127.0.0.1 java -Xmx6g <spark.test.jvm.args of scaleml-spark/pom.xml> \
 *     -Dlog4j2.configurationFile=scripts/spark-bench-log4j2.properties \
 *     -cp scaleml-spark/target/classes:$(cat scaleml-spark/target/classpath.txt) \
 *     org.scaleml.spark.bench.SparkBench MODE [options]
 * }</pre>
 *
 * <p><b>Modes.</b>
 * <ul>
 *   <li>{@code fmnist}: time to a target test accuracy (default 0.85) on Fashion-MNIST. ScaleML ({@code mlp}, the
 *       CLI's defaults: hidden 256-128 ReLU, its default optimizer, batch 32, 2 workers) is fitted with 1, 2, ...
 *       epochs until the last epoch's validation accuracy (the 10,000 test images) reaches the target; then a fresh
 *       fit with exactly that many epochs is timed (wall clock around {@code fit}, Spark's fixed costs included).
 *       MLlib's {@code MultilayerPerceptronClassifier} (784-256-128-10, as {@link MlpBaseline}) is fitted with
 *       growing {@code maxIter} until it reaches the target or the budget (default 600 s of fits) is spent; if it
 *       never does, MLlib's best accuracy becomes the target of both, and ScaleML's time to it is measured the
 *       same way. The ratio is MLlib's seconds over ScaleML's.</li>
 *   <li>{@code a9a}: ScaleML {@code logreg} (default optimizer, 3 epochs, 2 workers) against MLlib's
 *       {@code LogisticRegression} with default settings: test accuracy and fit seconds, medians of
 *       {@code --repeats} fits each (interleaved, after one untimed warm-up fit each), and ScaleML's time split into
 *       the epochs' training seconds and the rest (Spark's fixed costs); plus a fit of one step alone.</li>
 *   <li>{@code overhead}: the same training ({@code mlp}, 2 workers, 3 epochs, fixed seed) through {@code fit} and
 *       through {@link InProcessJob#train} with 2 in-process workers on the same data: median seconds per epoch over
 *       epochs 2..E of each, and their ratio; {@code --repeats} interleaved runs. A third contender, the same
 *       ranks as threads of this JVM over ScaleML's TCP transport on loopback without Spark, separates the cost of
 *       the transport (what the Spark tasks use) from that of Spark.</li>
 *   <li>{@code bytes}: bytes per step per rank for codec {@code none}, {@code qsgd:bits=4,norm=max} and
 *       {@code ef:topk:ratio=0.01} ({@code mlp}, 2 workers, 1 epoch of {@code --max-steps} steps), and the
 *       reduction factors against {@code none}.</li>
 * </ul>
 *
 * <p><b>Output.</b> One JSON object per measurement on stdout (keys {@code mode}, {@code kind}, the figures, and
 * {@code loadAverage}, the 1/5/15-minute load averages when the measurement ended); a readable line per measurement
 * and Spark's warnings on stderr. Exit status 0, or 2 for bad arguments or missing data.
 */
@Command(name = "SparkBench", mixinStandardHelpOptions = true, sortOptions = false,
        description = "ScaleMLClassifier on Spark local[N] against Spark MLlib and in-process training.")
public final class SparkBench implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODE", description = "fmnist, a9a, overhead or bytes")
    String mode;

    @Option(names = "--cores", paramLabel = "N", defaultValue = "2", description = "Spark master local[N] "
            + "(default: ${DEFAULT-VALUE})")
    int cores;

    @Option(names = "--workers", paramLabel = "N", defaultValue = "2", description = "ScaleML workers "
            + "(default: ${DEFAULT-VALUE})")
    int workers;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--target", paramLabel = "ACC", defaultValue = "0.85",
            description = "fmnist: target test accuracy (default: ${DEFAULT-VALUE})")
    double target;

    @Option(names = "--max-epochs", paramLabel = "E", defaultValue = "10",
            description = "fmnist: most epochs ScaleML is tried with (default: ${DEFAULT-VALUE})")
    int maxEpochs;

    @Option(names = "--mllib-budget", paramLabel = "SECONDS", defaultValue = "600",
            description = "fmnist: seconds of MLlib fits before it stops trying (default: ${DEFAULT-VALUE})")
    double mllibBudget;

    @Option(names = "--mllib-first-iter", paramLabel = "N", defaultValue = "20",
            description = "fmnist: MLlib's first maxIter; it doubles after each fit (default: ${DEFAULT-VALUE})")
    int mllibFirstIter;

    @Option(names = "--epochs", paramLabel = "E", defaultValue = "3",
            description = "a9a, overhead: epochs (default: ${DEFAULT-VALUE})")
    int epochs;

    @Option(names = "--repeats", paramLabel = "N", defaultValue = "3",
            description = "a9a, overhead, bytes: repetitions (medians are reported) (default: ${DEFAULT-VALUE})")
    int repeats;

    @Option(names = "--max-steps", paramLabel = "S", defaultValue = "100",
            description = "bytes: steps of the one epoch (default: ${DEFAULT-VALUE})")
    int maxSteps;

    @Option(names = "--fmnist", paramLabel = "NAME|DIR", defaultValue = "fashion-mnist",
            description = "Fashion-MNIST (a name or an IDX directory, as scaleml train --data)")
    String fmnistData;

    @Option(names = "--a9a", paramLabel = "FILE", defaultValue = "../shared/data/libsvm/a9a",
            description = "a9a in LIBSVM format (FILE.t is the test set) (default: ${DEFAULT-VALUE})")
    String a9aData;

    static final String[] CODECS = {"none", "qsgd:bits=4,norm=max", "ef:topk:ratio=0.01"};
    private static final ObjectMapper JSON = new ObjectMapper();
    private SparkSession spark;

    public static void main(String[] args) {
        BenchMain.run(new SparkBench(), args);
    }

    @Override
    public Integer call() throws Exception {
        if (!List.of("fmnist", "a9a", "overhead", "bytes").contains(mode)) {
            throw new IllegalArgumentException("MODE must be fmnist, a9a, overhead or bytes; got '" + mode + "'");
        }
        if (cores < workers || workers < 1 || repeats < 1 || epochs < 1 || maxEpochs < 1 || maxSteps < 1
                || mllibFirstIter < 1 || !(target > 0 && target <= 1) || !(mllibBudget > 0)) {
            throw new IllegalArgumentException("need 1 <= workers <= cores, positive repeats, epochs, max-epochs, "
                    + "max-steps, mllib-first-iter and mllib-budget, and 0 < target <= 1");
        }
        Datasets.TrainTest data = Datasets.load(mode.equals("a9a") ? a9aData : fmnistData);
        spark = SparkSession.builder().master("local[" + cores + "]").appName("scaleml-spark-bench-" + mode)
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            long t0 = System.nanoTime();
            Dataset<Row> train = frame(data.train());
            Dataset<Row> test = frame(data.test());
            log("Spark %s, local[%d], heap %d MiB, JDK %s; %s: train %d x %d, test %d (%s), materialized in %.1f s; "
                            + "load %s", spark.version(), cores, Runtime.getRuntime().maxMemory() >> 20,
                    Runtime.version(), data.train().name(), train.count(), data.train().features(), test.count(),
                    data.train().isSparse() ? "sparse" : "dense", (System.nanoTime() - t0) / 1e9, loadAverage());
            switch (mode) {
                case "fmnist" -> fmnist(train, test);
                case "a9a" -> a9a(train, test);
                case "overhead" -> overhead(train, test, data);
                default -> bytes(train);
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    // ------------------------------------------------------------------------------------------------ fmnist

    private ScaleMLClassifier scaleml(String model, int e) {
        return new ScaleMLClassifier().setModelSpec(model).setNumWorkers(workers).setEpochs(e).setSeed(seed);
    }

    private MultilayerPerceptronClassifier mllibMlp(int maxIter) {
        return new MultilayerPerceptronClassifier().setLayers(MlpBaseline.LAYERS).setBlockSize(128).setSeed(seed)
                .setMaxIter(maxIter);
    }

    private void fmnist(Dataset<Row> train, Dataset<Row> test) {
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        // untimed warm-ups: JIT, code generation, BLAS loading
        long w = System.nanoTime();
        scaleml("mlp", 1).setMaxStepsPerEpoch(30).fit(train);
        MultilayerPerceptronClassificationModel warm = mllibMlp(3).fit(train.limit(2000));
        accuracy.evaluate(warm.transform(test.limit(2000)));
        log("warm-up fits (ScaleML 30 steps, MLlib 3 iterations on 2000 rows): %.1f s", (System.nanoTime() - w) / 1e9);

        // ScaleML: smallest E whose last epoch reaches the target
        Map<Integer, Double> accByEpochs = new LinkedHashMap<>();
        Map<Integer, Double> secondsByEpochs = new LinkedHashMap<>();
        int reached = -1;
        for (int e = 1; e <= maxEpochs && reached < 0; e++) {
            Fit f = timeScaleml(train, e, test);
            accByEpochs.put(e, f.accuracy);
            secondsByEpochs.put(e, f.seconds);
            emit(f.json("fmnist", "scaleml-search").put("target", target));
            log("ScaleML mlp %d epoch(s): fit %.1f s (training %.1f s), validation accuracy %.4f", e, f.seconds,
                    f.trainSeconds, f.accuracy);
            if (f.accuracy >= target) {
                reached = e;
            }
        }
        Fit timed = null;
        if (reached > 0) {
            timed = timeScaleml(train, reached, test);
            double check = accuracy.evaluate(timed.model.transform(test));
            emit(timed.json("fmnist", "scaleml-time-to-target").put("target", target).put("transformAccuracy", check));
            log("ScaleML time to %.4f: %d epoch(s), fresh fit %.1f s (validation accuracy %.4f, transform %.4f)",
                    target, reached, timed.seconds, timed.accuracy, check);
        } else {
            log("ScaleML did not reach %.4f within %d epochs", target, maxEpochs);
        }

        // MLlib: growing maxIter until the target or the budget
        double spent = 0;
        double secondsPerIter = Double.NaN;
        int maxIter = mllibFirstIter;
        int lastMaxIter = 0;
        double bestAcc = -1;
        double bestSeconds = Double.NaN;
        int bestIter = 0;
        Double mllibToTarget = null;
        while (true) {
            if (!Double.isNaN(secondsPerIter) && spent + secondsPerIter * maxIter > mllibBudget) {
                // the next doubling would overrun the budget: one last fit with what the budget still allows
                maxIter = (int) Math.floor((mllibBudget - spent) / secondsPerIter);
                if (maxIter <= lastMaxIter) {
                    break;
                }
            }
            long t = System.nanoTime();
            MultilayerPerceptronClassificationModel m = mllibMlp(maxIter).fit(train);
            double seconds = (System.nanoTime() - t) / 1e9;
            double acc = accuracy.evaluate(m.transform(test));
            int iterations = m.summary().totalIterations();
            spent += seconds;
            secondsPerIter = seconds / Math.max(1, iterations);
            lastMaxIter = maxIter;
            emit(node("fmnist", "mllib-mlp").put("maxIter", maxIter).put("iterations", iterations)
                    .put("seconds", seconds).put("testAccuracy", acc).put("spentSeconds", spent));
            log("MLlib MLP maxIter %d (%d iterations): fit %.1f s, test accuracy %.4f (%.0f of %.0f s spent)",
                    maxIter, iterations, seconds, acc, spent, mllibBudget);
            if (acc > bestAcc) {
                bestAcc = acc;
                bestSeconds = seconds;
                bestIter = maxIter;
            }
            if (acc >= target) {
                mllibToTarget = seconds;
                break;
            }
            if (spent >= mllibBudget || iterations < maxIter) { // budget spent, or L-BFGS converged
                break;
            }
            maxIter *= 2;
        }

        ObjectNode r = node("fmnist", "time-to-accuracy-ratio");
        if (mllibToTarget != null && timed != null) {
            r.put("accuracy", target).put("mllibReached", true).put("mllibSeconds", mllibToTarget)
                    .put("scalemlEpochs", reached).put("scalemlSeconds", timed.seconds)
                    .put("ratio", mllibToTarget / timed.seconds);
            emit(r);
            log("time to %.4f: MLlib %.1f s, ScaleML %.1f s (%d epochs): %.1fx", target, mllibToTarget,
                    timed.seconds, reached, mllibToTarget / timed.seconds);
            return;
        }
        // MLlib never reached the target: ScaleML's time to MLlib's best accuracy
        int e = -1;
        for (Map.Entry<Integer, Double> en : accByEpochs.entrySet()) {
            if (en.getValue() >= bestAcc) {
                e = en.getKey();
                break;
            }
        }
        r.put("accuracy", bestAcc).put("target", target).put("mllibReached", false).put("mllibMaxIter", bestIter)
                .put("mllibSeconds", bestSeconds).put("mllibSpentSeconds", spent);
        if (e < 0) {
            r.putNull("scalemlEpochs").putNull("ratio");
            emit(r);
            log("ScaleML did not reach MLlib's best accuracy %.4f within the epochs tried", bestAcc);
            return;
        }
        Fit toBest = e == reached && timed != null ? timed : timeScaleml(train, e, test);
        if (toBest != timed) {
            emit(toBest.json("fmnist", "scaleml-time-to-mllib-best").put("target", bestAcc));
        }
        r.put("scalemlEpochs", e).put("scalemlSeconds", toBest.seconds).put("scalemlAccuracy", toBest.accuracy)
                .put("ratio", bestSeconds / toBest.seconds);
        emit(r);
        log("MLlib did not reach %.4f within %.0f s; its best %.4f (maxIter %d) took %.1f s; ScaleML reached it "
                + "with %d epoch(s) in %.1f s: %.1fx", target, mllibBudget, bestAcc, bestIter, bestSeconds, e,
                toBest.seconds, bestSeconds / toBest.seconds);
    }

    /** One timed ScaleML fit and its summary. */
    private record Fit(double seconds, double trainSeconds, double accuracy, TrainingSummary summary,
                       ScaleMLClassificationModel model) {
        ObjectNode json(String mode, String kind) {
            TrainingSummary.Epoch last = summary.last();
            ObjectNode n = node(mode, kind).put("epochs", summary.epochs().size()).put("steps", last.steps())
                    .put("seconds", seconds).put("trainSeconds", trainSeconds)
                    .put("fixedSeconds", seconds - trainSeconds).put("validationAccuracy", accuracy);
            n.putArray("epochSeconds").addAll(summary.epochs().stream()
                    .map(ep -> JSON.getNodeFactory().numberNode(ep.seconds())).toList());
            return n;
        }
    }

    private Fit timeScaleml(Dataset<Row> train, int e, Dataset<Row> test) {
        ScaleMLClassifier est = scaleml("mlp", e).setValidationData(test);
        long t = System.nanoTime();
        ScaleMLClassificationModel m = est.fit(train);
        double seconds = (System.nanoTime() - t) / 1e9;
        TrainingSummary s = m.summary();
        return new Fit(seconds, trainSeconds(s), s.last().validationAccuracy(), s, m);
    }

    // ------------------------------------------------------------------------------------------------ a9a

    private void a9a(Dataset<Row> train, Dataset<Row> test) throws InterruptedException {
        MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator().setMetricName("accuracy");
        Supplier<ScaleMLClassifier> ours = () -> scaleml("logreg", epochs);
        Supplier<LogisticRegression> theirs = LogisticRegression::new;
        long w = System.nanoTime();
        ours.get().fit(train);
        theirs.get().fit(train);
        log("warm-up fits (one each, untimed): %.1f s", (System.nanoTime() - w) / 1e9);

        List<Double> sSec = new ArrayList<>();
        List<Double> sTrain = new ArrayList<>();
        List<Double> sAcc = new ArrayList<>();
        List<Double> mSec = new ArrayList<>();
        List<Double> mAcc = new ArrayList<>();
        List<Double> mIter = new ArrayList<>();
        StageTimes stages = new StageTimes();
        spark.sparkContext().addSparkListener(stages);
        for (int r = 1; r <= repeats; r++) {
            stages.drain();
            stages.clear();
            long t = System.nanoTime();
            ScaleMLClassificationModel m = ours.get().fit(train);
            double seconds = (System.nanoTime() - t) / 1e9;
            com.fasterxml.jackson.databind.node.ArrayNode fitStages = stages.drain();
            double acc = accuracy.evaluate(m.transform(test));
            double tr = trainSeconds(m.summary());
            sSec.add(seconds);
            sTrain.add(tr);
            sAcc.add(acc);
            emit(node("a9a", "scaleml-logreg").put("repeat", r).put("epochs", epochs)
                    .put("optimizer", Optimizers.defaultFor("logreg")).put("seconds", seconds)
                    .put("trainSeconds", tr).put("fixedSeconds", seconds - tr).put("testAccuracy", acc)
                    .set("stages", fitStages));
            log("ScaleML logreg %d epochs: fit %.2f s (training %.2f s, rest %.2f s), test accuracy %.4f; stages %s",
                    epochs, seconds, tr, seconds - tr, acc, fitStages);

            t = System.nanoTime();
            LogisticRegressionModel lm = theirs.get().fit(train);
            seconds = (System.nanoTime() - t) / 1e9;
            acc = accuracy.evaluate(lm.transform(test));
            int iterations = lm.summary().totalIterations();
            mSec.add(seconds);
            mAcc.add(acc);
            mIter.add((double) iterations);
            emit(node("a9a", "mllib-logreg").put("repeat", r).put("iterations", iterations).put("seconds", seconds)
                    .put("testAccuracy", acc));
            log("MLlib LogisticRegression (defaults, %d iterations): fit %.2f s, test accuracy %.4f", iterations,
                    seconds, acc);
        }
        // Spark's fixed costs alone: one step of one epoch
        stages.drain();
        stages.clear();
        long t = System.nanoTime();
        ScaleMLClassificationModel one = scaleml("logreg", 1).setMaxStepsPerEpoch(1).fit(train);
        double oneSec = (System.nanoTime() - t) / 1e9;
        com.fasterxml.jackson.databind.node.ArrayNode oneStages = stages.drain();
        spark.sparkContext().removeSparkListener(stages);
        emit(node("a9a", "scaleml-one-step").put("seconds", oneSec).put("trainSeconds", trainSeconds(one.summary()))
                .set("stages", oneStages));
        log("ScaleML fit of one step: %.2f s (training %.3f s); stages %s", oneSec, trainSeconds(one.summary()),
                oneStages);

        double ss = median(sSec);
        double ms = median(mSec);
        emit(node("a9a", "summary").put("repeats", repeats).put("scalemlSeconds", ss)
                .put("scalemlTrainSeconds", median(sTrain)).put("scalemlFixedSeconds", ss - median(sTrain))
                .put("scalemlAccuracy", median(sAcc)).put("mllibSeconds", ms).put("mllibAccuracy", median(mAcc))
                .put("mllibIterations", median(mIter)).put("scalemlOneStepSeconds", oneSec)
                .put("mllibOverScaleml", ms / ss));
        log("a9a medians of %d: ScaleML %.2f s (training %.2f s) accuracy %.4f; MLlib %.2f s accuracy %.4f; "
                + "MLlib/ScaleML time %.2fx", repeats, ss, median(sTrain), median(sAcc), ms, median(mAcc), ms / ss);
    }

    // ------------------------------------------------------------------------------------------------ overhead

    private void overhead(Dataset<Row> train, Dataset<Row> test, Datasets.TrainTest data) throws InterruptedException {
        if (epochs < 2) {
            throw new IllegalArgumentException("overhead needs --epochs of at least 2 (epoch 1 is left out)");
        }
        TrainSettings settings = new TrainSettings("mlp", Optimizers.defaultFor("mlp"), "none", 1024, Map.of(), 32,
                epochs, 0, seed, null, 200, false);
        List<Double> sparkMed = new ArrayList<>();
        List<Double> localMed = new ArrayList<>();
        List<Double> tcpMed = new ArrayList<>();
        for (int r = 1; r <= repeats; r++) {
            long t = System.nanoTime();
            ScaleMLClassificationModel m = scaleml("mlp", epochs).setValidationData(test).fit(train);
            double fitSeconds = (System.nanoTime() - t) / 1e9;
            List<TrainingSummary.Epoch> se = m.summary().epochs();
            double[] sparkEpochs = se.stream().mapToDouble(TrainingSummary.Epoch::seconds).toArray();
            double sm = median(tail(sparkEpochs));
            sparkMed.add(sm);
            emit(node("overhead", "spark-fit").put("repeat", r).put("seconds", fitSeconds)
                    .put("epochSteps", se.get(0).epochSteps()).put("medianEpochSeconds", sm)
                    .put("validationAccuracy", m.summary().last().validationAccuracy())
                    .set("epochSeconds", array(sparkEpochs)));
            log("fit on local[%d], %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d %.2f s, "
                    + "accuracy %.4f", cores, workers, fitSeconds, Arrays.toString(round(sparkEpochs)), epochs, sm,
                    m.summary().last().validationAccuracy());

            t = System.nanoTime();
            DataParallelTrainer.Result res = InProcessJob.train(settings, data.train(), data.test(), workers, 0,
                    new DataParallelTrainer.Listener() { });
            double localSeconds = (System.nanoTime() - t) / 1e9;
            double[] localEpochs = res.epochs().stream().mapToDouble(EpochReport::seconds).toArray();
            double lm = median(tail(localEpochs));
            localMed.add(lm);
            emit(node("overhead", "in-process").put("repeat", r).put("seconds", localSeconds)
                    .put("epochSteps", res.epochs().get(0).epochSteps()).put("medianEpochSeconds", lm)
                    .put("testAccuracy", res.epochs().get(res.epochs().size() - 1).testAccuracy())
                    .set("epochSeconds", array(localEpochs)));
            log("InProcessJob, %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d %.2f s, "
                    + "accuracy %.4f; Spark/in-process %.2fx", workers, localSeconds,
                    Arrays.toString(round(localEpochs)), epochs, lm,
                    res.epochs().get(res.epochs().size() - 1).testAccuracy(), sm / lm);

            // control: the same ranks as threads of this JVM over ScaleML's TCP transport on loopback (what the
            // Spark tasks use), without Spark
            t = System.nanoTime();
            DataParallelTrainer.Result tr = tcpThreads(settings, data);
            double tcpSeconds = (System.nanoTime() - t) / 1e9;
            double[] tcpEpochs = tr.epochs().stream().mapToDouble(EpochReport::seconds).toArray();
            double cm = median(tail(tcpEpochs));
            tcpMed.add(cm);
            emit(node("overhead", "tcp-threads").put("repeat", r).put("seconds", tcpSeconds)
                    .put("epochSteps", tr.epochs().get(0).epochSteps()).put("medianEpochSeconds", cm)
                    .put("testAccuracy", tr.epochs().get(tr.epochs().size() - 1).testAccuracy())
                    .set("epochSeconds", array(tcpEpochs)));
            log("threads over TCP loopback, %d workers: %.1f s in all, epoch seconds %s, median of epochs 2..%d "
                    + "%.2f s; Spark/TCP threads %.2fx", workers, tcpSeconds, Arrays.toString(round(tcpEpochs)),
                    epochs, cm, sm / cm);
        }
        double s = median(sparkMed);
        double l = median(localMed);
        double c = median(tcpMed);
        emit(node("overhead", "summary").put("repeats", repeats).put("sparkEpochSeconds", s)
                .put("inProcessEpochSeconds", l).put("tcpThreadsEpochSeconds", c).put("ratio", s / l)
                .put("sparkOverTcpThreads", s / c).put("tcpThreadsOverInProcess", c / l));
        log("seconds per epoch (median over %d runs of the median of epochs 2..%d): Spark %.2f, in-process %.2f, "
                + "ratio %.2fx (target <= 1.3x); threads over TCP loopback without Spark %.2f (Spark/TCP threads "
                + "%.2fx)", repeats, epochs, s, l, s / l, c, s / c);
    }

    /** {@code workers} ranks as threads of this JVM over {@link TcpTransport} on 127.0.0.1; rank 0's result. */
    private DataParallelTrainer.Result tcpThreads(TrainSettings settings, Datasets.TrainTest data)
            throws InterruptedException {
        byte[] secret = new byte[32];
        new java.security.SecureRandom().nextBytes(secret);
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<InetSocketAddress> peers = new ArrayList<>();
        try {
            for (int r = 0; r < workers; r++) {
                ServerSocketChannel l = ServerSocketChannel.open();
                l.bind(new InetSocketAddress("127.0.0.1", 0));
                listeners.add(l);
                peers.add(InetSocketAddress.createUnresolved("127.0.0.1",
                        ((InetSocketAddress) l.getLocalAddress()).getPort()));
            }
        } catch (IOException e) {
            listeners.forEach(l -> {
                try {
                    l.close();
                } catch (IOException ignored) {
                    // closing after a failed bind
                }
            });
            throw new java.io.UncheckedIOException("cannot listen on 127.0.0.1", e);
        }
        List<InProcessJob.RankOutcome<DataParallelTrainer.Result>> outs = new ArrayList<>();
        Thread[] ts = new Thread[workers];
        Object[] results = new Object[workers];
        Throwable[] errors = new Throwable[workers];
        for (int r = 0; r < workers; r++) {
            final int rank = r;
            ts[r] = new Thread(() -> {
                try (Communicator comm = new Communicator(TcpTransport.connect(rank, peers, secret,
                        TcpConfig.builder().build(), listeners.get(rank)))) {
                    results[rank] = new DataParallelTrainer(settings).run(comm, data.train(), data.test(),
                            new DataParallelTrainer.Listener() { });
                } catch (Throwable t) {
                    errors[rank] = t;
                }
            }, "bench-tcp-rank-" + r);
            ts[r].start();
        }
        for (Thread t : ts) {
            t.join();
        }
        for (int r = 0; r < workers; r++) {
            outs.add(new InProcessJob.RankOutcome<>((DataParallelTrainer.Result) results[r], errors[r]));
        }
        return InProcessJob.firstResult(outs);
    }

    // ------------------------------------------------------------------------------------------------ bytes

    private void bytes(Dataset<Row> train) {
        Map<String, List<Double>> perCodec = new LinkedHashMap<>();
        for (int r = 1; r <= repeats; r++) {
            for (String codec : CODECS) {
                long t = System.nanoTime();
                ScaleMLClassificationModel m = scaleml("mlp", 1).setMaxStepsPerEpoch(maxSteps).setCodec(codec)
                        .fit(train);
                double seconds = (System.nanoTime() - t) / 1e9;
                TrainingSummary.Epoch e = m.summary().last();
                perCodec.computeIfAbsent(codec, k -> new ArrayList<>()).add((double) e.bytesPerStep());
                emit(node("bytes", "fit").put("repeat", r).put("codec", codec).put("steps", e.epochSteps())
                        .put("bytesPerStep", e.bytesPerStep()).put("bytesSentPerRank", e.bytesSentPerRank())
                        .put("seconds", seconds).put("trainSeconds", e.seconds()));
                log("codec %-22s %d steps: %,d bytes per step per rank (fit %.1f s, training %.2f s)", codec,
                        e.epochSteps(), e.bytesPerStep(), seconds, e.seconds());
            }
        }
        double none = median(perCodec.get("none"));
        ObjectNode s = node("bytes", "summary").put("repeats", repeats).put("steps", maxSteps);
        for (String codec : CODECS) {
            double b = median(perCodec.get(codec));
            s.putObject(codec).put("bytesPerStep", b).put("reduction", none / b);
            log("%-22s %,.0f bytes per step per rank, %.1fx less than none", codec, b, none / b);
        }
        emit(s);
    }

    // ------------------------------------------------------------------------------------------------ helpers

    /**
     * Records the wall time of every Spark stage that completes (submission to completion on the driver), to show
     * where a fit's time outside the training steps goes.
     */
    static final class StageTimes extends SparkListener {
        private final List<String> names = new ArrayList<>();
        private final List<Double> seconds = new ArrayList<>();

        @Override
        public synchronized void onStageCompleted(SparkListenerStageCompleted event) {
            StageInfo i = event.stageInfo();
            if (i.submissionTime().isDefined() && i.completionTime().isDefined()) {
                String name = i.name();
                int at = name.indexOf(" at ");
                names.add((at > 0 ? name.substring(0, at) : name) + " (" + i.numTasks() + " tasks)");
                seconds.add(((Long) i.completionTime().get() - (Long) i.submissionTime().get()) / 1e3);
            }
        }

        synchronized void clear() {
            names.clear();
            seconds.clear();
        }

        /** The stages completed since {@link #clear}, once the listener bus has delivered them (waits up to 2 s). */
        com.fasterxml.jackson.databind.node.ArrayNode drain() throws InterruptedException {
            int seen = -1;
            for (int i = 0; i < 20; i++) {
                Thread.sleep(100);
                synchronized (this) {
                    if (names.size() == seen) {
                        break;
                    }
                    seen = names.size();
                }
            }
            com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
            synchronized (this) {
                for (int i = 0; i < names.size(); i++) {
                    a.addObject().put("stage", names.get(i)).put("seconds", seconds.get(i));
                }
            }
            return a;
        }
    }

    /** A cached, materialized DataFrame (features vector, label double) of the data set; dense or sparse rows. */
    private Dataset<Row> frame(org.scaleml.train.data.Dataset d) {
        int n = d.size();
        int f = d.features();
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Vector v;
            if (d.isSparse()) {
                long from = d.rowStart()[i];
                int nnz = (int) (d.rowStart()[i + 1] - from);
                int[] idx = new int[nnz];
                double[] val = new double[nnz];
                for (int k = 0; k < nnz; k++) {
                    idx[k] = d.columns()[(int) from + k];
                    val[k] = d.values()[(int) from + k];
                }
                v = Vectors.sparse(f, idx, val);
            } else {
                float[] x = new float[f];
                d.copyRow(i, x, 0);
                double[] dx = new double[f];
                for (int k = 0; k < f; k++) {
                    dx[k] = x[k];
                }
                v = Vectors.dense(dx);
            }
            rows.add(RowFactory.create(v, (double) d.label(i)));
        }
        StructType schema = new StructType(new StructField[] {
            new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
            new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        // localCheckpoint (eager) keeps the rows in the block manager and cuts the lineage to the driver's list
        Dataset<Row> df = spark.createDataFrame(jsc.parallelize(rows, cores), schema).localCheckpoint();
        df.count();
        return df;
    }

    private static double trainSeconds(TrainingSummary s) {
        return s.epochs().stream().mapToDouble(TrainingSummary.Epoch::seconds).sum();
    }

    static double median(List<Double> xs) {
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (a.length == 0) {
            return Double.NaN;
        }
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    private static List<Double> tail(double[] xs) {
        List<Double> out = new ArrayList<>();
        for (int i = 1; i < xs.length; i++) {
            out.add(xs[i]);
        }
        return out;
    }

    private static double[] round(double[] xs) {
        return Arrays.stream(xs).map(x -> Math.round(x * 100) / 100.0).toArray();
    }

    private static com.fasterxml.jackson.databind.node.ArrayNode array(double[] xs) {
        com.fasterxml.jackson.databind.node.ArrayNode a = JSON.createArrayNode();
        for (double x : xs) {
            a.add(x);
        }
        return a;
    }

    static ObjectNode node(String mode, String kind) {
        return JSON.createObjectNode().put("mode", mode).put("kind", kind);
    }

    private void emit(ObjectNode n) {
        n.put("cores", cores).put("workers", workers).put("loadAverage", loadAverage());
        System.out.println(n.toString());
        System.out.flush();
    }

    /** The 1, 5 and 15 minute load averages ({@code /proc/loadavg}), or "unknown". */
    static String loadAverage() {
        try {
            String[] p = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return p[0] + " " + p[1] + " " + p[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static void log(String format, Object... args) {
        System.err.println(String.format(Locale.ROOT, format, args));
    }
}
