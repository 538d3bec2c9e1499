package org.scaleml.spark;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.io.compress.CompressionCodec;
import org.apache.hadoop.io.compress.CompressionCodecFactory;
import org.apache.spark.ml.feature.VectorAssembler;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
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
 *
 * <p>This class finds the format and reads LIBSVM, Parquet and CSV; IDX directories are read by {@link IdxInput},
 * and the labels are mapped by {@link JobLabels}.
 */
final class JobData {
    static final List<String> FORMATS = List.of("auto", "libsvm", "parquet", "csv", "idx");
    static final String FEATURES = "features";
    static final String LABEL = "label";
    /** More distinct labels than this is not a classification problem we train. */
    static final int MAX_CLASSES = 100_000;

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
    private final JobLabels labels;

    JobData(SparkSession spark, String featuresCol, String labelCol, Integer numFeatures) {
        this.spark = spark;
        this.conf = spark.sparkContext().hadoopConfiguration();
        this.featuresCol = featuresCol;
        this.labelCol = labelCol;
        this.numFeatures = numFeatures;
        this.labels = new JobLabels(labelCol);
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
                return new IdxInput(spark, conf).read(st);
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
                return labels.labelled(tr, te, fmt, t, null);
            }
            case "parquet": {
                Dataset<Row> tr = parquet(data);
                return labels.labelled(tr, test == null ? null : parquet(test), fmt, test, null);
            }
            case "csv": {
                Dataset<Row> tr = csv(data, null);
                String[] inputs = tr.columns();
                Dataset<Row> te = test == null ? null : csv(test, inputs);
                return labels.labelled(tr, te, fmt, test, null);
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
                if (n.startsWith(IdxInput.TRAIN[0])) {
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
            throw new BadInput("--data " + p + ": a directory with neither IDX files (" + IdxInput.TRAIN[0] + "[.gz]) "
                    + "nor "
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

    static String firstLine(Throwable e) {
        String m = e.getMessage();
        if (m == null || m.isBlank()) {
            return e.getClass().getSimpleName();
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).strip();
    }
}
