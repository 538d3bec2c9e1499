package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two executor JVMs of two cores each ({@code local-cluster[2,2,1024]}) and four workers: two ranks in each JVM
 * exchange frames through memory, and TCP connects the two JVMs (the hybrid transport). The model must be bitwise
 * what in-process training gives on the same partitions.
 */
class LocalClusterHybridTest {
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void fourWorkersOnTwoExecutorsOfTwoCores() throws Exception {
        SparkSession spark = SparkSession.builder().master("local-cluster[2,2,1024]").appName("scaleml-hybrid")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", System.getProperty("java.class.path"))
                .config("spark.sql.shuffle.partitions", "4")
                .getOrCreate();
        SparkTestSupport.use(spark);
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Preflight.slots(spark.sparkContext()) < 4 && System.nanoTime() < deadline) {
                Thread.sleep(200); // executors register a few seconds after the context starts
            }
            assertThat(Preflight.slots(spark.sparkContext())).isEqualTo(4);
            Dataset<Row> df = SparkTestSupport.blobs(800, ScaleMLClassifierTest.FEATURES, 3, 31);
            ScaleMLClassificationModel m = new ScaleMLClassifier().setModelSpec("mlp:hidden=16").setNumWorkers(4)
                    .setEpochs(2).setBatchSize(16).setSeed(7).setOptimizer("sgd:lr=0.1,momentum=0.9")
                    .setCodec("qsgd:bits=4,norm=max").setMinCompressed(64).fit(df);
            assertThat(m.summary().last().paramsIdentical()).isTrue();
            assertThat(m.summary().links()).as("two ranks per executor JVM").isEqualTo("memory+tcp");
            var parts = ScaleMLClassifierTest.parts(df, 4, 3);
            var ref = org.scaleml.train.InProcessJob.trainOnParts(new JobConfig("x", 4, "mlp:hidden=16",
                    "sgd:lr=0.1,momentum=0.9", "qsgd:bits=4,norm=max", 64, java.util.Map.of(), "sync", 1, "mean", 16,
                    2, 0, 7, ScaleMLClassifierTest.FEATURES, 3, new int[] {ScaleMLClassifierTest.FEATURES}, null, 200,
                    new byte[32], 0, 0, 1000, 1000, -1, -1, -1, true).settings(), parts,
                    org.scaleml.train.data.Dataset.dense("none", new float[0], new int[0],
                            ScaleMLClassifierTest.FEATURES, 3), null, null);
            assertThat(m.parameters()).isEqualTo(ref.params());
        } finally {
            spark.stop();
        }
    }
}
