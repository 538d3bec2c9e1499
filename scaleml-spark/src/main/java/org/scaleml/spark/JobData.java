package org.scaleml.spark;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StringType;
import org.apache.spark.sql.types.StructField;
import org.scaleml.train.data.IdxReader;
import org.scaleml.train.data.LabelMap;

import static org.apache.spark.sql.functions.col;

/**
 * Reads {@link TrainJob}'s input from any Hadoop path into DataFrames of two columns, {@code features} (a vector) and
 * {@code label} (a class index as a double): LIBSVM, Parquet, CSV with a header, or an IDX directory.
 *
 * <p>Labels: when every training label is a non-negative integer they are the class indices as they are; otherwise
 * (LIBSVM's {@code -1/+1}, other numbers, or strings in a CSV) they are mapped as {@code scaleml train} maps them
 * ({@link LabelMap}: {@code -1/+1} to {@code 0/1}, else the sorted distinct labels to {@code 0..K-1}; strings in
 * sorted order), and the test data goes through the same map.
 *
 * <p>Every problem with the input is a {@link BadInput} naming the path and what is wrong.
 */
final class JobData {
    static final List<String> FORMATS = List.of("auto", "libsvm", "parquet", "csv", "idx");
    static final String FEATURES = "features";
    static final String LABEL = "label";
    /** More distinct labels than this is not a classification problem we train. */
    static final int MAX_CLASSES = 100_000;
    private static final int IDX_CHUNK = 1000;
    private static final String[] IDX_TRAIN = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte"};
    private static final String[] IDX_TEST = {"t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    /** Bad user input: the job exits with code 2 and this message. */
    static final class BadInput extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BadInput(String message) {
            super(message);
        }
    }

    /** What was read: training data, optional test data (null), the format, the input shape (null: flat). */
    record Loaded(Dataset<Row> train, Dataset<Row> test, String format, String testPath, String inputShape,
                  String labelMap) {
    }

    private final SparkSession spark;
    private final Configuration conf;
    private final String featuresCol;
    private final String labelCol;
    private final Integer numFeatures;

    JobData(SparkSession spark, String featuresCol, String labelCol, Integer numFeatures) {
        this.spark = spark;
        this.conf = spark.sparkContext().hadoopConfiguration();
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.numFeatures = numFeatures;
    }

    /** Reads {@code data} (and {@code test}, or the conventional test data next to it) in format {@code format}. */
    Loaded load(String data, String test, String format) throws IOException {
        FileStatus st = status(data, "--data");
        String fmt = format.equals("auto") ? detect(st) : format;
        if (test != null) {
            status(test, "--test");
        }
        switch (fmt) {
            case "idx":
                if (test != null) {
                    throw new BadInput("--test: with --format idx the test images are the t10k files in the --data "
                            + "directory; leave --test out");
                }
                return idx(st);
            case "libsvm": {
                String t = test;
                if (t == null && exists(data + ".t")) {
                    t = data + ".t"; // the LIBSVM sets' convention: a9a and a9a.t
                }
                Dataset<Row> tr = libsvm(data, numFeatures);
                Dataset<Row> te = t == null ? null : libsvm(t, numFeatures);
                if (te != null && numFeatures == null) {
                    int a = width(tr);
                    int b = width(te);
                    if (a < b) {
                        tr = libsvm(data, b);
                    } else if (b < a) {
                        te = libsvm(t, a);
                    }
                }
                return labelled(tr, te, fmt, t, null);
            }
            case "parquet": {
                Dataset<Row> tr = parquet(data);
                return labelled(tr, test == null ? null : parquet(test), fmt, test, null);
            }
            case "csv": {
                Dataset<Row> tr = csv(data, null);
                String[] inputs = tr.columns();
                Dataset<Row> te = test == null ? null : csv(test, inputs);
                return labelled(tr, te, fmt, test, null);
            }
            default:
                throw new BadInput("--format must be one of " + String.join(", ", FORMATS) + ", got '" + format + "'");
        }
    }

    // ------------------------------------------------------------------------------------------------ paths

    private FileStatus status(String path, String flag) throws IOException {
        Path p = new Path(path);
        try {
            return p.getFileSystem(conf).getFileStatus(p);
        } catch (FileNotFoundException e) {
            throw new BadInput(flag + " " + path + ": no such file or directory");
        } catch (IllegalArgumentException e) {
            throw new BadInput(flag + " " + path + ": " + e.getMessage());
        }
    }

    private boolean exists(String path) throws IOException {
        Path p = new Path(path);
        return p.getFileSystem(conf).exists(p);
    }

    /** The format of a path: by its name, a directory's contents, or its first bytes and lines. */
    String detect(FileStatus st) throws IOException {
        Path p = st.getPath();
        FileSystem fs = p.getFileSystem(conf);
        if (st.isDirectory()) {
            boolean parquet = false;
            boolean csv = false;
            for (FileStatus f : fs.listStatus(p)) {
                String n = f.getPath().getName();
                if (n.startsWith(IDX_TRAIN[0])) {
                    return "idx";
                }
                parquet |= n.endsWith(".parquet");
                csv |= n.endsWith(".csv") || n.endsWith(".csv.gz");
            }
            if (parquet) {
                return "parquet";
            }
            if (csv) {
                return "csv";
            }
            throw new BadInput("--data " + p + ": a directory with neither IDX files (" + IDX_TRAIN[0] + "[.gz]) nor "
                    + "Parquet or CSV files; name the format with --format");
        }
        String n = p.getName().toLowerCase(Locale.ROOT).replaceAll("\\.(gz|bz2|deflate|zst|lz4|snappy)$", "");
        if (n.endsWith(".parquet")) {
            return "parquet";
        }
        if (n.endsWith(".csv")) {
            return "csv";
        }
        if (n.endsWith(".libsvm") || n.endsWith(".svm")) {
            return "libsvm";
        }
        try (InputStream raw = fs.open(p)) {
            byte[] magic = raw.readNBytes(4);
            if (new String(magic, StandardCharsets.US_ASCII).equals("PAR1")) {
                return "parquet";
            }
        }
        CompressionCodec codec = new CompressionCodecFactory(conf).getCodec(p);
        try (InputStream raw = fs.open(p);
             BufferedReader r = new BufferedReader(new InputStreamReader(
                     codec == null ? raw : codec.createInputStream(raw), StandardCharsets.UTF_8))) {
            int seen = 0;
            String line;
            while (seen < 10 && (line = r.readLine()) != null) {
                String t = line.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                seen++;
                if (t.indexOf(':') >= 0) {
                    return "libsvm";
                }
                if (t.indexOf(',') >= 0) {
                    return "csv";
                }
            }
        }
        throw new BadInput("--data " + p + ": cannot tell the format (neither LIBSVM 'label index:value' nor CSV "
                + "lines, nor Parquet); name it with --format");
    }

    // ------------------------------------------------------------------------------------------------ readers

    private Dataset<Row> libsvm(String path, Integer features) {
        try {
            var reader = spark.read().format("libsvm");
            if (features != null) {
                reader = reader.option("numFeatures", features.toString());
            }
            return reader.load(path).select(col("features").as(FEATURES), col("label").as(LABEL));
        } catch (RuntimeException e) {
            throw new BadInput(path + ": not readable as LIBSVM: " + firstLine(e));
        }
    }

    private static int width(Dataset<Row> d) {
        Row r = d.select(FEATURES).head();
        return ((Vector) r.get(0)).size();
    }

    private Dataset<Row> parquet(String path) {
        Dataset<Row> d;
        try {
            d = spark.read().parquet(path);
        } catch (RuntimeException e) {
            throw new BadInput(path + ": not readable as Parquet: " + firstLine(e));
        }
        List<String> cols = Arrays.asList(d.columns());
        if (!cols.contains(featuresCol) || !cols.contains(labelCol)) {
            throw new BadInput(path + ": needs columns '" + featuresCol + "' (a vector) and '" + labelCol
                    + "' (--features-col, --label-col); it has " + String.join(", ", cols));
        }
        return d.select(col(featuresCol).as(FEATURES), col(labelCol).as(LABEL));
    }

    /**
     * A CSV file with a header: the label column, and every other numeric column assembled into the features (in
     * file order). {@code expected}: the training file's columns, which a test file must repeat.
     */
    private Dataset<Row> csv(String path, String[] expected) {
        Dataset<Row> d;
        try {
            d = spark.read().option("header", "true").option("inferSchema", "true").csv(path);
        } catch (RuntimeException e) {
            throw new BadInput(path + ": not readable as CSV: " + firstLine(e));
        }
        List<String> cols = Arrays.asList(d.columns());
        if (!cols.contains(labelCol)) {
            throw new BadInput(path + ": no label column '" + labelCol + "' in the header (--label-col); columns: "
                    + String.join(", ", cols));
        }
        List<String> inputs = new ArrayList<>();
        for (StructField f : d.schema().fields()) {
            if (!f.name().equals(labelCol) && f.dataType() instanceof NumericType) {
                inputs.add(f.name());
            }
        }
        if (inputs.isEmpty()) {
            throw new BadInput(path + ": no numeric column besides the label '" + labelCol + "'");
        }
        if (expected != null) {
            List<String> want = new ArrayList<>();
            for (String c : expected) {
                want.add(c);
            }
            if (!want.equals(cols)) {
                throw new BadInput(path + ": the test file's columns " + cols + " differ from the training file's "
                        + want);
            }
        }
        Dataset<Row> assembled = new VectorAssembler().setInputCols(inputs.toArray(new String[0]))
                .setOutputCol("__scaleml_features").transform(d);
        return assembled.select(col("__scaleml_features").as(FEATURES), col(labelCol).as(LABEL));
    }

    // ------------------------------------------------------------------------------------------------ labels

    /** Maps the labels to class indices (see the class comment) and checks the test labels against the map. */
    private Loaded labelled(Dataset<Row> train, Dataset<Row> test, String fmt, String testPath, String shape) {
        boolean strings = train.schema().apply(LABEL).dataType() instanceof StringType;
        if (!strings && !(train.schema().apply(LABEL).dataType() instanceof NumericType)) {
            throw new BadInput("label column '" + labelCol + "' is of type "
                    + train.schema().apply(LABEL).dataType().simpleString() + "; expected numbers or strings");
        }
        List<Object> distinct = distinct(train, "training");
        HashMap<Object, Double> map = new HashMap<>();
        String described;
        if (strings) {
            List<String> s = new ArrayList<>();
            for (Object o : distinct) {
                s.add((String) o);
            }
            s.sort(Comparator.naturalOrder());
            for (int i = 0; i < s.size(); i++) {
                map.put(s.get(i), (double) i);
            }
            described = describe(s);
        } else {
            double[] v = distinct.stream().mapToDouble(o -> ((Number) o).doubleValue()).toArray();
            boolean indices = Arrays.stream(v).allMatch(x -> x >= 0 && x == Math.rint(x) && x < MAX_CLASSES);
            if (indices) {
                Dataset<Row> tr = train.select(col(FEATURES), col(LABEL).cast("double").as(LABEL));
                Dataset<Row> te = test == null ? null : test.select(col(FEATURES), col(LABEL).cast("double").as(LABEL));
                return new Loaded(tr, te, fmt, testPath, shape, null);
            }
            LabelMap lm;
            try {
                lm = LabelMap.infer(v);
            } catch (IllegalArgumentException e) {
                throw new BadInput("training labels: " + e.getMessage());
            }
            List<String> shown = new ArrayList<>();
            double[] keys = v.clone();
            Arrays.sort(keys);
            for (double x : keys) {
                map.put(x, (double) lm.classOf(x));
                shown.add(x + "=" + lm.classOf(x));
            }
            if (lm.isBinary()) { // either negative spelling, as scaleml train
                map.put(-1.0, 0.0);
                map.put(0.0, 0.0);
                map.put(1.0, 1.0);
            }
            described = String.join(", ", shown);
        }
        if (test != null) {
            for (Object o : distinct(test, "test")) {
                Object k = strings ? o : (Object) ((Number) o).doubleValue();
                if (!map.containsKey(k)) {
                    throw new BadInput("test label " + o + " does not occur in the training data");
                }
            }
        }
        return new Loaded(mapped(train, map, strings), test == null ? null : mapped(test, map, strings), fmt,
                testPath, shape, described);
    }

    private static String describe(List<String> sorted) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            out.add(sorted.get(i) + "=" + i);
        }
        return String.join(", ", out);
    }

    private static List<Object> distinct(Dataset<Row> d, String what) {
        List<Row> rows = d.select(LABEL).distinct().limit(MAX_CLASSES + 1).collectAsList();
        if (rows.size() > MAX_CLASSES) {
            throw new BadInput("the " + what + " data has more than " + MAX_CLASSES + " distinct labels");
        }
        List<Object> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.isNullAt(0)) {
                throw new BadInput("the " + what + " data has rows without a label");
            }
            out.add(r.get(0));
        }
        return out;
    }

    private static Dataset<Row> mapped(Dataset<Row> d, HashMap<Object, Double> map, boolean strings) {
        LabelUdf f = new LabelUdf(map, strings);
        UserDefinedFunction udf = org.apache.spark.sql.functions.udf(f, DataTypes.DoubleType);
        return d.select(col(FEATURES), udf.apply(col(LABEL)).as(LABEL));
    }

    /** Raw label to class index through a map built on the driver. */
    private static final class LabelUdf implements UDF1<Object, Double> {
        private static final long serialVersionUID = 1L;
        private final HashMap<Object, Double> map;
        private final boolean strings;

        LabelUdf(HashMap<Object, Double> map, boolean strings) {
            this.map = map;
            this.strings = strings;
        }

        @Override
        public Double call(Object raw) {
            if (raw == null) {
                return null;
            }
            return map.get(strings ? raw : (Object) ((Number) raw).doubleValue());
        }
    }

    // ------------------------------------------------------------------------------------------------ IDX

    /**
     * An IDX directory: the four files are copied from the Hadoop file system to a local temporary directory on the
     * driver and read (and checked) by {@link IdxReader}; the images are then spread over the cluster as chunks of
     * raw bytes, turned into vectors of pixel / 255 on the executors.
     */
    private Loaded idx(FileStatus dir) throws IOException {
        if (!dir.isDirectory()) {
            throw new BadInput("--data " + dir.getPath() + ": --format idx needs a directory holding "
                    + IDX_TRAIN[0] + " and " + IDX_TRAIN[1] + " (optionally .gz)");
        }
        FileSystem fs = dir.getPath().getFileSystem(conf);
        Map<String, Path> found = new HashMap<>();
        for (FileStatus f : fs.listStatus(dir.getPath())) {
            found.put(f.getPath().getName(), f.getPath());
        }
        Path[] train = {pick(found, IDX_TRAIN[0]), pick(found, IDX_TRAIN[1])};
        if (train[0] == null || train[1] == null) {
            throw new BadInput("--data " + dir.getPath() + ": missing " + (train[0] == null ? IDX_TRAIN[0]
                    : IDX_TRAIN[1]) + "[.gz]");
        }
        Path[] test = {pick(found, IDX_TEST[0]), pick(found, IDX_TEST[1])};
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

    /** Raw pixel bytes and labels of up to {@link #IDX_CHUNK} images. */
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
        for (int from = 0; from < d.size(); from += IDX_CHUNK) {
            int to = Math.min(d.size(), from + IDX_CHUNK);
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

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
