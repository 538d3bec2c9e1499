package org.scaleml.train.model;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/** Synthetic data, a finite-difference gradient check and a plain SGD loop shared by the model tests. */
final class ModelTesting {
    private ModelTesting() {
    }

    /** Random dense data: standard normal features with about {@code zeroFraction} exact zeros, random labels. */
    static Dataset randomDense(String name, int n, int classes, long seed, double zeroFraction, int... shape) {
        int f = 1;
        for (int s : shape) {
            f *= s;
        }
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] x = new float[n * f];
        for (int i = 0; i < x.length; i++) {
            x[i] = rnd.nextDouble() < zeroFraction ? 0f : (float) Ops.gaussian(rnd);
        }
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = rnd.nextInt(classes);
        }
        return Dataset.dense(name, x, y, f, classes, shape);
    }

    /** The same examples in CSR form (zeros dropped). */
    static Dataset toSparse(Dataset d) {
        int n = d.size();
        int f = d.features();
        float[] x = d.dense();
        long[] start = new long[n + 1];
        int nnz = 0;
        for (float v : x) {
            if (v != 0f) {
                nnz++;
            }
        }
        int[] col = new int[nnz];
        float[] val = new float[nnz];
        int q = 0;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < f; j++) {
                if (x[i * f + j] != 0f) {
                    col[q] = j;
                    val[q++] = x[i * f + j];
                }
            }
            start[i + 1] = q;
        }
        return Dataset.sparse(d.name() + "-sparse", start, col, val, d.labels().clone(), f, d.classes());
    }

    /**
     * Separable blobs: class c is centred at a random point of norm {@code 3} per coordinate group, with unit
     * noise scaled by {@code noise}.
     */
    static Dataset blobs(String name, int n, int features, int classes, double noise, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[][] centre = new float[classes][features];
        for (float[] c : centre) {
            for (int j = 0; j < features; j++) {
                c[j] = (float) (Ops.gaussian(rnd) * 1.5);
            }
        }
        float[] x = new float[n * features];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            y[i] = i % classes;
            for (int j = 0; j < features; j++) {
                x[i * features + j] = centre[y[i]][j] + (float) (noise * Ops.gaussian(rnd));
            }
        }
        return Dataset.dense(name, x, y, features, classes);
    }

    /**
     * Images {@code {1, size, size}}: class c (of 4) has a bright 3x3 square somewhere in quadrant c, plus noise.
     */
    static Dataset squares(String name, int n, int size, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int hw = size * size;
        float[] x = new float[n * hw];
        int[] y = new int[n];
        int half = size / 2;
        for (int i = 0; i < n; i++) {
            int c = i % 4;
            y[i] = c;
            for (int j = 0; j < hw; j++) {
                x[i * hw + j] = (float) (0.3 * Ops.gaussian(rnd));
            }
            int oy = (c / 2) * half + rnd.nextInt(half - 2);
            int ox = (c % 2) * half + rnd.nextInt(half - 2);
            for (int dy = 0; dy < 3; dy++) {
                for (int dx = 0; dx < 3; dx++) {
                    x[i * hw + (oy + dy) * size + ox + dx] += 1.5f;
                }
            }
        }
        return Dataset.dense(name, x, y, hw, 4, 1, size, size);
    }

    /** Result of a gradient check: how many coordinates failed, the worst error seen and where. */
    record Check(int checked, int failed, double worstAbs, double worstRel, String worstAt) {
        @Override
        public String toString() {
            return failed + " of " + checked + " coordinates outside tolerance; worst abs " + worstAbs + " rel "
                    + worstRel + " at " + worstAt;
        }
    }

    /** Coordinates to check: every bias plus up to {@code sample} random others (all when there are fewer). */
    static int[] coordinates(Model m, int sample, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] out = new int[m.parameterCount()];
        int k = 0;
        for (Layer l : m.layers()) {
            if (l.name().endsWith("bias")) {
                for (int i = l.offset(); i < l.end(); i++) {
                    out[k++] = i;
                }
            } else if (l.length() <= sample / m.layers().size()) {
                for (int i = l.offset(); i < l.end(); i++) {
                    out[k++] = i;
                }
            } else {
                int per = Math.max(1, sample / m.layers().size());
                for (int t = 0; t < per; t++) {
                    out[k++] = l.offset() + rnd.nextInt(l.length());
                }
            }
        }
        return Arrays.copyOf(out, k);
    }

    /**
     * Compares {@code grad} with central differences of the model's loss at {@code coords}. A coordinate passes
     * when {@code |g - fd| <= absTol} or {@code |g - fd| <= relTol * max(|g|, |fd|)}, for the step {@code h} or,
     * failing that, {@code h / 5} or {@code h / 25}: ReLU and max-pool make the loss piecewise smooth, and a kink
     * within {@code h} of the point spoils the wider difference while a narrower one still converges to the true
     * derivative (a wrong gradient fails at every step). The difference quotient uses the actual float step taken and
     * double arithmetic.
     */
    static Check check(Model m, float[] params, Batch batch, float[] grad, int[] coords, float h, double absTol,
                       double relTol) {
        Model.Workspace ws = m.workspace(batch.size());
        float[] scratch = new float[m.parameterCount()];
        int failed = 0;
        double worstAbs = 0;
        double worstRel = 0;
        String worstAt = "-";
        for (int i : coords) {
            double g = grad[i];
            double fd = difference(m, params, batch, ws, scratch, i, h);
            double abs = Math.abs(g - fd);
            double rel = abs / Math.max(1e-12, Math.max(Math.abs(g), Math.abs(fd)));
            boolean ok = abs <= absTol || rel <= relTol;
            for (float step = h / 5; !ok && step >= h / 25; step /= 5) {
                double fd2 = difference(m, params, batch, ws, scratch, i, step);
                double abs2 = Math.abs(g - fd2);
                double rel2 = abs2 / Math.max(1e-12, Math.max(Math.abs(g), Math.abs(fd2)));
                ok = abs2 <= absTol || rel2 <= relTol;
                if (abs2 < abs) {
                    fd = fd2;
                    abs = abs2;
                    rel = rel2;
                }
            }
            if (!ok) {
                failed++;
            }
            if (abs > worstAbs) {
                worstAbs = abs;
                worstRel = rel;
                worstAt = layerOf(m, i) + " [" + i + "] g=" + g + " fd=" + fd;
            }
        }
        return new Check(coords.length, failed, worstAbs, worstRel, worstAt);
    }

    private static double difference(Model m, float[] params, Batch batch, Model.Workspace ws, float[] scratch,
                                     int i, float h) {
        float p = params[i];
        float plus = p + h;
        float minus = p - h;
        params[i] = plus;
        double lp = m.lossAndGradient(params, batch, scratch, ws);
        params[i] = minus;
        double lm = m.lossAndGradient(params, batch, scratch, ws);
        params[i] = p;
        return (lp - lm) / ((double) plus - (double) minus);
    }

    static String layerOf(Model m, int i) {
        for (Layer l : m.layers()) {
            if (i >= l.offset() && i < l.end()) {
                return l.name();
            }
        }
        return "?";
    }

    /** Runs {@code steps} plain SGD steps on shuffled mini-batches; returns the last loss. */
    static double sgd(Model m, float[] params, Dataset d, int batchSize, int steps, float lr, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        int[] order = new int[d.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        int[] rows = new int[batchSize];
        Batch batch = new Batch(d, rows, batchSize);
        Model.Workspace ws = m.workspace(batchSize);
        float[] grad = new float[m.parameterCount()];
        double loss = Double.NaN;
        int pos = order.length;
        for (int s = 0; s < steps; s++) {
            for (int k = 0; k < batchSize; k++) {
                if (pos == order.length) {
                    for (int i = order.length - 1; i > 0; i--) {
                        int j = rnd.nextInt(i + 1);
                        int t = order[i];
                        order[i] = order[j];
                        order[j] = t;
                    }
                    pos = 0;
                }
                rows[k] = order[pos++];
            }
            batch.set(d, rows, batchSize);
            loss = m.lossAndGradient(params, batch, grad, ws);
            for (int i = 0; i < grad.length; i++) {
                params[i] -= lr * grad[i];
            }
        }
        return loss;
    }

    /** Training-set accuracy of the model's predictions. */
    static double accuracy(Model m, float[] params, Dataset d) {
        int b = 64;
        Model.Workspace ws = m.workspace(b);
        int[] out = new int[b];
        int[] rows = new int[b];
        int correct = 0;
        for (int from = 0; from < d.size(); from += b) {
            int size = Math.min(b, d.size() - from);
            for (int k = 0; k < size; k++) {
                rows[k] = from + k;
            }
            Batch batch = new Batch(d, rows, size);
            m.predict(params, batch, out, ws);
            for (int k = 0; k < size; k++) {
                if (out[k] == d.label(from + k)) {
                    correct++;
                }
            }
        }
        return (double) correct / d.size();
    }
}
