package org.scaleml.spark;

import java.io.DataInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;


import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.rdd.RDD;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.scaleml.train.GradientExchange;
import org.scaleml.train.TrainSettings;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizers;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import scala.reflect.ClassTag;
import scala.reflect.ClassTag$;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.count;
import static org.apache.spark.sql.functions.floor;
import static org.apache.spark.sql.functions.lit;
import static org.apache.spark.sql.functions.max;
import static org.apache.spark.sql.functions.min;
import static org.apache.spark.sql.functions.sum;
import static org.apache.spark.sql.functions.when;

/** One {@link ScaleMLClassifier#fit} on the driver: checks, the barrier stage, the model. */
final class SparkTraining {
    private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);
    static final int SECRET_BYTES = 32;
    /**
     * Spark setting: when every rank of a stage attempt runs in one JVM ({@code local[N]}, or a single executor),
     * they exchange frames in memory instead of over loopback TCP (default true; false forces TCP). Read from the
     * session's configuration at each fit, so {@code spark.conf().set(...)} works as well as {@code --conf}.
     */
    static final String IN_PROCESS_TRANSPORT = "spark.scaleml.inProcessTransport";

    private final ScaleMLClassifier est;

    SparkTraining(ScaleMLClassifier est) {
        this.est = est;
    }

    /** The data's facts, read in one pass on the driver. */
    record Facts(long rows, int features, int classes) {
    }

    ScaleMLClassificationModel fit(Dataset<?> dataset) {
        SparkContext sc = dataset.sparkSession().sparkContext();
        int workers = est.getNumWorkers();
        if (workers < 1) {
            throw new IllegalArgumentException("numWorkers must be at least 1, got " + workers);
        }
        est.checkColumns(dataset.schema());
        // settings that need no data: fail before any Spark job
        TrainSettings probe = new TrainSettings(est.getModelSpec(), est.getOptimizer(), est.getCodec(),
                est.getMinCompressed(), est.layerCodecMap(), est.getBatchSize(), est.getEpochs(),
                est.getMaxStepsPerEpoch(), est.getSeed(), null, est.getCheckpointEvery(), false, true,
                est.coordination());
        Optimizers.create(probe.optimizer(), 1, 1);
        int[] ports = est.ports();
        Preflight.check(sc, workers);

        Dataset<Row> data = dataset.select(col(est.getFeaturesCol()), col(est.getLabelCol()).cast("double"));
        // the checks and the repartition both read the input: cache it for the fit unless the caller did
        boolean persisted = dataset.storageLevel().equals(org.apache.spark.storage.StorageLevel.NONE());
        if (persisted) {
            data = data.persist(org.apache.spark.storage.StorageLevel.MEMORY_AND_DISK());
        }
        try {
            boolean shared = Boolean.parseBoolean(dataset.sparkSession().conf().get(IN_PROCESS_TRANSPORT, "true"));
            return fit(sc, data, workers, probe, ports, shared);
        } finally {
            if (persisted) {
                data.unpersist(false);
            }
        }
    }

    private ScaleMLClassificationModel fit(SparkContext sc, Dataset<Row> data, int workers, TrainSettings probe,
                                           int[] ports, boolean sharedMemory) {
        Facts facts = facts(data, est.getFeaturesCol(), est.getLabelCol());
        long need = (long) workers * est.getBatchSize();
        if (facts.rows() < need) {
            throw new IllegalArgumentException("the training data has " + facts.rows() + " rows, fewer than "
                    + "numWorkers x batchSize = " + need + ": some worker's partition would hold no full batch");
        }
        int[] shape = est.shape(facts.features());
        Model model = Models.create(probe.model(), shape, facts.classes());
        GradientExchange.checkOverrides(model.layers(), probe.layerCodecs());

        String runId = est.getRunId().isBlank() ? newRunId() : est.getRunId().trim();
        String ckpt = est.getCheckpointPath().isBlank() ? null
                : est.getCheckpointPath().replaceAll("/+$", "") + "/" + runId;
        if (ckpt != null) {
            checkWritable(sc, ckpt);
        }
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        warnIfRpcOpen(sc.getConf());

        Broadcast<DataHolder> valid = null;
        if (est.getValidationData() != null) {
            Dataset<?> v = est.getValidationData();
            est.checkColumns(v.schema());
            Dataset<Row> vd = v.select(col(est.getFeaturesCol()), col(est.getLabelCol()).cast("double"));
            org.scaleml.train.data.Dataset vds = Parts.read("validation", vd.toLocalIterator(),
                    est.getFeaturesCol(), est.getLabelCol(), facts.features(), facts.classes(), shape);
            valid = sc.broadcast(new DataHolder(vds), ClassTag$.MODULE$.apply(DataHolder.class));
        }
        JobConfig cfg = new JobConfig(runId, workers, probe.model(), probe.optimizer(), probe.codec(),
                probe.minCompressed(), probe.layerCodecs(), probe.coordination().trainer(),
                probe.coordination().localSteps(), probe.coordination().aggregator(), probe.batch(), probe.epochs(),
                probe.maxStepsPerEpoch(), probe.seed(), facts.features(), facts.classes(), shape, ckpt,
                probe.checkpointEvery(), secret, ports[0], ports[1],
                est.getNetworkTimeoutSeconds() * 1000L, Math.max(30_000L, est.getNetworkTimeoutSeconds() * 1000L),
                est.failRank, est.failStep, est.hangRank, sharedMemory);
        java.util.Arrays.fill(secret, (byte) 0);

        String group = "scaleml-" + runId;
        sc.setJobGroup(group, "ScaleML " + probe.coordination().trainer() + " training of " + probe.model() + " on "
                + workers + " workers (run " + runId + ")", false);
        // round-robin parts hold floor(rows / workers) rows or one more; the trainer sizes epochs by the smallest
        long total = (long) new org.scaleml.train.DataParallelTrainer(probe).stepsPerEpochOfParts(
                (int) Math.min(Integer.MAX_VALUE, facts.rows() / workers)) * probe.epochs();
        ScaleMLClassifier.Progress callback = est.getProgress();
        RankResult r;
        try (FitProgress progress = new FitProgress(sc, runId, total,
                callback == null ? null : done -> callback.steps(done, total))) {
            r = runStage(data, cfg, valid, progress);
            progress.finish();
        } finally {
            sc.clearJobGroup();
            if (valid != null) {
                valid.destroy();
            }
        }
        float[] params = r.params != null ? r.params : readParams(sc, r.paramsPath);
        LOG.info("ScaleML run {} finished: {}", runId, r.summary);
        return new ScaleMLClassificationModel(org.apache.spark.ml.util.Identifiable.randomUID("scalemlModel"),
                probe.model(), facts.features(), facts.classes(), shape, params, r.summary);
    }

    /** The barrier stage and the retryable collect of rank 0's result. */
    private RankResult runStage(Dataset<Row> data, JobConfig cfg, Broadcast<DataHolder> valid, FitProgress progress) {
        RDD<Row> parts = data.repartition(cfg.workers).rdd();
        ClassTag<RankResult> tag = ClassTag$.MODULE$.apply(RankResult.class);
        RDD<RankResult> out = parts.barrier().mapPartitions(
                new RankTask(cfg, est.getFeaturesCol(), est.getLabelCol(), valid, progress.accumulator()), false, tag);
        // through a shuffle: a failed barrier stage is then a shuffle map stage, which Spark retries
        List<RankResult> results = new JavaRDD<>(out.repartition(1, null), tag).collect();
        if (results.size() != 1) {
            throw new IllegalStateException("run " + cfg.runId + ": expected rank 0's result, got " + results.size());
        }
        return results.get(0);
    }

    /** Rows, feature count and classes, with every label and vector checked, in one Spark job. */
    static Facts facts(Dataset<Row> data, String featuresCol, String labelCol) {
        UserDefinedFunction size = org.apache.spark.sql.functions.udf(
                (UDF1<Vector, Integer>) v -> v == null ? -1 : v.size(), DataTypes.IntegerType);
        Column f = size.apply(col(featuresCol));
        Column l = col(labelCol);
        Row s = data.agg(count(lit(1)), min(l), max(l),
                sum(when(l.isNull().or(l.lt(0)).or(l.notEqual(floor(l))), 1).otherwise(0)), min(f), max(f)).head();
        long rows = s.getLong(0);
        if (rows == 0) {
            throw new IllegalArgumentException("the training data is empty");
        }
        long bad = s.isNullAt(3) ? 0 : s.getLong(3);
        if (bad > 0) {
            Row example = data.filter(l.isNull().or(l.lt(0)).or(l.notEqual(floor(l)))).select(l).head();
            throw new IllegalArgumentException("label column '" + labelCol + "': " + bad + " of " + rows
                    + " labels are not class indices 0..K-1 (integers from 0), e.g. " + example.get(0));
        }
        int minSize = s.getInt(4);
        int maxSize = s.getInt(5);
        if (minSize < 0) {
            throw new IllegalArgumentException("features column '" + featuresCol + "' holds null vectors");
        }
        if (minSize != maxSize) {
            throw new IllegalArgumentException("features column '" + featuresCol + "': vectors of " + minSize
                    + " to " + maxSize + " values; every row needs the same number of features");
        }
        if (minSize == 0) {
            throw new IllegalArgumentException("features column '" + featuresCol + "': vectors of 0 features");
        }
        double maxLabel = s.getDouble(2);
        if (maxLabel + 1 > Integer.MAX_VALUE / 2) {
            throw new IllegalArgumentException("label column '" + labelCol + "': label " + maxLabel
                    + " is too large for a class index");
        }
        int classes = Math.max(2, (int) maxLabel + 1);
        return new Facts(rows, minSize, classes);
    }

    private static String newRunId() {
        byte[] b = new byte[6];
        new SecureRandom().nextBytes(b);
        return "run-" + System.currentTimeMillis() / 1000 + "-" + HexFormat.of().formatHex(b);
    }

    /** Fails fast, naming the path, if checkpoints cannot be written there. */
    private static void checkWritable(SparkContext sc, String dir) {
        Path p = new Path(dir);
        try {
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            if (!fs.mkdirs(p)) {
                throw new IllegalArgumentException("checkpointPath: cannot create " + dir);
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("checkpointPath: cannot create " + dir + ": " + e.getMessage(), e);
        }
    }

    private static void warnIfRpcOpen(SparkConf conf) {
        boolean auth = conf.getBoolean("spark.authenticate", false);
        boolean crypto = conf.getBoolean("spark.network.crypto.enabled", false);
        if (!auth || !crypto) {
            LOG.warn("ScaleML: the training job's secret travels to the executors in the task closure, and Spark's "
                    + "RPC is not {} (spark.authenticate={}, spark.network.crypto.enabled={}); on a shared network "
                    + "enable both, or run on a private network (see the README's security model)",
                    !auth ? "authenticated" : "encrypted", auth, crypto);
        }
    }

    private static float[] readParams(SparkContext sc, String path) {
        Path p = new Path(path);
        try {
            FileSystem fs = p.getFileSystem(sc.hadoopConfiguration());
            try (DataInputStream in = new DataInputStream(fs.open(p))) {
                int n = in.readInt();
                byte[] b = in.readNBytes(4 * n);
                float[] params = new float[n];
                ByteBuffer.wrap(b).asFloatBuffer().get(params);
                return params;
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read the trained parameters from " + path, e);
        }
    }

}
