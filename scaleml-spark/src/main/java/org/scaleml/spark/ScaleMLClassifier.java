package org.scaleml.spark;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.apache.spark.ml.classification.ProbabilisticClassifier;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.VectorUDT;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.LongParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.StringArrayParam;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWritable;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.scaleml.train.Coordination;
import org.scaleml.train.optim.Optimizers;

/**
 * Trains a ScaleML classifier on a Spark cluster: a Spark ML {@link ProbabilisticClassifier} whose {@code fit}
 * runs ScaleML's data-parallel trainers (synchronous, local SGD, SwarmSGD, partial; any gradient codec per layer) in
 * one barrier stage, one Spark task per worker, the workers talking over ScaleML's authenticated TCP collectives.
 *
 * <pre>{@code
 * ScaleMLClassifier est = new ScaleMLClassifier()
 *         .setModelSpec("mlp:hidden=256-128").setCodec("qsgd:bits=4,norm=max")
 *         .setNumWorkers(4).setEpochs(5).setCheckpointPath("hdfs:///tmp/scaleml");
 * ScaleMLClassificationModel model = est.setValidationData(test).fit(train);
 * model.transform(test).select("prediction", "probability").show();
 * model.summary().epochs().forEach(System.out::println);
 * }</pre>
 *
 * <h2>Params</h2>
 * The same specification strings as {@code scaleml train}: {@code modelSpec} ({@code --model}), {@code optimizer}
 * (empty: the model's default, as the CLI), {@code codec}, {@code layerCodecs} ({@code LAYER=SPEC} entries),
 * {@code minCompressed}, {@code trainer} ({@code sync}, {@code local}, {@code swarm}, {@code partial}),
 * {@code localSteps} (0: the trainer's default), {@code aggregator}, {@code numWorkers}, {@code epochs},
 * {@code batchSize}, {@code maxStepsPerEpoch}, {@code seed}, {@code checkpointPath} (any Hadoop path; empty: no
 * checkpoints), {@code checkpointEvery}; and for the cluster {@code inputShape} (e.g. {@code 1x28x28} for the CNN),
 * {@code portRange} (e.g. {@code 40000-40100} on firewalled clusters; empty: ephemeral ports), {@code runId}
 * (empty: a fresh id per fit; a previous run's id resumes from its checkpoints) and {@code networkTimeoutSeconds}.
 * Every Param has a public no-argument accessor, so Spark's reflection ({@code getParam("numWorkers")}), copies
 * and persistence see them all.
 *
 * <h2>What fit does</h2>
 * <ol>
 *   <li>Checks everything on the driver, in seconds: the columns' types, labels (integers {@code 0..K-1}), every
 *       vector's size, the settings (the same validation as the CLI), dynamic allocation (refused by barrier mode)
 *       and the free task slots ({@link Preflight}).</li>
 *   <li>Draws a 32-byte secret ({@link java.security.SecureRandom}) and a run id; the secret travels in the task
 *       closure (so Spark's RPC should be authenticated and encrypted on shared clusters; a warning says so).</li>
 *   <li>Repartitions the data into {@code numWorkers} partitions (partition = rank) and runs one barrier stage
 *       ({@link RankTask}); with a {@code checkpointPath}, every rank checkpoints every {@code checkpointEvery} steps
 *       under {@code checkpointPath/runId}, and a retried stage attempt resumes there.</li>
 *   <li>Collects rank 0's result through a shuffle (so that a failed attempt is retried by Spark) and builds the
 *       model.</li>
 * </ol>
 *
 * <p><b>Thread safety.</b> As every Spark estimator: configure, then fit; one fit at a time per instance.
 */
public final class ScaleMLClassifier
        extends ProbabilisticClassifier<Vector, ScaleMLClassifier, ScaleMLClassificationModel>
        implements DefaultParamsWritable {
    /*
     * Size. This class stays one file above 500 lines on purpose. Spark ML finds an estimator's Params by
     * reflection over the estimator's own public methods, so each of the 19 Params needs its field, its
     * declaration and default in the constructor, an accessor, a getter and a fluent setter here: about 300 lines
     * that no other class can hold (a Java class cannot mix in a Scala trait with state, and the estimator must
     * extend ProbabilisticClassifier). The work of fit is elsewhere already: the settings in JobConfig, the
     * driver's checks in Preflight, the barrier stage in SparkTraining and RankTask.
     */

    private static final long serialVersionUID = 1L;

    private String uid; // no initializer: uid() sets it during the superclass constructor (StagedUid)

    private final Param<String> modelSpec;
    private final Param<String> optimizer;
    private final Param<String> codec;
    private final StringArrayParam layerCodecs;
    private final IntParam minCompressed;
    private final Param<String> trainer;
    private final IntParam localSteps;
    private final Param<String> aggregator;
    private final IntParam numWorkers;
    private final IntParam epochs;
    private final IntParam batchSize;
    private final IntParam maxStepsPerEpoch;
    private final LongParam seed;
    private final Param<String> checkpointPath;
    private final IntParam checkpointEvery;
    private final Param<String> inputShape;
    private final Param<String> portRange;
    private final Param<String> runId;
    private final IntParam networkTimeoutSeconds;

    /** Validation data whose accuracy the summary reports after every epoch (not a Param: a DataFrame). */
    private transient Dataset<?> validationData;
    /** Receives the fit's progress on the driver, or null. */
    private transient Progress progress;
    /** Test hooks ({@link JobConfig}): -1 for none. */
    int failRank = -1;
    long failStep = -1;
    int hangRank = -1;

    public ScaleMLClassifier() {
        this(Identifiable.randomUID("scaleml"));
    }

    public ScaleMLClassifier(String uid) {
        this(StagedUid.stage(uid));
    }

    private ScaleMLClassifier(Void staged) {
        super();
        modelSpec = new Param<>(this, "modelSpec", "model specification, e.g. mlp:hidden=256-128, softmax, logreg, "
                + "cnn (as scaleml train --model)");
        optimizer = new Param<>(this, "optimizer", "optimizer specification, e.g. sgd:lr=0.1,momentum=0.9 or "
                + "adam:lr=0.001; empty for the model's default");
        codec = new Param<>(this, "codec", "gradient codec for every large layer, e.g. qsgd:bits=4,norm=max, "
                + "ef:topk:ratio=0.01, or none");
        layerCodecs = new StringArrayParam(this, "layerCodecs", "per-layer overrides LAYER=SPEC (a layer name or "
                + "PREFIX*, and a codec or none)");
        minCompressed = new IntParam(this, "minCompressed", "layers with fewer elements travel uncompressed");
        trainer = new Param<>(this, "trainer", "sync, local, swarm or partial");
        localSteps = new IntParam(this, "localSteps", "local steps between averagings (local, swarm); 0 for the "
                + "trainer's default (local 8, swarm 2)");
        aggregator = new Param<>(this, "aggregator", "sync: mean, median, trimmed-mean[:trim=B], krum[:m=M], "
                + "clip[:tau=T,iters=L]");
        numWorkers = new IntParam(this, "numWorkers", "workers (barrier tasks), one partition each");
        epochs = new IntParam(this, "epochs", "epochs to train");
        batchSize = new IntParam(this, "batchSize", "examples per worker per step");
        maxStepsPerEpoch = new IntParam(this, "maxStepsPerEpoch", "at most this many steps per epoch, 0 for a "
                + "whole pass");
        seed = new LongParam(this, "seed", "seed of initialization, shuffles and codecs");
        checkpointPath = new Param<>(this, "checkpointPath", "Hadoop path under which each run checkpoints "
                + "(checkpointPath/runId); empty for none");
        checkpointEvery = new IntParam(this, "checkpointEvery", "steps between checkpoints");
        inputShape = new Param<>(this, "inputShape", "the features' shape, e.g. 1x28x28 for images (cnn); empty "
                + "for a flat vector");
        portRange = new Param<>(this, "portRange", "ports the workers listen on, FROM-TO (firewalled clusters); "
                + "empty for ephemeral ports");
        runId = new Param<>(this, "runId", "the run's id (checkpointPath/runId); empty for a fresh one per fit, or "
                + "a previous run's id to resume it");
        networkTimeoutSeconds = new IntParam(this, "networkTimeoutSeconds", "time limit of every blocking network "
                + "call between workers, and of connecting");
        setDefault(modelSpec, "mlp");
        setDefault(optimizer, "");
        setDefault(codec, "none");
        setDefault(layerCodecs, new String[0]);
        setDefault(minCompressed, 1024);
        setDefault(trainer, "sync");
        setDefault(localSteps, 0);
        setDefault(aggregator, "mean");
        setDefault(numWorkers, 2);
        setDefault(epochs, 5);
        setDefault(batchSize, 32);
        setDefault(maxStepsPerEpoch, 0);
        setDefault(seed, 42L);
        setDefault(checkpointPath, "");
        setDefault(checkpointEvery, 200);
        setDefault(inputShape, "");
        setDefault(portRange, "");
        setDefault(runId, "");
        setDefault(networkTimeoutSeconds, 60);
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StagedUid.claim("scaleml");
        }
        return uid;
    }

    // ------------------------------------------------------------------------------------------------ Params

    public Param<String> modelSpec() {
        return modelSpec;
    }

    public Param<String> optimizer() {
        return optimizer;
    }

    public Param<String> codec() {
        return codec;
    }

    public StringArrayParam layerCodecs() {
        return layerCodecs;
    }

    public IntParam minCompressed() {
        return minCompressed;
    }

    public Param<String> trainer() {
        return trainer;
    }

    public IntParam localSteps() {
        return localSteps;
    }

    public Param<String> aggregator() {
        return aggregator;
    }

    public IntParam numWorkers() {
        return numWorkers;
    }

    public IntParam epochs() {
        return epochs;
    }

    public IntParam batchSize() {
        return batchSize;
    }

    public IntParam maxStepsPerEpoch() {
        return maxStepsPerEpoch;
    }

    public LongParam seed() {
        return seed;
    }

    public Param<String> checkpointPath() {
        return checkpointPath;
    }

    public IntParam checkpointEvery() {
        return checkpointEvery;
    }

    public Param<String> inputShape() {
        return inputShape;
    }

    public Param<String> portRange() {
        return portRange;
    }

    public Param<String> runId() {
        return runId;
    }

    public IntParam networkTimeoutSeconds() {
        return networkTimeoutSeconds;
    }

    // ------------------------------------------------------------------------------------------------ getters

    public String getModelSpec() {
        return getOrDefault(modelSpec);
    }

    /** The optimizer Param, or the model's default optimizer when it is empty. */
    public String getOptimizer() {
        String o = getOrDefault(optimizer);
        return o.isBlank() ? Optimizers.defaultFor(getModelSpec()) : o;
    }

    public String getCodec() {
        return getOrDefault(codec);
    }

    public String[] getLayerCodecs() {
        return getOrDefault(layerCodecs).clone();
    }

    public int getMinCompressed() {
        return (Integer) getOrDefault(minCompressed);
    }

    public String getTrainer() {
        return getOrDefault(trainer);
    }

    /** The localSteps Param, or the trainer's default when it is 0 (local 8, swarm 2, otherwise 1). */
    public int getLocalSteps() {
        int h = (Integer) getOrDefault(localSteps);
        return h > 0 ? h : Coordination.defaultLocalSteps(getTrainer());
    }

    public String getAggregator() {
        return getOrDefault(aggregator);
    }

    public int getNumWorkers() {
        return (Integer) getOrDefault(numWorkers);
    }

    public int getEpochs() {
        return (Integer) getOrDefault(epochs);
    }

    public int getBatchSize() {
        return (Integer) getOrDefault(batchSize);
    }

    public int getMaxStepsPerEpoch() {
        return (Integer) getOrDefault(maxStepsPerEpoch);
    }

    public long getSeed() {
        return (Long) getOrDefault(seed);
    }

    public String getCheckpointPath() {
        return getOrDefault(checkpointPath);
    }

    public int getCheckpointEvery() {
        return (Integer) getOrDefault(checkpointEvery);
    }

    public String getInputShape() {
        return getOrDefault(inputShape);
    }

    public String getPortRange() {
        return getOrDefault(portRange);
    }

    public String getRunId() {
        return getOrDefault(runId);
    }

    public int getNetworkTimeoutSeconds() {
        return (Integer) getOrDefault(networkTimeoutSeconds);
    }

    // ------------------------------------------------------------------------------------------------ setters

    public ScaleMLClassifier setModelSpec(String v) {
        return (ScaleMLClassifier) set(modelSpec, v);
    }

    public ScaleMLClassifier setOptimizer(String v) {
        return (ScaleMLClassifier) set(optimizer, v);
    }

    public ScaleMLClassifier setCodec(String v) {
        return (ScaleMLClassifier) set(codec, v);
    }

    public ScaleMLClassifier setLayerCodecs(String... v) {
        return (ScaleMLClassifier) set(layerCodecs, v.clone());
    }

    public ScaleMLClassifier setMinCompressed(int v) {
        return (ScaleMLClassifier) set(minCompressed, v);
    }

    public ScaleMLClassifier setTrainer(String v) {
        return (ScaleMLClassifier) set(trainer, v);
    }

    public ScaleMLClassifier setLocalSteps(int v) {
        return (ScaleMLClassifier) set(localSteps, v);
    }

    public ScaleMLClassifier setAggregator(String v) {
        return (ScaleMLClassifier) set(aggregator, v);
    }

    public ScaleMLClassifier setNumWorkers(int v) {
        return (ScaleMLClassifier) set(numWorkers, v);
    }

    public ScaleMLClassifier setEpochs(int v) {
        return (ScaleMLClassifier) set(epochs, v);
    }

    public ScaleMLClassifier setBatchSize(int v) {
        return (ScaleMLClassifier) set(batchSize, v);
    }

    public ScaleMLClassifier setMaxStepsPerEpoch(int v) {
        return (ScaleMLClassifier) set(maxStepsPerEpoch, v);
    }

    public ScaleMLClassifier setSeed(long v) {
        return (ScaleMLClassifier) set(seed, v);
    }

    public ScaleMLClassifier setCheckpointPath(String v) {
        return (ScaleMLClassifier) set(checkpointPath, v);
    }

    public ScaleMLClassifier setCheckpointEvery(int v) {
        return (ScaleMLClassifier) set(checkpointEvery, v);
    }

    public ScaleMLClassifier setInputShape(String v) {
        return (ScaleMLClassifier) set(inputShape, v);
    }

    public ScaleMLClassifier setPortRange(String v) {
        return (ScaleMLClassifier) set(portRange, v);
    }

    public ScaleMLClassifier setRunId(String v) {
        return (ScaleMLClassifier) set(runId, v);
    }

    public ScaleMLClassifier setNetworkTimeoutSeconds(int v) {
        return (ScaleMLClassifier) set(networkTimeoutSeconds, v);
    }

    /**
     * Data (the same columns as the training data) whose accuracy is measured after every epoch and reported in the
     * summary ({@code validationAccuracy}); null for none. It is collected to the driver and broadcast, so it should
     * fit in memory (a test set, not the training set).
     */
    public ScaleMLClassifier setValidationData(Dataset<?> data) {
        this.validationData = data;
        return this;
    }

    /**
     * Progress of a running fit, on the driver: completed steps of the run (counting steps before a resumption)
     * and the total. Called from Spark's listener thread whenever an executor heartbeat carries a new count
     * ({@code spark.executor.heartbeatInterval}, 10 s by default), so it must not block.
     */
    @FunctionalInterface
    public interface Progress {
        void steps(long done, long total);
    }

    /** Sets the receiver of the fit's progress (null for none; progress is logged at INFO either way). */
    public ScaleMLClassifier setProgress(Progress p) {
        this.progress = p;
        return this;
    }

    /** The receiver of the fit's progress, or null. */
    public Progress getProgress() {
        return progress;
    }

    /** The validation data, or null. */
    public Dataset<?> getValidationData() {
        return validationData;
    }

    // ------------------------------------------------------------------------------------------------ settings

    /** The per-layer overrides as a map, checked for the {@code LAYER=SPEC} form. */
    Map<String, String> layerCodecMap() {
        Map<String, String> m = new LinkedHashMap<>();
        for (String lc : getLayerCodecs()) {
            int eq = lc.indexOf('=');
            if (eq <= 0 || eq == lc.length() - 1) {
                throw new IllegalArgumentException("layerCodecs: entries must be LAYER=SPEC, got '" + lc + "'");
            }
            m.put(lc.substring(0, eq), lc.substring(eq + 1));
        }
        return m;
    }

    /** The coordination the Params describe (validated). */
    Coordination coordination() {
        return JobConfig.coordination(getTrainer(), getLocalSteps(), getAggregator());
    }

    /** The feature shape for {@code features} features: the inputShape Param, or flat. */
    int[] shape(int features) {
        String s = getInputShape().trim();
        if (s.isEmpty()) {
            return new int[] {features};
        }
        String[] parts = s.split("x");
        int[] shape = new int[parts.length];
        long prod = 1;
        try {
            for (int i = 0; i < parts.length; i++) {
                shape[i] = Integer.parseInt(parts[i].trim());
                if (shape[i] < 1) {
                    throw new NumberFormatException();
                }
                prod *= shape[i];
            }
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("inputShape must be positive sizes joined by x, e.g. 1x28x28; got '"
                    + s + "'");
        }
        if (prod != features) {
            throw new IllegalArgumentException("inputShape " + s + " holds " + prod + " values, but the features "
                    + "have " + features);
        }
        return shape;
    }

    /** The port range Param as {from, to}; {0, 0} for ephemeral ports. */
    int[] ports() {
        String s = getPortRange().trim();
        if (s.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] p = s.split("-");
        try {
            int from = Integer.parseInt(p[0].trim());
            int to = p.length == 2 ? Integer.parseInt(p[1].trim()) : from;
            if (p.length > 2 || from < 1 || to > 65535 || to < from) {
                throw new NumberFormatException();
            }
            return new int[] {from, to};
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("portRange must be FROM-TO with 1 <= FROM <= TO <= 65535, got '" + s
                    + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------ fitting

    @Override
    public ScaleMLClassificationModel fit(Dataset<?> dataset) {
        checkColumns(dataset.schema());
        return super.fit(dataset);
    }

    /** Names the column and the expected type when the features or label column is missing or of another type. */
    void checkColumns(StructType schema) {
        String f = getFeaturesCol();
        String l = getLabelCol();
        StructField[] fields = schema.fields();
        StructField ff = Arrays.stream(fields).filter(x -> x.name().equals(f)).findFirst().orElse(null);
        StructField lf = Arrays.stream(fields).filter(x -> x.name().equals(l)).findFirst().orElse(null);
        if (ff == null) {
            throw new IllegalArgumentException("features column '" + f + "' not found; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        if (!(ff.dataType() instanceof VectorUDT)) {
            throw new IllegalArgumentException("features column '" + f + "' is of type "
                    + ff.dataType().simpleString() + "; expected a vector (org.apache.spark.ml.linalg.Vector, e.g. "
                    + "from VectorAssembler)");
        }
        if (lf == null) {
            throw new IllegalArgumentException("label column '" + l + "' not found; columns: "
                    + String.join(", ", schema.fieldNames()));
        }
        if (!(lf.dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("label column '" + l + "' is of type " + lf.dataType().simpleString()
                    + "; expected a number holding class indices 0..K-1 (e.g. from StringIndexer)");
        }
    }

    @Override
    public ScaleMLClassificationModel train(Dataset<?> dataset) {
        return new SparkTraining(this).fit(dataset);
    }

    @Override
    public ScaleMLClassifier copy(ParamMap extra) {
        ScaleMLClassifier c = defaultCopy(extra);
        c.validationData = validationData;
        c.progress = progress;
        c.failRank = failRank;
        c.failStep = failStep;
        c.hangRank = hangRank;
        return c;
    }

    /** A reader of saved estimators ({@code DefaultParamsWritable}). */
    public static MLReader<ScaleMLClassifier> read() {
        return new DefaultParamsReader<>();
    }

    /** Loads an estimator saved by {@code write().save(path)}. */
    public static ScaleMLClassifier load(String path) {
        return read().load(path);
    }
}
