package org.scaleml.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/** A shared local Spark session and small generated data sets for the tests. */
final class SparkTestSupport {
    private static SparkSession session;

    private SparkTestSupport() {
    }

    /** One {@code local[4,3]} session for the test JVM (4 slots; a task may fail up to 3 times). */
    /** Makes {@code s} the session of this test JVM (a class that needs another master makes its own). */
    static synchronized void use(SparkSession s) {
        session = s;
    }

    static synchronized SparkSession spark() {
        if (session == null) {
            session = SparkSession.builder().master("local[4,3]").appName("scaleml-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.sql.shuffle.partitions", "4")
                    .config("spark.executor.heartbeatInterval", "1s")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .getOrCreate();
            session.sparkContext().setLogLevel("WARN");
        }
        return session;
    }

    static final StructType SCHEMA = new StructType(new StructField[] {
        new StructField("features", SQLDataTypes.VectorType(), false, Metadata.empty()),
        new StructField("label", DataTypes.DoubleType, false, Metadata.empty())});

    /**
     * {@code n} examples of {@code classes} Gaussian blobs in {@code features} dimensions (class c centred at
     * {@code 2 e_c}), separable enough for every model to learn.
     */
    static Dataset<Row> blobs(int n, int features, int classes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        List<Row> rows = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(classes);
            double[] x = new double[features];
            for (int j = 0; j < features; j++) {
                x[j] = rnd.nextGaussian() * 0.7 + (j % classes == c ? 2.0 : 0.0);
            }
            rows.add(RowFactory.create(Vectors.dense(x), (double) c));
        }
        return spark().createDataFrame(rows, SCHEMA);
    }
}
