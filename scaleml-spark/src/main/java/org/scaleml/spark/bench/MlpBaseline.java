package org.scaleml.spark.bench;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import com.google.gson.stream.JsonWriter;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.classification.MultilayerPerceptronClassificationModel;
import org.apache.spark.ml.classification.MultilayerPerceptronClassifier;
import org.apache.spark.ml.evaluation.MulticlassClassificationEvaluator;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The Spark MLlib peer of ScaleML's MLP training: fits {@code MultilayerPerceptronClassifier} (layers
 * 784-256-128-10, sigmoid hidden layers and softmax output as MLlib defines them, L-BFGS, block size 128, fixed
 * seed) on the 60,000 Fashion-MNIST training images in Spark local mode ({@code local[2]}), once per
 * {@code maxIter} value, and reports the wall-clock fit time and the test accuracy on the 10,000 test images.
 *
 * <p><b>Run</b> (from the project root; builds {@code scaleml-spark}, writes its class path with Spark to
 * {@code scaleml-spark/target/classpath.txt}, then runs this class with Spark's JVM flags, see
 * {@code scripts/spark-bench.sh}):
 * <pre>{@code
 * scripts/spark-bench.sh mlp-baseline -- --max-iter 20,40,80 --target 0.80
 * }</pre>
 * The JVM flags are Spark's {@code --add-opens} for JDK 17+ and {@code --add-modules=jdk.incubator.vector}, which
 * lets MLlib's BLAS (dev.ludovic.netlib) use its Vector-API Java BLAS when there is no native
 * {@code libblas.so.3}; the driver memory is the JVM heap ({@code -Xmx6g}). {@link SparkBench} {@code fmnist} runs
 * the same classifier against {@code ScaleMLClassifier}.
 *
 * <p><b>Output.</b> One JSON object per fit on stdout, keys {@code peer, maxIter, iterations, seconds,
 * testAccuracy, trainExamples, cores} ({@code iterations} is how many L-BFGS iterations actually ran: fewer than
 * {@code maxIter} if the solver converged; each is one full pass over the training set). A readable line per fit
 * and Spark's warnings go to stderr. {@code seconds} covers {@code fit} only (converting the cached DataFrame,
 * stacking blocks, the iterations), after one small untimed warm-up fit; evaluation is not timed. Each fit starts
 * from the same seed, so a larger {@code maxIter} continues the same trajectory: the smallest {@code maxIter}
 * that reaches a target accuracy gives the time to that accuracy ({@code --target} prints it).
 *
 * <p>Exit status: 0 on success, 2 for bad arguments or unreadable data (one line on stderr, no stack trace).
 */
@Command(name = "MlpBaseline", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Spark MLlib MultilayerPerceptronClassifier on Fashion-MNIST: fit seconds vs test accuracy.")
public final class MlpBaseline implements Callable<Integer> {
    /*
     * Fairness notes. The data are the same IDX files as scaleml-train reads, scaled the same way (pixel / 255),
     * held as dense vectors in a DataFrame that is cached and materialized before any timing, in `cores`
     * partitions so both task slots work. MLlib's MLP trains full-batch with L-BFGS (one treeAggregate of the
     * gradient per iteration) - that is its only solver besides plain full-batch gradient descent, and its
     * default. Its hidden layers are sigmoid (not configurable), unlike scaleml-train's ReLU; that is part of
     * what the peer is. The dense GEMMs go through dev.ludovic.netlib: native BLAS if the machine has one,
     * else the Vector-API Java BLAS when the JVM runs with --add-modules=jdk.incubator.vector (scripts/spark-bench.sh
     * passes it), else F2J; the run prints which it got.
     */

    static final String DEFAULT_DATA = "../shared/data/fashion-mnist";
    static final String DEBIAN_DATA = "/usr/share/datasets/fashion-mnist";

    @Option(names = "--data", paramLabel = "DIR",
            description = "Directory with {train,t10k}-{images-idx3,labels-idx1}-ubyte.gz (default: "
                    + DEFAULT_DATA + ", else " + DEBIAN_DATA + ").")
    Path data;

    @Option(names = "--max-iter", split = ",", paramLabel = "N",
            description = "maxIter values to fit, one fit each (default: ${DEFAULT-VALUE}).", defaultValue = "20,40,80")
    List<Integer> maxIters;

    @Option(names = "--cores", paramLabel = "N", description = "Spark master local[N] (default: ${DEFAULT-VALUE}).",
            defaultValue = "2")
    int cores;

    @Option(names = "--block-size", paramLabel = "N", description = "MLlib blockSize (default: ${DEFAULT-VALUE}).",
            defaultValue = "128")
    int blockSize;

    @Option(names = "--seed", paramLabel = "N", description = "Weight-initialization seed (default: ${DEFAULT-VALUE}).",
            defaultValue = "42")
    long seed;

    @Option(names = "--train-limit", paramLabel = "N",
            description = "Use only the first N training images (default: all).")
    Integer trainLimit;

    @Option(names = "--target", paramLabel = "ACC",
            description = "Also report the first fit whose test accuracy reaches ACC (e.g. 0.85).")
    Double target;

    static final int[] LAYERS = {784, 256, 128, 10};
    private static final int WARMUP_EXAMPLES = 2000;
    private static final int WARMUP_ITERATIONS = 3;

    public static void main(String[] args) {
        BenchMain.run(new MlpBaseline(), args);
    }

    @Override
    public Integer call() throws IOException {
        validate();
        Path dir = dataDirectory();
        IdxFile.Images trainImages = IdxFile.readImages(dir.resolve("train-images-idx3-ubyte.gz"));
        int[] trainLabels = IdxFile.readLabels(dir.resolve("train-labels-idx1-ubyte.gz"));
        IdxFile.Images testImages = IdxFile.readImages(dir.resolve("t10k-images-idx3-ubyte.gz"));
        int[] testLabels = IdxFile.readLabels(dir.resolve("t10k-labels-idx1-ubyte.gz"));
        checkPair(dir.resolve("train-labels-idx1-ubyte.gz"), trainImages, trainLabels);
        checkPair(dir.resolve("t10k-labels-idx1-ubyte.gz"), testImages, testLabels);
        int trainCount = trainLimit == null ? trainImages.count() : Math.min(trainLimit, trainImages.count());

        SparkSession spark = SparkSession.builder()
                .master("local[" + cores + "]")
                .appName("scaleml-mlp-baseline")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.sql.shuffle.partitions", String.valueOf(cores))
                .getOrCreate();
        try {
            spark.sparkContext().setLogLevel("WARN");
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            // localCheckpoint (eager) materializes the rows in the block manager and cuts the lineage back to
            // the driver-side list, so later tasks do not ship the data again (as cache() alone would).
            Dataset<Row> train = frame(spark, jsc, trainImages, trainLabels, trainCount).localCheckpoint();
            Dataset<Row> test = frame(spark, jsc, testImages, testLabels, testImages.count()).localCheckpoint();
            long nTrain = train.count();
            long nTest = test.count();
            System.err.printf(Locale.ROOT, "Spark %s, master local[%d], heap %d MiB, BLAS %s; train %d, test %d%n",
                    spark.version(), cores, Runtime.getRuntime().maxMemory() >> 20, blasName(), nTrain, nTest);

            MulticlassClassificationEvaluator accuracy = new MulticlassClassificationEvaluator()
                    .setMetricName("accuracy");
            // Warm-up: JIT, Spark's code generation and BLAS loading, on a small slice; not reported.
            long w0 = System.nanoTime();
            Dataset<Row> warm = train.limit(WARMUP_EXAMPLES);
            MultilayerPerceptronClassificationModel warmModel = classifier(WARMUP_ITERATIONS).fit(warm);
            accuracy.evaluate(warmModel.transform(test.limit(WARMUP_EXAMPLES)));
            System.err.printf(Locale.ROOT, "warm-up fit (%d examples, maxIter %d): %.1f s%n",
                    WARMUP_EXAMPLES, WARMUP_ITERATIONS, (System.nanoTime() - w0) / 1e9);

            Double reachedSeconds = null;
            int reachedMaxIter = 0;
            for (int maxIter : maxIters) {
                MultilayerPerceptronClassifier mlp = classifier(maxIter);
                long t0 = System.nanoTime();
                MultilayerPerceptronClassificationModel model = mlp.fit(train);
                double seconds = (System.nanoTime() - t0) / 1e9;
                double acc = accuracy.evaluate(model.transform(test));
                int iterations = model.summary().totalIterations();
                System.out.println(jsonLine(maxIter, iterations, seconds, acc, nTrain, cores));
                System.out.flush();
                System.err.printf(Locale.ROOT,
                        "maxIter %4d (%d iterations run): fit %8.1f s, test accuracy %.2f%% (%d train examples, %d cores)%n",
                        maxIter, iterations, seconds, 100 * acc, nTrain, cores);
                if (target != null && reachedSeconds == null && acc >= target) {
                    reachedSeconds = seconds;
                    reachedMaxIter = maxIter;
                }
            }
            if (target != null) {
                System.err.println(reachedSeconds == null
                        ? String.format(Locale.ROOT, "target %.4f not reached by any fit", target)
                        : String.format(Locale.ROOT, "target %.4f first reached with maxIter %d in %.1f s",
                        target, reachedMaxIter, reachedSeconds));
            }
        } finally {
            spark.stop();
        }
        return 0;
    }

    /**
     * One fit's result as one line of JSON, written with gson: the keys of the class javadoc in that order, the
     * seconds with three decimals and the accuracy with four (trailing zeros kept, rounded half up as
     * {@code %.3f} and {@code %.4f} print them).
     *
     * @throws NumberFormatException if {@code seconds} or {@code accuracy} is not finite
     */
    static String jsonLine(int maxIter, int iterations, double seconds, double accuracy, long trainExamples,
                           int cores) {
        StringWriter text = new StringWriter();
        try (JsonWriter w = new JsonWriter(text)) {
            w.beginObject();
            w.name("peer").value("spark-mllib-mlp");
            w.name("maxIter").value(maxIter);
            w.name("iterations").value(iterations);
            w.name("seconds").value(decimals(seconds, 3));
            w.name("testAccuracy").value(decimals(accuracy, 4));
            w.name("trainExamples").value(trainExamples);
            w.name("cores").value(cores);
            w.endObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return text.toString();
    }

    /** {@code v} with exactly {@code places} decimals, from its shortest decimal form rounded half up. */
    private static BigDecimal decimals(double v, int places) {
        return BigDecimal.valueOf(v).setScale(places, RoundingMode.HALF_UP);
    }

    private MultilayerPerceptronClassifier classifier(int maxIter) {
        return new MultilayerPerceptronClassifier()
                .setLayers(LAYERS)
                .setBlockSize(blockSize)
                .setSeed(seed)
                .setMaxIter(maxIter);
    }

    private void validate() {
        if (cores < 1) {
            throw new IllegalArgumentException("--cores must be at least 1, got " + cores);
        }
        if (blockSize < 1) {
            throw new IllegalArgumentException("--block-size must be at least 1, got " + blockSize);
        }
        if (maxIters.isEmpty()) {
            throw new IllegalArgumentException("--max-iter needs at least one value");
        }
        for (int m : maxIters) {
            if (m < 1) {
                throw new IllegalArgumentException("--max-iter values must be at least 1, got " + m);
            }
        }
        if (trainLimit != null && trainLimit < 1) {
            throw new IllegalArgumentException("--train-limit must be at least 1, got " + trainLimit);
        }
        if (target != null && !(target > 0 && target <= 1)) {
            throw new IllegalArgumentException("--target must be in (0, 1], got " + target);
        }
    }

    private Path dataDirectory() throws IOException {
        if (data != null) {
            if (!Files.isDirectory(data)) {
                throw new IOException("--data " + data + ": not a directory");
            }
            return data;
        }
        for (String candidate : new String[] {DEFAULT_DATA, DEBIAN_DATA}) {
            Path p = Path.of(candidate);
            if (Files.isRegularFile(p.resolve("train-images-idx3-ubyte.gz"))) {
                return p;
            }
        }
        throw new IOException("Fashion-MNIST not found in " + Path.of(DEFAULT_DATA).toAbsolutePath().normalize()
                + " or " + DEBIAN_DATA + "; pass --data DIR");
    }

    /** Checks that an image file and its label file agree, and that the images fit the first layer. */
    static void checkPair(Path labelFile, IdxFile.Images images, int[] labels) throws IdxFormatException {
        if (labels.length != images.count()) {
            throw new IdxFormatException(labelFile, "holds " + labels.length + " labels but its image file holds "
                    + images.count() + " images");
        }
        if (images.pixelsPerImage() != LAYERS[0]) {
            throw new IdxFormatException(labelFile, "its images are " + images.rows() + "x" + images.columns()
                    + "; the network's input layer needs " + LAYERS[0] + " pixels");
        }
        int classes = LAYERS[LAYERS.length - 1];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] >= classes) {
                throw new IdxFormatException(labelFile, "label " + i + " is " + labels[i] + ", expected 0.."
                        + (classes - 1));
            }
        }
    }

    private Dataset<Row> frame(SparkSession spark, JavaSparkContext jsc, IdxFile.Images images, int[] labels,
                               int count) {
        List<Row> rows = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            rows.add(RowFactory.create((double) labels[i], Vectors.dense(images.scaled(i))));
        }
        StructType schema = new StructType(new StructField[] {
                new StructField("label", DataTypes.DoubleType, false, Metadata.empty()),
                new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty())});
        return spark.createDataFrame(jsc.parallelize(rows, cores), schema);
    }

    private static String blasName() {
        try {
            return dev.ludovic.netlib.blas.BLAS.getInstance().getClass().getSimpleName();
        } catch (LinkageError e) {
            return "unknown (" + e + ")";
        }
    }
}
