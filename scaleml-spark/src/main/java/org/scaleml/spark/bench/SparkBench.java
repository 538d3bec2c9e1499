package org.scaleml.spark.bench;

import static org.scaleml.spark.bench.BenchReport.loadAverage;
import static org.scaleml.spark.bench.BenchReport.log;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.scaleml.spark.ScaleMLClassifier;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.data.Datasets;

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
 *
 * <p><b>Code.</b> This class holds the options, their checks, the Spark session and the DataFrames; each mode is a
 * {@link BenchMode} of its own ({@link FmnistBench}, {@link A9aBench}, {@link OverheadBench}, {@link BytesBench}),
 * and {@link BenchReport} prints the measurements.
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
            BenchReport report = new BenchReport(cores, workers);
            BenchMode run = switch (mode) {
                case "fmnist" -> new FmnistBench(this, spark, report);
                case "a9a" -> new A9aBench(this, spark, report);
                case "overhead" -> new OverheadBench(this, spark, report, data);
                default -> new BytesBench(this, spark, report);
            };
            run.run(train, test);
        } finally {
            spark.stop();
        }
        return 0;
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
}
