package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import org.apache.hadoop.conf.Configuration;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.train.Checkpoint;
import org.scaleml.train.CheckpointStore;
import org.scaleml.train.data.Dataset;

/** Canonical parts, the Hadoop checkpoint store and the model file, without a Spark context. */
class PartsAndStoresTest {
    private static List<Row> rows(boolean sparse) {
        Random rnd = new Random(3);
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            double[] x = new double[20];
            for (int j = 0; j < 20; j++) {
                x[j] = rnd.nextInt(10) < 2 ? rnd.nextGaussian() : 0;
            }
            rows.add(RowFactory.create(sparse ? Vectors.dense(x).toSparse() : Vectors.dense(x), (double) (i % 3)));
        }
        rows.add(rows.get(5)); // a duplicate row
        return rows;
    }

    @Test
    void aPartitionGivesTheSameDataSetInAnyArrivalOrder() {
        for (boolean sparse : new boolean[] {false, true}) {
            List<Row> rows = rows(sparse);
            Dataset a = Parts.read("p", rows.iterator(), "f", "l", 20, 3, new int[] {20});
            List<Row> shuffled = new ArrayList<>(rows);
            Collections.shuffle(shuffled, new Random(9));
            Dataset b = Parts.read("p", shuffled.iterator(), "f", "l", 20, 3, new int[] {20});
            assertThat(a.isSparse()).isEqualTo(sparse);
            assertThat(a.size()).isEqualTo(201);
            assertThat(b.labels()).isEqualTo(a.labels());
            float[] ra = new float[20];
            float[] rb = new float[20];
            for (int i = 0; i < a.size(); i++) {
                a.copyRow(i, ra, 0);
                b.copyRow(i, rb, 0);
                assertThat(rb).isEqualTo(ra);
            }
        }
    }

    @Test
    void badRowsAreNamedWithTheirColumnAndPosition() {
        List<Row> rows = new ArrayList<>(rows(false));
        rows.add(3, RowFactory.create(Vectors.dense(1, 2), 1.0));
        assertThatThrownBy(() -> Parts.read("p", rows.iterator(), "feats", "lab", 20, 3, new int[] {20}))
                .hasMessageContaining("column 'feats', row 4").hasMessageContaining("2 features, expected 20");
        List<Row> labels = new ArrayList<>(rows(false));
        labels.add(RowFactory.create(Vectors.dense(new double[20]), 3.0));
        assertThatThrownBy(() -> Parts.read("p", labels.iterator(), "feats", "lab", 20, 3, new int[] {20}))
                .hasMessageContaining("column 'lab', row 202").hasMessageContaining("not an integer in [0, 3)");
    }

    @Test
    void hadoopStoreWritesListsReadsAndDeletesCheckpoints(@TempDir Path dir) throws Exception {
        CheckpointStore store = new HadoopCheckpointStore(dir.resolve("run-1").toUri().toString(),
                new Configuration());
        assertThat(store.steps(0)).isEmpty();
        Checkpoint c = new Checkpoint("fp", 0, 2, 10, 1.5, 100, 0.5, 3, 1.0, 50, new float[] {1, 2, 3}, 10,
                new float[][] {{4, 5, 6}}, new float[0][][]);
        for (long step : new long[] {10, 20, 30}) {
            new Checkpoint("fp", 0, 2, step, 1.5, 100, 0.5, 3, 1.0, 50, new float[] {1, 2, 3}, step,
                    new float[][] {{4, 5, 6}}, new float[0][][]).write(store, 2);
        }
        c.write(store, 5); // an old step again: kept, as the newest 5 are
        assertThat(store.steps(0)).containsExactly(10L, 20L, 30L);
        assertThat(store.steps(1)).isEmpty();
        Checkpoint back = Checkpoint.readMatching(store, 30, 0, 3, "fp");
        assertThat(back.steps()).isEqualTo(30);
        assertThat(back.params()).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> Checkpoint.readMatching(store, 30, 0, 3, "other"))
                .hasMessageContaining("another configuration");
        store.delete(10, 0);
        assertThat(store.steps(0)).containsExactly(20L, 30L);
    }

    @Test
    void modelFilesRoundTripAndDamageIsDetected() {
        TrainingSummary s = new TrainingSummary("run-x", 2, "plan", "tcp", 1, List.of(new TrainingSummary.Epoch(1, 10, 10,
                0.5, 0.9, 1.0, 1.0, 100, 100, 10.0, true)));
        float[] params = new float[2 * 5 + 2];
        for (int i = 0; i < params.length; i++) {
            params[i] = i * 0.25f - 1;
        }
        ScaleMLClassificationModel m = new ScaleMLClassificationModel("uid-1", "softmax", 5, 2, new int[] {5},
                params, s);
        byte[] bytes = m.encode();
        ScaleMLClassificationModel back = ScaleMLClassificationModel.decode("uid-1", bytes, "f");
        assertThat(back.parameters()).isEqualTo(params);
        assertThat(back.summary()).isEqualTo(s);
        assertThat(back.uid()).isEqualTo("uid-1");
        bytes[bytes.length / 2] ^= 1;
        assertThatThrownBy(() -> ScaleMLClassificationModel.decode("uid-1", bytes, "f")).hasMessageContaining("CRC");
        assertThatThrownBy(() -> ScaleMLClassificationModel.decode("u", new byte[30], "g"))
                .hasMessageContaining("not a ScaleML model");
    }

    @Test
    void sparkConnectFindsTheEstimatorAndTheModelAsServices() {
        // as Spark Connect reads them: by provider type (MLlib's own models have no public constructor)
        List<String> estimators = java.util.ServiceLoader.load(org.apache.spark.ml.Estimator.class).stream()
                .map(p -> p.type().getName()).toList();
        List<String> transformers = java.util.ServiceLoader.load(org.apache.spark.ml.Transformer.class).stream()
                .map(p -> p.type().getName()).toList();
        assertThat(estimators).contains(ScaleMLClassifier.class.getName());
        assertThat(transformers).contains(ScaleMLClassificationModel.class.getName());
    }
}
