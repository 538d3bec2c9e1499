package org.scaleml.spark;

import static org.scaleml.spark.JobData.FEATURES;
import static org.scaleml.spark.JobData.LABEL;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.scaleml.spark.JobData.BadInput;
import org.scaleml.spark.JobData.Loaded;
import org.scaleml.train.data.IdxReader;

/**
 * The IDX input of {@link JobData}: a directory with {@code train-images-idx3-ubyte} and
 * {@code train-labels-idx1-ubyte} (each optionally {@code .gz}), and the {@code t10k-*} files as test data when both
 * are there, read on the driver and spread over the cluster as a frame of {@code features} (pixel / 255) and
 * {@code label}. Problems are {@link BadInput}s naming the user's path.
 *
 * <p>Used on the driver only; not thread-safe.
 */
final class IdxInput {
    /** The training images' and labels' file names (without {@code .gz}). */
    static final String[] TRAIN = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
    private static final String[] TEST = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    private static final int CHUNK = 1000;

    private final SparkSession spark;
    private final Configuration conf;

    IdxInput(SparkSession spark, Configuration conf) {
        this.spark = spark;
        this.conf = conf;
    }

    /**
     * Reads an IDX directory: the four files are copied from the Hadoop file system to a local temporary directory on
     * the driver and read (and checked) by {@link IdxReader}; the images are then spread over the cluster as chunks of
     * raw bytes, turned into vectors of pixel / 255 on the executors.
     */
    Loaded read(FileStatus dir) throws IOException {
        if (!dir.isDirectory()) {
            throw new BadInput("--data " + dir.getPath() + ": --format idx needs a directory holding "
                    + TRAIN[0] + " and " + TRAIN[1] + " (optionally .gz)");
        }
        FileSystem fs = dir.getPath().getFileSystem(conf);
        Map<String, Path> found = new HashMap<>();
        for (FileStatus f : fs.listStatus(dir.getPath())) {
            found.put(f.getPath().getName(), f.getPath());
        }
        Path[] train = {pick(found, TRAIN[0]), pick(found, TRAIN[1])};
        if (train[0] == null || train[1] == null) {
            throw new BadInput("--data " + dir.getPath() + ": missing " + (train[0] == null ? TRAIN[0]
                    : TRAIN[1]) + "[.gz]");
        }
        Path[] test = {pick(found, TEST[0]), pick(found, TEST[1])};
        java.nio.file.Path tmp = Files.createTempDirectory("scaleml-idx");
        try {
            org.scaleml.train.data.Dataset tr = readIdx(fs, train, tmp, "train", 0);
            org.scaleml.train.data.Dataset te = test[0] != null && test[1] != null
                    ? readIdx(fs, test, tmp, "test", tr.classes()) : null;
            if (te != null && te.features() != tr.features()) {
                throw new BadInput(test[0] + ": images of " + te.features() + " pixels, the training images have "
                        + tr.features());
            }
            int[] s = tr.shape();
            String shape = s[0] + "x" + s[1] + "x" + s[2];
            return new Loaded(frame(tr), te == null ? null : frame(te), "idx",
                    te == null ? null : test[0].toString(), shape, null);
        } finally {
            try (var files = Files.list(tmp)) {
                for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                    Files.deleteIfExists(f);
                }
            }
            Files.deleteIfExists(tmp);
        }
    }

    private static Path pick(Map<String, Path> found, String base) {
        Path p = found.get(base);
        return p != null ? p : found.get(base + ".gz");
    }

    private org.scaleml.train.data.Dataset readIdx(FileSystem fs, Path[] files, java.nio.file.Path tmp, String name,
                                                   int minClasses) throws IOException {
        java.nio.file.Path[] local = new java.nio.file.Path[2];
        for (int i = 0; i < 2; i++) {
            local[i] = tmp.resolve(files[i].getName());
            try (InputStream in = fs.open(files[i])) {
                Files.copy(in, local[i]);
            }
        }
        try {
            return IdxReader.read(name, local[0], local[1], minClasses);
        } catch (IOException e) {
            // name the file where the user keeps it, not the temporary copy
            String where = files[0].getParent().toString();
            throw new BadInput(String.valueOf(e.getMessage()).replace(tmp.toString(), where));
        }
    }

    /** Raw pixel bytes and labels of up to {@link #CHUNK} images. */
    private record IdxChunk(byte[] pixels, int[] labels, int perImage) implements Serializable {
        Iterator<Row> rows() {
            List<Row> out = new ArrayList<>(labels.length);
            for (int i = 0; i < labels.length; i++) {
                double[] x = new double[perImage];
                for (int j = 0; j < perImage; j++) {
                    x[j] = (pixels[i * perImage + j] & 0xff) / 255.0;
                }
                out.add(RowFactory.create(Vectors.dense(x), (double) labels[i]));
            }
            return out.iterator();
        }
    }

    private Dataset<Row> frame(org.scaleml.train.data.Dataset d) {
        int per = d.features();
        float[] px = d.dense();
        int[] labels = d.labels();
        List<IdxChunk> chunks = new ArrayList<>();
        for (int from = 0; from < d.size(); from += CHUNK) {
            int to = Math.min(d.size(), from + CHUNK);
            byte[] b = new byte[(to - from) * per];
            for (int i = 0; i < b.length; i++) {
                b[i] = (byte) Math.round(px[from * per + i] * 255f); // exact: the reader stored b / 255f
            }
            chunks.add(new IdxChunk(b, Arrays.copyOfRange(labels, from, to), per));
        }
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int slices = Math.max(1, Math.min(chunks.size(), jsc.defaultParallelism()));
        JavaRDD<Row> rows = jsc.parallelize(chunks, slices).flatMap(IdxChunk::rows);
        return spark.createDataFrame(rows, SCHEMA);
    }

    /** The schema of the frames built here: a features vector and a double label. */
    private static final org.apache.spark.sql.types.StructType SCHEMA = new org.apache.spark.sql.types.StructType(
            new StructField[] {
                new StructField(FEATURES, org.apache.spark.ml.linalg.SQLDataTypes.VectorType(), false,
                        org.apache.spark.sql.types.Metadata.empty()),
                new StructField(LABEL, DataTypes.DoubleType, false, org.apache.spark.sql.types.Metadata.empty())});
}
