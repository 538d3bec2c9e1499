package org.scaleml.train.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;
import org.scaleml.train.data.Dataset;

/** A few hundred plain SGD steps on small separable problems reach high training accuracy. */
class LearningTest {

    @Test
    void logisticRegressionLearnsSparseBlobs() {
        Dataset blobs = ModelTesting.blobs("b", 400, 40, 2, 1.0, 1);
        // Keep about a third of the coordinates per example so the data is genuinely sparse.
        float[] x = blobs.dense().clone();
        SplittableRandom rnd = new SplittableRandom(2);
        for (int i = 0; i < x.length; i++) {
            if (rnd.nextInt(3) != 0) {
                x[i] = 0f;
            }
        }
        Dataset sparse = ModelTesting.toSparse(Dataset.dense("s", x, blobs.labels(), 40, 2));
        Model m = Models.create("logreg", sparse.shape(), 2);
        float[] p = new float[m.parameterCount()];
        m.initialize(p, 1);
        double before = ModelTesting.accuracy(m, p, sparse);
        ModelTesting.sgd(m, p, sparse, 16, 300, 0.1f, 3);
        assertThat(before).isLessThan(0.7);
        assertThat(ModelTesting.accuracy(m, p, sparse)).isGreaterThan(0.95);
    }

    @Test
    void softmaxRegressionLearnsBlobs() {
        Dataset d = ModelTesting.blobs("b", 500, 20, 5, 1.0, 4);
        Model m = Models.create("softmax", d.shape(), 5);
        float[] p = new float[m.parameterCount()];
        m.initialize(p, 1);
        ModelTesting.sgd(m, p, d, 16, 300, 0.1f, 5);
        assertThat(ModelTesting.accuracy(m, p, d)).isGreaterThan(0.97);
    }

    /** XOR of two signs: not linearly separable, so only a hidden layer solves it. */
    @Test
    void mlpLearnsXorThatNoLinearModelCan() {
        int n = 400;
        SplittableRandom rnd = new SplittableRandom(6);
        float[] x = new float[n * 2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            float a = (float) (rnd.nextDouble() * 2 - 1);
            float b = (float) (rnd.nextDouble() * 2 - 1);
            a += Math.signum(a) * 0.1f;
            b += Math.signum(b) * 0.1f;
            x[2 * i] = a;
            x[2 * i + 1] = b;
            y[i] = (a > 0) == (b > 0) ? 0 : 1;
        }
        Dataset d = Dataset.dense("xor", x, y, 2, 2);
        for (String spec : new String[] {"mlp:hidden=32-16,act=relu", "mlp:hidden=32,act=tanh"}) {
            Model m = Models.create(spec, d.shape(), 2);
            float[] p = new float[m.parameterCount()];
            m.initialize(p, 7);
            ModelTesting.sgd(m, p, d, 16, 600, 0.2f, 8);
            assertThat(ModelTesting.accuracy(m, p, d)).as(spec).isGreaterThan(0.95);
        }
        Model linear = Models.create("softmax", d.shape(), 2);
        float[] p = new float[linear.parameterCount()];
        ModelTesting.sgd(linear, p, d, 16, 600, 0.2f, 8);
        assertThat(ModelTesting.accuracy(linear, p, d)).isLessThan(0.8);
    }

    @Test
    void cnnLearnsWhereTheSquareIs() {
        Dataset d = ModelTesting.squares("sq", 256, 12, 9);
        Model m = Models.create("cnn:c1=6,c2=8,fc=32", d.shape(), 4);
        float[] p = new float[m.parameterCount()];
        m.initialize(p, 10);
        double before = ModelTesting.accuracy(m, p, d);
        ModelTesting.sgd(m, p, d, 16, 250, 0.05f, 11);
        assertThat(before).isLessThan(0.6);
        assertThat(ModelTesting.accuracy(m, p, d)).isGreaterThan(0.95);
    }
}
