package org.scaleml.bench;

import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;

/**
 * Single-thread training throughput of each model: one step is {@code lossAndGradient} on a batch of
 * {@value #BATCH} followed by a plain SGD update ({@code params -= lr * grad}), and scores are samples (batch
 * rows) per second. The data are synthetic and seeded: {@code logreg} runs on 32,561 sparse a9a-like rows (123
 * binary features, 14 non-zeros each, labels from a random teacher), {@code softmax} and {@code mlp} on 8,192
 * MNIST-like rows of 784 values (80% zeros, 10 classes), {@code cnn} on 4,096 such rows shaped 1x28x28. Batches
 * walk through the rows in order, wrapping around.
 *
 * <p>Run (about 1 minute per model):
 * <pre>{@code
 * ./mvnw -q -DskipTests package -pl scaleml-bench -am
 * java -jar scaleml-bench/target/benchmarks.jar ModelBenchmark
 * java -jar scaleml-bench/target/benchmarks.jar ModelBenchmark -p model=mlp:hidden=512-256
 * }</pre>
 * Any model specification of {@link Models#create} works as {@code -p model=...} (one parameter per model, as JMH
 * splits at commas); a specification starting with {@code logreg} gets the sparse data, {@code cnn} the images,
 * any other the flat rows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@State(Scope.Thread)
public class ModelBenchmark {
    /** Rows per step. */
    public static final int BATCH = 64;

    /** Seed of the data and of the initial parameters. */
    public static final long SEED = 1;

    private static final float LEARNING_RATE = 0.01f;

    /** Model specification, as accepted by {@link Models#create}. */
    @Param({"logreg", "softmax", "mlp:hidden=256-128,act=relu", "cnn"})
    public String model;

    private Model m;
    private Dataset data;
    private float[] params;
    private float[] grad;
    private Model.Workspace workspace;
    private int[] rows;
    private Batch batch;
    private long cursor;

    /** Builds the data set for the model's kind, the model and its initial parameters. */
    @Setup(Level.Trial)
    public void setUp() {
        if (model.startsWith("logreg")) {
            data = sparseA9aLike(32_561, SEED);
        } else if (model.startsWith("cnn")) {
            data = imageLike(4_096, true, SEED);
        } else {
            data = imageLike(8_192, false, SEED);
        }
        m = Models.create(model, data);
        params = new float[m.parameterCount()];
        grad = new float[m.parameterCount()];
        m.initialize(params, SEED);
        workspace = m.workspace(BATCH);
        rows = new int[BATCH];
        batch = new Batch(data, rows, BATCH);
    }

    /** One SGD step on the next batch; returns the batch loss. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double step() {
        for (int k = 0; k < BATCH; k++) {
            rows[k] = (int) (cursor++ % data.size());
        }
        batch.set(data, rows, BATCH);
        double loss = m.lossAndGradient(params, batch, grad, workspace);
        for (int i = 0; i < params.length; i++) {
            params[i] -= LEARNING_RATE * grad[i];
        }
        return loss;
    }

    /** a9a-like: 123 binary features, 14 non-zeros per row (one per group of about 9), labels from a teacher. */
    static Dataset sparseA9aLike(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int features = 123;
        int nnz = 14;
        double[] teacher = new double[features];
        for (int j = 0; j < features; j++) {
            teacher[j] = rnd.nextGaussian();
        }
        long[] start = new long[n + 1];
        int[] col = new int[n * nnz];
        float[] val = new float[n * nnz];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int q = 0; q < nnz; q++) {
                int lo = q * features / nnz;
                int hi = (q + 1) * features / nnz;
                int j = lo + rnd.nextInt(hi - lo);
                col[i * nnz + q] = j;
                val[i * nnz + q] = 1f;
                z += teacher[j];
            }
            y[i] = z > 0 ? 1 : 0;
            start[i + 1] = (long) (i + 1) * nnz;
        }
        return Dataset.sparse("a9a-like", start, col, val, y, features, 2);
    }

    /** MNIST-like: 784 values in [0, 1), about 80% zeros, 10 classes; shaped 1x28x28 when {@code image}. */
    static Dataset imageLike(int n, boolean image, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(10);
            for (int j = 0; j < 784; j++) {
                x[i * 784 + j] = rnd.nextInt(5) == 0 ? (float) rnd.nextDouble() : 0f;
            }
        }
        return image ? Dataset.dense("mnist-like", x, y, 784, 10, 1, 28, 28)
                : Dataset.dense("mnist-like", x, y, 784, 10);
    }
}
