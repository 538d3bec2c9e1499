package org.scaleml.train.model;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/**
 * Single-thread training throughput of each model: samples per second of {@code lossAndGradient} plus a plain
 * SGD update ({@code params -= lr * grad}), batch 64, on synthetic data: logreg on sparse a9a-like rows (123
 * binary features, 14 non-zeros each), softmax, mlp 784-256-128-10 and the default cnn on 1x28x28 images. Each
 * model is warmed up for 3 s, then timed in 5 runs of at least 1 s; the median and the range are printed.
 *
 * <p>Not a test. Run after {@code ./mvnw -pl scaleml-train test-compile}:
 * <pre>
 * java -cp scaleml-train/target/classes:scaleml-train/target/test-classes \
 *     org.scaleml.train.model.ModelThroughput
 * </pre>
 */
public final class ModelThroughput {
    private static final int BATCH = 64;

    private ModelThroughput() {
    }

    public static void main(String[] args) {
        System.out.printf("%-8s %-32s %10s %14s %26s%n", "model", "spec", "params", "samples/s", "range of 5 runs");
        Dataset a9a = sparseA9aLike(32_561, 1);
        run("logreg", Models.create("logreg", a9a), a9a);
        Dataset flat = imageLike(8_192, false, 2);
        run("softmax", Models.create("softmax", flat), flat);
        run("mlp", Models.create("mlp:hidden=256-128,act=relu", flat), flat);
        Dataset img = imageLike(4_096, true, 3);
        run("cnn", Models.create("cnn", img), img);
    }

    private static void run(String label, Model m, Dataset d) {
        float[] params = new float[m.parameterCount()];
        float[] grad = new float[m.parameterCount()];
        m.initialize(params, 1);
        Model.Workspace ws = m.workspace(BATCH);
        int[] rows = new int[BATCH];
        Batch batch = new Batch(d, rows, BATCH);
        long[] cursor = {0};
        timed(m, params, grad, ws, batch, rows, d, cursor, 3_000_000_000L);
        double[] rates = new double[5];
        for (int r = 0; r < rates.length; r++) {
            rates[r] = timed(m, params, grad, ws, batch, rows, d, cursor, 1_000_000_000L);
        }
        Arrays.sort(rates);
        System.out.printf("%-8s %-32s %10d %14.0f %12.0f .. %-12.0f%n", label, m.spec(), m.parameterCount(),
                rates[2], rates[0], rates[4]);
    }

    /** Runs steps for at least {@code nanos}; returns samples per second. */
    private static double timed(Model m, float[] params, float[] grad, Model.Workspace ws, Batch batch, int[] rows,
                                Dataset d, long[] cursor, long nanos) {
        float lr = 0.01f;
        long steps = 0;
        double sink = 0;
        long t0 = System.nanoTime();
        long t;
        do {
            for (int k = 0; k < BATCH; k++) {
                rows[k] = (int) (cursor[0]++ % d.size());
            }
            batch.set(d, rows, BATCH);
            sink += m.lossAndGradient(params, batch, grad, ws);
            for (int i = 0; i < params.length; i++) {
                params[i] -= lr * grad[i];
            }
            steps++;
            t = System.nanoTime() - t0;
        } while (t < nanos);
        if (Double.isNaN(sink)) {
            System.out.println("(loss became NaN)");
        }
        return steps * BATCH / (t / 1e9);
    }

    /** a9a-like: 123 binary features, 14 non-zeros per row (one per group of about 9), labels from a teacher. */
    private static Dataset sparseA9aLike(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int f = 123;
        int nnz = 14;
        float[] teacher = new float[f];
        for (int j = 0; j < f; j++) {
            teacher[j] = (float) Ops.gaussian(rnd);
        }
        long[] start = new long[n + 1];
        int[] col = new int[n * nnz];
        float[] val = new float[n * nnz];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            double z = 0;
            for (int q = 0; q < nnz; q++) {
                int lo = q * f / nnz;
                int hi = (q + 1) * f / nnz;
                int j = lo + rnd.nextInt(hi - lo);
                col[i * nnz + q] = j;
                val[i * nnz + q] = 1f;
                z += teacher[j];
            }
            y[i] = z > 0 ? 1 : 0;
            start[i + 1] = (long) (i + 1) * nnz;
        }
        return Dataset.sparse("a9a-like", start, col, val, y, f, 2);
    }

    /** MNIST-like: 784 values in [0, 1), about 80% zeros, 10 classes; shaped 1x28x28 when {@code image}. */
    private static Dataset imageLike(int n, boolean image, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * 784];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(10);
            for (int j = 0; j < 784; j++) {
                x[i * 784 + j] = rnd.nextInt(5) == 0 ? (float) rnd.nextDouble() : 0f;
            }
        }
        return image ? Dataset.dense("mnist-like", x, y, 784, 10, 1, 28, 28) : Dataset.dense("mnist-like", x, y, 784, 10);
    }
}
