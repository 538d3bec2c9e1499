package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Two executor JVMs ({@code local-cluster[2,1,1024]}): the ranks live in different processes and talk over real TCP.
 * Runs in its own test JVM (surefire forks one per test class), since a JVM holds one SparkContext.
 */
class LocalClusterTest {
    @Test
    @Timeout(value = 240, unit = TimeUnit.SECONDS)
    void trainsAcrossTwoExecutorJvms() throws Exception {
        String cp = System.getProperty("java.class.path");
        SparkSession spark = SparkSession.builder().master("local-cluster[2,1,1024]").appName("scaleml-local-cluster")
                .config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1")
                .config("spark.driver.bindAddress", "127.0.0.1")
                .config("spark.executor.extraClassPath", cp)
                .config("spark.sql.shuffle.partitions", "2")
                .getOrCreate();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (Preflight.slots(spark.sparkContext()) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(200); // executors register a few seconds after the context starts
            }
            assertThat(Preflight.slots(spark.sparkContext())).isEqualTo(2);
            SplittableRandom rnd = new SplittableRandom(5);
            List<Row> rows = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                int c = rnd.nextInt(2);
                double[] x = new double[8];
                for (int j = 0; j < 8; j++) {
                    x[j] = rnd.nextGaussian() * 0.5 + (j % 2 == c ? 1.5 : 0);
                }
                rows.add(RowFactory.create(Vectors.dense(x), (double) c));
            }
            Dataset<Row> df = spark.createDataFrame(rows, SparkTestSupport.SCHEMA);
            ScaleMLClassificationModel m = new ScaleMLClassifier().setModelSpec("logreg").setNumWorkers(2)
                    .setEpochs(2).setBatchSize(16).setValidationData(df).fit(df);
            assertThat(m.summary().last().validationAccuracy()).isGreaterThan(0.9);
            assertThat(m.summary().last().paramsIdentical()).isTrue();
            assertThat(m.summary().links()).as("one rank per executor JVM").isEqualTo("tcp");
            assertThat(m.summary().last().bytesSentPerRank()).isPositive();
            // the two ranks ran in the two executor processes
            List<String> executors = new ArrayList<>();
            for (org.apache.spark.SparkExecutorInfo e : spark.sparkContext().statusTracker().getExecutorInfos()) {
                executors.add(e.host() + ":" + e.port());
            }
            assertThat(executors).hasSizeGreaterThanOrEqualTo(3); // the driver and two executors
        } finally {
            spark.stop();
        }
    }
}
