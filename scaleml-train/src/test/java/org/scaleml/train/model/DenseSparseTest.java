package org.scaleml.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/** The same examples stored dense and sparse give the same loss, gradient and predictions. */
class DenseSparseTest {

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"logreg", "softmax", "mlp:hidden=16-8,act=tanh", "mlp:hidden=12"})
    void denseAndSparseLayoutsAgree(String spec) {
        int classes = spec.equals("logreg") ? 2 : 5;
        Dataset dense = ModelTesting.randomDense("d", 40, classes, 21, 0.85, 60);
        Dataset sparse = ModelTesting.toSparse(dense);
        assertThat(sparse.values().length).isLessThan(40 * 60 / 4);
        Model m = Models.create(spec, dense.shape(), classes);
        float[] p = ModelContractTest.params(m, 3);
        int[] rows = {5, 17, 3, 39, 0, 22, 8};
        Batch bd = new Batch(dense, rows, rows.length);
        Batch bs = new Batch(sparse, rows, rows.length);
        float[] gd = new float[m.parameterCount()];
        float[] gs = new float[m.parameterCount()];
        double ld = m.lossAndGradient(p, bd, gd, m.workspace(8));
        double ls = m.lossAndGradient(p, bs, gs, m.workspace(8));
        assertThat(ls).isCloseTo(ld, within(1e-5 * Math.max(1, Math.abs(ld))));
        double scale = 0;
        for (float v : gd) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < gd.length; i++) {
            assertThat((double) gs[i]).as("coordinate " + i).isCloseTo(gd[i], within(1e-5 * scale));
        }
        int[] pd = new int[rows.length];
        int[] ps = new int[rows.length];
        m.predict(p, bd, pd, m.workspace(8));
        m.predict(p, bs, ps, m.workspace(8));
        assertThat(ps).containsExactly(pd);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"logreg", "softmax"})
    void sparseGradientIsZeroOutsideTheBatchsNonZeros(String spec) {
        Dataset dense = ModelTesting.randomDense("d", 30, 2, 5, 0.9, 50);
        Dataset sparse = ModelTesting.toSparse(dense);
        Model m = Models.create(spec, dense.shape(), 2);
        float[] p = ModelContractTest.params(m, 4);
        int[] rows = {1, 2};
        float[] g = new float[m.parameterCount()];
        java.util.Arrays.fill(g, 3f);
        m.lossAndGradient(p, new Batch(sparse, rows, 2), g, m.workspace(2));
        boolean[] used = new boolean[50];
        for (int r : rows) {
            for (long q = sparse.rowStart()[r]; q < sparse.rowStart()[r + 1]; q++) {
                used[sparse.columns()[(int) q]] = true;
            }
        }
        for (int j = 0; j < 50; j++) {
            if (!used[j]) {
                assertThat(g[j]).as("feature " + j).isZero();
            }
        }
    }
}
