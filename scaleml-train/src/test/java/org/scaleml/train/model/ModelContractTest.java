package org.scaleml.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;

/** The {@link Model} contract, run against every model (small architectures, dense and sparse inputs). */
class ModelContractTest {

    /** A model with a small data set to exercise it on. */
    record Case(String name, Model model, Dataset data) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        Dataset bin = ModelTesting.randomDense("bin", 9, 2, 11, 0.4, 12);
        Dataset four = ModelTesting.randomDense("four", 9, 4, 12, 0.4, 10);
        Dataset three = ModelTesting.randomDense("three", 8, 3, 13, 0.3, 10);
        Dataset img = ModelTesting.randomDense("img", 5, 3, 14, 0.2, 2, 8, 8);
        Dataset odd = ModelTesting.randomDense("odd", 4, 3, 15, 0.2, 1, 9, 7);
        return Stream.of(
                new Case("logreg dense", Models.create("logreg", bin.shape(), 2), bin),
                new Case("logreg sparse", Models.create("logreg", bin.shape(), 2), ModelTesting.toSparse(bin)),
                new Case("softmax dense", Models.create("softmax", four.shape(), 4), four),
                new Case("softmax sparse", Models.create("softmax", four.shape(), 4), ModelTesting.toSparse(four)),
                new Case("mlp relu", Models.create("mlp:hidden=7-5,act=relu", three.shape(), 3), three),
                new Case("mlp tanh", Models.create("mlp:hidden=6,act=tanh", three.shape(), 3), three),
                new Case("mlp sigmoid", Models.create("mlp:hidden=6-4-5,act=sigmoid", three.shape(), 3), three),
                new Case("mlp relu sparse", Models.create("mlp:hidden=7-5", three.shape(), 3),
                        ModelTesting.toSparse(three)),
                new Case("cnn 2x8x8", Models.create("cnn:c1=3,c2=4,fc=5", img.shape(), 3), img),
                new Case("cnn 1x9x7", Models.create("cnn:c1=2,c2=3,fc=4", odd.shape(), 3), odd));
    }

    /** Seeded initialization plus noise, so biases and linear models are away from zero. */
    static float[] params(Model m, long seed) {
        float[] p = new float[m.parameterCount()];
        m.initialize(p, seed);
        SplittableRandom rnd = new SplittableRandom(seed + 1);
        for (int i = 0; i < p.length; i++) {
            p[i] += (float) (0.2 * Ops.gaussian(rnd));
        }
        return p;
    }

    static Batch all(Dataset d) {
        return Batch.range(d, 0, d.size());
    }

    static float[] gradient(Model m, float[] p, Batch b) {
        float[] g = new float[m.parameterCount()];
        m.lossAndGradient(p, b, g, m.workspace(b.size()));
        return g;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void gradientMatchesCentralDifferences(Case c) {
        Model m = c.model();
        float[] p = params(m, 5);
        Batch b = all(c.data());
        float[] g = gradient(m, p, b);
        int[] coords = ModelTesting.coordinates(m, 400, 3);
        ModelTesting.Check r = ModelTesting.check(m, p, b, g, coords, 2e-3f, 1e-3, 1e-2);
        assertThat(r.failed()).as(r.toString()).isZero();
        assertThat(coords.length).isGreaterThanOrEqualTo(Math.min(m.parameterCount(), 20));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void checkDetectsAWrongGradient(Case c) {
        Model m = c.model();
        float[] p = params(m, 5);
        Batch b = all(c.data());
        float[] g = gradient(m, p, b);
        int[] coords = ModelTesting.coordinates(m, 400, 3);

        float[] scaled = g.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= 1.1f;
        }
        assertThat(ModelTesting.check(m, p, b, scaled, coords, 2e-3f, 1e-3, 1e-2).failed()).isPositive();

        // One bias off by 5e-3 plus 5% (a small, single-coordinate mistake) is caught too.
        float[] one = g.clone();
        int at = m.layers().get(m.layers().size() - 1).offset();
        one[at] += 5e-3f + 0.05f * Math.abs(one[at]);
        ModelTesting.Check r = ModelTesting.check(m, p, b, one, coords, 2e-3f, 1e-3, 1e-2);
        assertThat(r.failed()).as(r.toString()).isEqualTo(1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void layersCoverTheParametersExactly(Case c) {
        Model m = c.model();
        List<Layer> layers = m.layers();
        assertThat(layers).isNotEmpty();
        int at = 0;
        Set<String> names = new HashSet<>();
        for (Layer l : layers) {
            assertThat(l.offset()).as(l.name()).isEqualTo(at);
            assertThat(l.length()).as(l.name()).isPositive();
            assertThat(names.add(l.name())).as("duplicate " + l.name()).isTrue();
            at = l.end();
        }
        assertThat(at).isEqualTo(m.parameterCount());
        assertThat(layers.get(layers.size() - 1).name()).endsWith("bias");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void initializeIsDeterministicPerSeed(Case c) {
        Model m = c.model();
        float[] a = new float[m.parameterCount()];
        float[] b = new float[m.parameterCount()];
        Arrays.fill(b, 9f);
        m.initialize(a, 42);
        m.initialize(b, 42);
        assertThat(b).containsExactly(a);
        float[] other = new float[m.parameterCount()];
        m.initialize(other, 43);
        if (m instanceof Mlp || m instanceof Cnn) {
            assertThat(other).isNotEqualTo(a);
        }
        for (float v : a) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    /**
     * The predicted class is the one of highest probability: for each example, the class whose label gives the
     * smallest loss (computed through lossAndGradient on a one-example data set per label).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void predictIsTheArgmaxOfTheForwardPass(Case c) {
        Model m = c.model();
        float[] p = params(m, 7);
        Dataset d = c.data();
        int[] pred = new int[d.size()];
        m.predict(p, all(d), pred, m.workspace(d.size()));
        Model.Workspace one = m.workspace(1);
        float[] g = new float[m.parameterCount()];
        float[] row = new float[d.features()];
        for (int i = 0; i < d.size(); i++) {
            d.copyRow(i, row, 0);
            int best = -1;
            double bestLoss = Double.POSITIVE_INFINITY;
            for (int y = 0; y < m.classes(); y++) {
                Dataset single = Dataset.dense("x", row.clone(), new int[] {y}, d.features(), m.classes(),
                        d.shape());
                double loss = m.lossAndGradient(p, Batch.range(single, 0, 1), g, one);
                if (loss < bestLoss) {
                    bestLoss = loss;
                    best = y;
                }
            }
            assertThat(pred[i]).as("example " + i).isEqualTo(best);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aReusedWorkspaceGivesTheSameResultsForSmallerBatches(Case c) {
        Model m = c.model();
        float[] p = params(m, 9);
        Dataset d = c.data();
        Model.Workspace big = m.workspace(d.size() + 3);
        float[] g1 = new float[m.parameterCount()];
        m.lossAndGradient(p, all(d), g1, big);
        int[] rows = {d.size() - 1, 0, 2};
        Batch small = new Batch(d, rows, 3);
        float[] reused = new float[m.parameterCount()];
        Arrays.fill(reused, Float.NaN);
        double l1 = m.lossAndGradient(p, small, reused, big);
        float[] fresh = new float[m.parameterCount()];
        double l2 = m.lossAndGradient(p, small, fresh, m.workspace(3));
        assertThat(l1).isEqualTo(l2);
        assertThat(reused).containsExactly(fresh);
        int[] o1 = new int[3];
        int[] o2 = new int[3];
        m.predict(p, small, o1, big);
        m.predict(p, small, o2, m.workspace(3));
        assertThat(o1).containsExactly(o2);
        // Back to the full batch on the same workspace.
        float[] again = new float[m.parameterCount()];
        m.lossAndGradient(p, all(d), again, big);
        assertThat(again).containsExactly(g1);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rejectsOversizedBatchesForeignWorkspacesAndWrongData(Case c) {
        Model m = c.model();
        float[] p = params(m, 1);
        float[] g = new float[m.parameterCount()];
        Dataset d = c.data();
        assertThatThrownBy(() -> m.lossAndGradient(p, all(d), g, m.workspace(d.size() - 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds");
        Model twin = Models.create(m.spec(), d.shape(), m.classes());
        assertThatThrownBy(() -> m.lossAndGradient(p, all(d), g, twin.workspace(d.size())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("workspace");
        Dataset wider = ModelTesting.randomDense("wider", 3, 2, 1, 0, d.features() + 1);
        assertThatThrownBy(() -> m.lossAndGradient(p, all(wider), g, m.workspace(3)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("features");
        assertThatThrownBy(() -> m.lossAndGradient(new float[1], all(d), g, m.workspace(d.size())))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("parameter");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void specRoundTripsThroughTheFactory(Case c) {
        Model m = c.model();
        Model again = Models.create(m.spec(), c.data().shape(), m.classes());
        assertThat(again.spec()).isEqualTo(m.spec());
        assertThat(again.parameterCount()).isEqualTo(m.parameterCount());
        assertThat(again.layers()).isEqualTo(m.layers());
        assertThat(again.inputs()).isEqualTo(c.data().features());
    }
}
