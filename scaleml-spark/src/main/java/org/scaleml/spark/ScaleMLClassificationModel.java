package org.scaleml.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.classification.ProbabilisticClassificationModel;
import org.apache.spark.ml.linalg.DenseVector;
import org.apache.spark.ml.linalg.SparseVector;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.DefaultParamsReader;
import org.apache.spark.ml.util.DefaultParamsWriter;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;

/**
 * A classifier trained by {@link ScaleMLClassifier}: a ScaleML model (logistic or softmax regression, MLP, CNN) and
 * its parameters, as a Spark ML {@link ProbabilisticClassificationModel}. {@code transform} adds the columns MLlib's
 * classifiers add: {@code rawPrediction} (the model's logits), {@code probability} (their softmax) and
 * {@code prediction} (the most probable class; {@code thresholds} apply as in MLlib).
 *
 * <p><b>Persistence.</b> {@link #write()} saves the Params as Spark's metadata ({@code metadata/}) and the model
 * under {@code data/model.bin} (format below); {@link #load(String)} reads it back exactly (bitwise parameters,
 * the same summary). Any Hadoop file system path works.
 * <pre>
 *   8 bytes "SCALEMLM", int version (1), UTF model spec, int features, int classes, int k, k ints shape,
 *   int n, n floats parameters (big-endian), UTF run id, int workers, UTF plan, UTF links, int stage attempts,
 *   int e, e epochs
 *   of (int epoch, long steps, int epochSteps, double trainLoss, double validationAccuracy, double seconds,
 *   double elapsedSeconds, long bytesSentPerRank, long totalBytesSentPerRank, double stepsPerSecond,
 *   boolean paramsIdentical), long CRC32C of all bytes before it
 * </pre>
 *
 * <p><b>Thread safety.</b> Immutable after construction (Params aside, as for every Spark model); {@code predictRaw}
 * may run on many executor threads at once (each uses its own scratch space).
 */
public final class ScaleMLClassificationModel
        extends ProbabilisticClassificationModel<Vector, ScaleMLClassificationModel> implements MLWritable {
    private static final long serialVersionUID = 1L;
    private static final byte[] MAGIC = "SCALEMLM".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 1;

    private String uid; // no initializer: uid() sets it during the superclass constructor (StagedUid)
    private final String modelSpec;
    private final int features;
    private final int classes;
    private final int[] shape;
    private final float[] params;
    private final TrainingSummary summary;
    private transient ThreadLocal<Scratch> scratch;

    /**
     * An empty model, for Spark Connect's service discovery only (it cannot predict; use {@link #load}).
     */
    public ScaleMLClassificationModel() {
        this(Identifiable.randomUID("scalemlModel"), "softmax", 1, 2, new int[] {1}, new float[4],
                new TrainingSummary("none", 0, "", "", 0, List.of()));
    }

    ScaleMLClassificationModel(String uid, String modelSpec, int features, int classes, int[] shape, float[] params,
                               TrainingSummary summary) {
        this(StagedUid.stage(uid), modelSpec, features, classes, shape, params, summary, true);
    }

    private ScaleMLClassificationModel(Void staged, String modelSpec, int features, int classes, int[] shape,
                                       float[] params, TrainingSummary summary, boolean check) {
        super();
        this.modelSpec = modelSpec;
        this.features = features;
        this.classes = classes;
        this.shape = shape.clone();
        this.params = params;
        this.summary = summary;
        Model m = Models.create(modelSpec, shape, classes);
        if (check && m.parameterCount() != params.length) {
            throw new IllegalArgumentException("model " + modelSpec + " has " + m.parameterCount()
                    + " parameters, got " + params.length);
        }
    }

    @Override
    public String uid() {
        if (uid == null) {
            uid = StagedUid.claim("scalemlModel");
        }
        return uid;
    }

    /** The model specification, e.g. {@code mlp:hidden=256-128}. */
    public String modelSpec() {
        return modelSpec;
    }

    /** The trained parameters (a copy), in the model's layer order. */
    public float[] parameters() {
        return params.clone();
    }

    /** The feature shape the model was trained on, e.g. {@code {1, 28, 28}} (a copy). */
    public int[] inputShape() {
        return shape.clone();
    }

    /** The training run's figures, epoch by epoch. */
    public TrainingSummary summary() {
        return summary;
    }

    /** True: every model comes from a training run (and keeps its summary when saved and loaded). */
    public boolean hasSummary() {
        return true;
    }

    /** Spark's summary helper (inherited twice through Scala traits; the probabilistic one applies). */
    @Override
    @SuppressWarnings("rawtypes") // Java cannot name a type that is a subtype of both generic returns
    public scala.Tuple3 findSummaryModel() {
        return super.findSummaryModel();
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public int numFeatures() {
        return features;
    }

    /** Per-thread scratch: a one-row data set over a reused buffer, a batch and the model's workspace. */
    private static final class Scratch {
        final Model model;
        final float[] x;
        final Dataset one;
        final Batch batch;
        final Model.Workspace ws;
        final float[] out;

        Scratch(String spec, int features, int classes, int[] shape) {
            this.model = Models.create(spec, shape, classes);
            this.x = new float[features];
            this.one = Dataset.dense("row", x, new int[1], features, classes, shape);
            this.batch = new Batch(one, new int[] {0}, 1);
            this.ws = model.workspace(1);
            this.out = new float[classes];
        }
    }

    private Scratch scratch() {
        ThreadLocal<Scratch> tl = scratch;
        if (tl == null) {
            tl = ThreadLocal.withInitial(() -> new Scratch(modelSpec, features, classes, shape));
            scratch = tl;
        }
        return tl.get();
    }

    @Override
    public Vector predictRaw(Vector v) {
        if (v.size() != features) {
            throw new IllegalArgumentException("a features vector of " + v.size() + " values; this model takes "
                    + features);
        }
        Scratch s = scratch();
        if (v instanceof SparseVector) {
            java.util.Arrays.fill(s.x, 0f);
            SparseVector sv = (SparseVector) v;
            int[] idx = sv.indices();
            double[] val = sv.values();
            for (int k = 0; k < idx.length; k++) {
                s.x[idx[k]] = (float) val[k];
            }
        } else {
            double[] val = ((DenseVector) v).values();
            for (int j = 0; j < features; j++) {
                s.x[j] = (float) val[j];
            }
        }
        s.model.scores(params, s.batch, s.out, s.ws);
        double[] raw = new double[classes];
        for (int c = 0; c < classes; c++) {
            raw[c] = s.out[c];
        }
        return Vectors.dense(raw);
    }

    @Override
    public Vector raw2probabilityInPlace(Vector raw) {
        if (!(raw instanceof DenseVector)) {
            throw new IllegalArgumentException("raw predictions must be dense");
        }
        double[] z = ((DenseVector) raw).values();
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) {
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        for (int c = 0; c < z.length; c++) {
            z[c] /= sum;
        }
        return raw;
    }

    @Override
    public ScaleMLClassificationModel copy(ParamMap extra) {
        ScaleMLClassificationModel m = new ScaleMLClassificationModel(uid(), modelSpec, features, classes, shape,
                params, summary);
        return copyValues(m, extra).setParent(parent());
    }

    @Override
    public String toString() {
        return "ScaleMLClassificationModel: uid=" + uid() + ", model=" + modelSpec + ", numClasses=" + classes
                + ", numFeatures=" + features;
    }

    // ---------------------------------------------------------------------------------------------- persistence

    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** A reader of saved models. */
    public static MLReader<ScaleMLClassificationModel> read() {
        return new Reader();
    }

    /** Loads a model saved by {@code model.write().save(path)} (any Hadoop file system path). */
    public static ScaleMLClassificationModel load(String path) {
        return read().load(path);
    }

    private static final class Writer extends MLWriter {
        private final ScaleMLClassificationModel m;

        Writer(ScaleMLClassificationModel m) {
            this.m = m;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter.saveMetadata(m, path, sparkSession());
            Path data = new Path(path, "data/model.bin");
            try {
                FileSystem fs = data.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                try (OutputStream out = fs.create(data, true)) {
                    out.write(m.encode());
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot write " + data + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<ScaleMLClassificationModel> {
        @Override
        public ScaleMLClassificationModel load(String path) {
            DefaultParamsReader.Metadata meta = DefaultParamsReader.loadMetadata(path, sparkSession(),
                    ScaleMLClassificationModel.class.getName());
            Path data = new Path(path, "data/model.bin");
            byte[] bytes;
            try {
                FileSystem fs = data.getFileSystem(sparkSession().sparkContext().hadoopConfiguration());
                if (!fs.exists(data)) {
                    throw new IllegalArgumentException(path + " holds no ScaleML model (no data/model.bin)");
                }
                try (InputStream in = fs.open(data)) {
                    bytes = in.readAllBytes();
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException("cannot read " + data + ": " + e.getMessage(), e);
            }
            ScaleMLClassificationModel m = decode(meta.uid(), bytes, data.toString());
            meta.getAndSetParams(m, scala.Option.empty());
            return m;
        }
    }

    byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 4 * params.length);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(modelSpec);
            out.writeInt(features);
            out.writeInt(classes);
            out.writeInt(shape.length);
            for (int s : shape) {
                out.writeInt(s);
            }
            out.writeInt(params.length);
            ByteBuffer bb = ByteBuffer.allocate(4 * params.length);
            bb.asFloatBuffer().put(params);
            out.write(bb.array());
            out.writeUTF(summary.runId());
            out.writeInt(summary.workers());
            out.writeUTF(summary.plan());
            out.writeUTF(summary.links());
            out.writeInt(summary.stageAttempts());
            out.writeInt(summary.epochs().size());
            for (TrainingSummary.Epoch e : summary.epochs()) {
                out.writeInt(e.epoch());
                out.writeLong(e.steps());
                out.writeInt(e.epochSteps());
                out.writeDouble(e.trainLoss());
                out.writeDouble(e.validationAccuracy());
                out.writeDouble(e.seconds());
                out.writeDouble(e.elapsedSeconds());
                out.writeLong(e.bytesSentPerRank());
                out.writeLong(e.totalBytesSentPerRank());
                out.writeDouble(e.stepsPerSecond());
                out.writeBoolean(e.paramsIdentical());
            }
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    static ScaleMLClassificationModel decode(String uid, byte[] all, String where) {
        if (all.length < MAGIC.length + 12 || !java.util.Arrays.equals(all, 0, MAGIC.length, MAGIC, 0,
                MAGIC.length)) {
            throw new IllegalArgumentException(where + ": not a ScaleML model file");
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        if (crc.getValue() != ByteBuffer.wrap(all, all.length - 8, 8).getLong()) {
            throw new IllegalArgumentException(where + ": damaged (CRC32C mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, 0, all.length - 8))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != VERSION) {
                throw new IllegalArgumentException(where + ": model format version " + version + ", this build reads "
                        + VERSION);
            }
            String spec = in.readUTF();
            int features = in.readInt();
            int classes = in.readInt();
            int k = bounded(in.readInt(), 8, where, "shape rank");
            int[] shape = new int[k];
            for (int i = 0; i < k; i++) {
                shape[i] = in.readInt();
            }
            int n = bounded(in.readInt(), (all.length - 8) / 4, where, "parameter count");
            byte[] pb = in.readNBytes(4 * n);
            if (pb.length != 4 * n) {
                throw new IllegalArgumentException(where + ": truncated parameters");
            }
            float[] params = new float[n];
            ByteBuffer.wrap(pb).asFloatBuffer().get(params);
            String runId = in.readUTF();
            int workers = in.readInt();
            String plan = in.readUTF();
            String links = in.readUTF();
            int attempts = in.readInt();
            int ne = bounded(in.readInt(), 1 << 20, where, "epoch count");
            List<TrainingSummary.Epoch> epochs = new ArrayList<>(ne);
            for (int i = 0; i < ne; i++) {
                epochs.add(new TrainingSummary.Epoch(in.readInt(), in.readLong(), in.readInt(), in.readDouble(),
                        in.readDouble(), in.readDouble(), in.readDouble(), in.readLong(), in.readLong(),
                        in.readDouble(), in.readBoolean()));
            }
            if (in.available() != 0) {
                throw new IllegalArgumentException(where + ": " + in.available() + " unexpected bytes");
            }
            return new ScaleMLClassificationModel(uid, spec, features, classes, shape, params,
                    new TrainingSummary(runId, workers, plan, links, attempts, epochs));
        } catch (IOException e) {
            throw new IllegalArgumentException(where + ": truncated (" + e.getMessage() + ")", e);
        }
    }

    private static int bounded(int v, int max, String where, String what) {
        if (v < 0 || v > max) {
            throw new IllegalArgumentException(where + ": " + what + " " + v + " outside [0, " + max + "]");
        }
        return v;
    }
}
