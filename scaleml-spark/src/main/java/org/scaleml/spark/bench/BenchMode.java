package org.scaleml.spark.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.scaleml.spark.ScaleMLClassifier;
import org.scaleml.spark.TrainingSummary;

/**
 * One mode of {@link SparkBench}: what every mode needs (the Spark session, the common options, the report) and
 * the ScaleML estimator they all configure the same way. A mode runs once, on the driver thread; not thread-safe.
 */
abstract class BenchMode {
    final SparkSession spark;
    final int cores;
    final int workers;
    final long seed;
    final int epochs;
    final int repeats;
    private final BenchReport report;

    BenchMode(SparkBench options, SparkSession spark, BenchReport report) {
        this.spark = spark;
        this.cores = options.cores;
        this.workers = options.workers;
        this.seed = options.seed;
        this.epochs = options.epochs;
        this.repeats = options.repeats;
        this.report = report;
    }

    /** Runs the mode's measurements on the materialized training and test frames. */
    abstract void run(Dataset<Row> train, Dataset<Row> test) throws InterruptedException;

    /** ScaleML's estimator for {@code model} with {@code e} epochs, the bench's workers and seed. */
    final ScaleMLClassifier scaleml(String model, int e) {
        return new ScaleMLClassifier().setModelSpec(model).setNumWorkers(workers).setEpochs(e).setSeed(seed);
    }

    /** Prints one measurement (see {@link BenchReport#emit}). */
    final void emit(ObjectNode n) {
        report.emit(n);
    }

    /** The training seconds of a fit: the sum of its epochs' seconds (Spark's fixed costs excluded). */
    static double trainSeconds(TrainingSummary s) {
        return s.epochs().stream().mapToDouble(TrainingSummary.Epoch::seconds).sum();
    }
}
