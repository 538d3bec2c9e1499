package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.train.InProcessJob;
import org.scaleml.train.DataParallelTrainer;

/** fit on local[4] against the in-process trainer on the same partitions; transform; save and load; Params. */
class ScaleMLClassifierTest {
    static final int FEATURES = 12;
    static final int CLASSES = 3;

    /** The parts the estimator trains on: the same repartition and canonical order, collected to the driver. */
    static List<org.scaleml.train.data.Dataset> parts(Dataset<Row> df, int workers, int classes) {
        Dataset<Row> sel = df.select("features", "label").repartition(workers);
        List<org.scaleml.train.data.Dataset> out = new ArrayList<>();
        for (int r = 0; r < workers; r++) {
            out.add(null);
        }
        List<Row> all = sel.toJavaRDD().mapPartitionsWithIndex((idx, it) -> {
            List<Row> tagged = new ArrayList<>();
            while (it.hasNext()) {
                Row row = it.next();
                tagged.add(org.apache.spark.sql.RowFactory.create(idx, row.get(0), row.get(1)));
            }
            return tagged.iterator();
        }, false).collect();
        for (int r = 0; r < workers; r++) {
            final int rank = r;
            List<Row> mine = new ArrayList<>();
            for (Row row : all) {
                if (row.getInt(0) == rank) {
                    mine.add(org.apache.spark.sql.RowFactory.create(row.get(1), row.get(2)));
                }
            }
            out.set(rank, Parts.read("part-" + rank, mine.iterator(), "features", "label", FEATURES, classes,
                    new int[] {FEATURES}));
        }
        return out;
    }

    private static ScaleMLClassifier small(int workers) {
        return new ScaleMLClassifier().setModelSpec("mlp:hidden=16").setNumWorkers(workers).setEpochs(2)
                .setBatchSize(16).setSeed(7).setOptimizer("sgd:lr=0.1,momentum=0.9");
    }

    @Test
    void fitEqualsInProcessTrainingOnTheSamePartitionsBitwise() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobs(900, FEATURES, CLASSES, 1);
        Dataset<Row> valid = SparkTestSupport.blobs(300, FEATURES, CLASSES, 2);
        for (int workers : new int[] {2, 4}) {
            // 2 workers over TCP between the task threads, 4 through the in-process network (all in this JVM)
            SparkTestSupport.spark().conf().set(SparkTraining.IN_PROCESS_TRANSPORT, workers == 4);
            ScaleMLClassifier est = small(workers).setCodec("qsgd:bits=4,norm=max").setMinCompressed(64);
            ScaleMLClassificationModel m = est.setValidationData(valid).fit(df);
            TrainingSummary s = m.summary();
            assertThat(s.epochs()).hasSize(2);
            assertThat(s.workers()).isEqualTo(workers);
            assertThat(s.links()).isEqualTo(workers == 4 ? "memory" : "tcp");
            assertThat(s.last().validationAccuracy()).isGreaterThan(0.9);
            assertThat(s.last().paramsIdentical()).isTrue();
            assertThat(s.last().bytesSentPerRank()).isPositive();

            List<org.scaleml.train.data.Dataset> parts = parts(df, workers, CLASSES);
            org.scaleml.train.data.Dataset v = parts(valid, 1, CLASSES).get(0);
            DataParallelTrainer.Result ref = InProcessJob.trainOnParts(
                    new JobConfig("x", workers, "mlp:hidden=16", "sgd:lr=0.1,momentum=0.9", "qsgd:bits=4,norm=max",
                            64, java.util.Map.of(), "sync", 1, "mean", 16, 2, 0, 7, FEATURES, CLASSES,
                            new int[] {FEATURES}, null, 200, new byte[32], 0, 0, 1000, 1000, -1, -1, -1, true)
                            .settings(), parts, v, null, null);
            assertThat(m.parameters()).as("%d workers", workers).isEqualTo(ref.params());
            assertThat(s.last().validationAccuracy()).isEqualTo(ref.epochs().get(1).testAccuracy());
        }
        SparkTestSupport.spark().conf().unset(SparkTraining.IN_PROCESS_TRANSPORT);
    }

    @Test
    void everyTrainerAndARobustRuleTrainOnSpark() {
        Dataset<Row> df = SparkTestSupport.blobs(600, FEATURES, CLASSES, 9);
        String[][] runs = {{"local", "mean", "qsgd:bits=4,norm=max"}, {"swarm", "mean", "none"},
            {"partial", "mean", "none"}, {"sync", "median", "none"}};
        for (String[] run : runs) {
            ScaleMLClassificationModel m = small(3).setTrainer(run[0]).setAggregator(run[1]).setCodec(run[2])
                    .setMinCompressed(64).setValidationData(df).fit(df);
            TrainingSummary.Epoch last = m.summary().last();
            assertThat(last.validationAccuracy()).as("%s/%s", run[0], run[1]).isGreaterThan(0.9);
            assertThat(last.paramsIdentical()).as("%s", run[0]).isEqualTo(!run[0].equals("swarm"));
        }
    }

    @Test
    void progressReachesTheDriverWithExecutorHeartbeats() {
        Dataset<Row> df = SparkTestSupport.blobs(2000, FEATURES, CLASSES, 8);
        java.util.List<long[]> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        // a slow run (6000 steps of 1 MB allreduces: seconds) so that heartbeats (every 1 s in these tests) see it
        ScaleMLClassifier est = small(2).setModelSpec("mlp:hidden=512-512").setEpochs(6).setBatchSize(1)
                .setMaxStepsPerEpoch(1000).setProgress((done, total) -> seen.add(new long[] {done, total}));
        ScaleMLClassificationModel m = est.fit(df);
        assertThat(m.summary().last().steps()).isEqualTo(6000);
        assertThat(seen).isNotEmpty();
        for (long[] p : seen) { // heartbeat reports while the stage runs (as many as its length allows)
            assertThat(p[1]).isEqualTo(6000);
            assertThat(p[0]).isBetween(0L, 6000L);
        }
        // and the last report, delivered when the stage has succeeded whatever the heartbeat timing, is the end
        assertThat(seen.get(seen.size() - 1)).containsExactly(6000, 6000);
    }

    @Test
    void transformAddsMllibColumnsAndSaveLoadIsExact(@TempDir Path dir) throws Exception {
        Dataset<Row> df = SparkTestSupport.blobs(600, FEATURES, CLASSES, 3);
        ScaleMLClassificationModel m = small(2).fit(df);
        Dataset<Row> out = m.transform(df);
        assertThat(out.columns()).contains("features", "label", "rawPrediction", "probability", "prediction");
        List<Row> rows = out.select("rawPrediction", "probability", "prediction", "label").collectAsList();
        int correct = 0;
        for (Row r : rows) {
            Vector raw = (Vector) r.get(0);
            Vector p = (Vector) r.get(1);
            assertThat(raw.size()).isEqualTo(CLASSES);
            double sum = 0;
            for (int c = 0; c < CLASSES; c++) {
                sum += p.apply(c);
            }
            assertThat(sum).isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-9));
            assertThat(r.getDouble(2)).isEqualTo((double) raw.argmax());
            correct += r.getDouble(2) == r.getDouble(3) ? 1 : 0;
        }
        assertThat(correct / (double) rows.size()).isGreaterThan(0.9);

        String path = dir.resolve("model").toString();
        m.write().save(path);
        ScaleMLClassificationModel back = ScaleMLClassificationModel.load(path);
        assertThat(back.uid()).isEqualTo(m.uid());
        assertThat(back.parameters()).isEqualTo(m.parameters());
        assertThat(back.summary()).isEqualTo(m.summary());
        assertThat(back.numClasses()).isEqualTo(CLASSES);
        assertThat(back.numFeatures()).isEqualTo(FEATURES);
        assertThat(back.transform(df).select("prediction").collectAsList())
                .isEqualTo(out.select("prediction").collectAsList());
    }

    @Test
    void paramsAreDiscoverableCopiedAndPersisted(@TempDir Path dir) throws Exception {
        ScaleMLClassifier est = new ScaleMLClassifier();
        assertThat(est.getNumWorkers()).isEqualTo(2);
        assertThat(est.getCodec()).isEqualTo("none");
        assertThat(est.getOptimizer()).startsWith("sgd:lr=0.1");
        est.set(est.getParam("numWorkers"), 4);
        est.set(est.getParam("codec"), "ef:topk:ratio=0.01");
        assertThat(est.getNumWorkers()).isEqualTo(4);
        List<String> names = new ArrayList<>();
        for (org.apache.spark.ml.param.Param<?> p : est.params()) {
            names.add(p.name());
        }
        assertThat(names).contains("modelSpec", "optimizer", "codec", "layerCodecs", "trainer", "localSteps",
                "aggregator", "numWorkers", "epochs", "batchSize", "seed", "checkpointPath", "checkpointEvery",
                "featuresCol", "labelCol", "predictionCol", "probabilityCol", "rawPredictionCol");
        ScaleMLClassifier copy = est.copy(new org.apache.spark.ml.param.ParamMap());
        assertThat(copy.uid()).isEqualTo(est.uid());
        assertThat(copy.getNumWorkers()).isEqualTo(4);
        assertThat(copy.getCodec()).isEqualTo("ef:topk:ratio=0.01");
        String path = dir.resolve("est").toString();
        est.write().save(path);
        ScaleMLClassifier back = ScaleMLClassifier.load(path);
        assertThat(back.uid()).isEqualTo(est.uid());
        assertThat(back.getNumWorkers()).isEqualTo(4);
        assertThat(back.getCodec()).isEqualTo("ef:topk:ratio=0.01");
        assertThat(back.getEpochs()).isEqualTo(5);
    }

    @Test
    void badInputGetsOneClearMessage() {
        Dataset<Row> df = SparkTestSupport.blobs(200, FEATURES, CLASSES, 4);
        ScaleMLClassifier est = small(2);
        assertThatThrownBy(() -> est.fit(df.withColumn("features", df.col("label"))))
                .hasMessageContaining("features column 'features' is of type double").hasMessageContaining("vector");
        assertThatThrownBy(() -> est.fit(df.withColumn("label", df.col("label").plus(0.5))))
                .hasMessageContaining("label column 'label'").hasMessageContaining("not class indices");
        assertThatThrownBy(() -> est.fit(df.withColumn("label", df.col("label").minus(1))))
                .hasMessageContaining("not class indices");
        Dataset<Row> mixed = df.union(SparkTestSupport.blobs(10, FEATURES + 1, CLASSES, 5));
        assertThatThrownBy(() -> est.fit(mixed)).hasMessageContaining("features column 'features'")
                .hasMessageContaining("vectors of " + FEATURES + " to " + (FEATURES + 1) + " values");
        assertThatThrownBy(() -> est.fit(df.drop("label"))).hasMessageContaining("label column 'label' not found");
        assertThatThrownBy(() -> small(2).setModelSpec("cnn").setInputShape("1x3x5").fit(df))
                .hasMessageContaining("inputShape 1x3x5 holds 15 values");
        assertThatThrownBy(() -> small(2).setModelSpec("nonsense").fit(df)).hasMessageContaining("nonsense");
        assertThatThrownBy(() -> small(2).setBatchSize(150).fit(df)).hasMessageContaining("numWorkers x batchSize");
        assertThatThrownBy(() -> small(2).setLayerCodecs("fc1").fit(df)).hasMessageContaining("LAYER=SPEC");
        assertThatThrownBy(() -> small(2).setPortRange("9-3").fit(df)).hasMessageContaining("portRange");
    }
}
