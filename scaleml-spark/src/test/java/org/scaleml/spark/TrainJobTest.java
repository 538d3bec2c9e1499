package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TrainJob end to end on the shared local[4] session: LIBSVM, IDX and CSV input, output, saved models, bad input. */
class TrainJobTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> KEYS = List.of("label", "epoch", "steps", "epochSteps", "trainLoss",
            "testAccuracy", "seconds", "elapsedSeconds", "bytesSentPerRank", "totalBytesSentPerRank", "bytesPerStep",
            "stepsPerSecond", "paramsIdentical", "data", "model", "trainer", "aggregator", "codec", "plan", "workers",
            "batch", "transport", "optimizer", "parameters", "runId");

    /** What one run printed, and its exit code. */
    record Run(int code, String out, String err) {
        List<JsonNode> json() throws IOException {
            List<JsonNode> lines = new ArrayList<>();
            for (String l : out.split("\n")) {
                if (!l.isBlank()) {
                    lines.add(JSON.readTree(l));
                }
            }
            return lines;
        }
    }

    @BeforeAll
    static void session() {
        SparkTestSupport.spark(); // TrainJob uses the active session, so the JVM keeps one SparkContext
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = TrainJob.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Two separable classes labelled -1/+1 in 10 sparse-written features: class +1 has large x1, x2. */
    static void writeLibsvm(Path file, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            boolean pos = rnd.nextBoolean();
            sb.append(pos ? "+1" : "-1");
            for (int j = 1; j <= 10; j++) {
                double v = rnd.nextDouble() * 0.5 + (pos && j <= 2 ? 1.5 : 0);
                if (j <= 2 || rnd.nextInt(3) == 0) {
                    sb.append(' ').append(j).append(':').append(String.format(Locale.ROOT, "%.4f", v));
                }
            }
            sb.append('\n');
        }
        Files.writeString(file, sb);
    }

    @Test
    void libsvmWithConventionalTestFileJsonLinesAndSavedModel(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("tiny");
        writeLibsvm(data, 400, 1);
        writeLibsvm(dir.resolve("tiny.t"), 100, 2); // picked up as the test set (a9a / a9a.t)
        Path model = dir.resolve("model");
        Run r = run("--data", data.toString(), "--model", "logreg", "--workers", "2", "--epochs", "2", "--batch",
                "16", "--json", "--out", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.json();
        assertThat(lines).hasSize(2);
        for (JsonNode l : lines) {
            for (String k : KEYS) {
                assertThat(l.has(k)).as("key %s in %s", k, l).isTrue();
            }
            assertThat(l.has("localSteps")).isFalse();
            assertThat(l.get("transport").asText()).isEqualTo("spark");
            assertThat(l.get("workers").asInt()).isEqualTo(2);
            assertThat(l.get("model").asText()).isEqualTo("logreg");
            assertThat(l.get("paramsIdentical").asBoolean()).isTrue();
            assertThat(l.get("bytesSentPerRank").asLong()).isPositive();
            assertThat(l.get("bytesPerStep").asLong())
                    .isEqualTo(l.get("bytesSentPerRank").asLong() / l.get("epochSteps").asLong());
            assertThat(l.get("parameters").asInt()).isEqualTo(11); // 10 weights and a bias
        }
        assertThat(lines.get(0).get("epoch").asInt()).isEqualTo(1);
        assertThat(lines.get(1).get("epoch").asInt()).isEqualTo(2);
        assertThat(lines.get(1).get("steps").asLong()).isGreaterThan(lines.get(0).get("steps").asLong());
        assertThat(lines.get(1).get("testAccuracy").asDouble()).isGreaterThan(0.9);

        ScaleMLClassificationModel m = ScaleMLClassificationModel.load(model.toString());
        assertThat(m.numFeatures()).isEqualTo(10);
        assertThat(m.numClasses()).isEqualTo(2);
        Dataset<Row> probe = SparkTestSupport.spark().createDataFrame(List.of(
                RowFactory.create(Vectors.dense(2, 2, 0, 0, 0, 0, 0, 0, 0, 0), 1.0),
                RowFactory.create(Vectors.dense(0.1, 0.1, 0, 0, 0, 0, 0, 0, 0, 0), 0.0)), SparkTestSupport.SCHEMA);
        List<Row> pred = m.transform(probe).select("prediction").collectAsList();
        assertThat(pred.get(0).getDouble(0)).isEqualTo(1.0); // +1 maps to class 1
        assertThat(pred.get(1).getDouble(0)).isEqualTo(0.0);
    }

    /** An IDX file: magic, dimensions, then the bytes. */
    static void writeIdx(Path file, int magic, int[] dims, byte[] body) throws IOException {
        try (OutputStream os = Files.newOutputStream(file); DataOutputStream out = new DataOutputStream(os)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(body);
        }
    }

    /** {@code n} 28x28 images of 3 classes: class c is a bright horizontal band in rows 9c..9c+8, plus noise. */
    static void writeImages(Path dir, String prefix, int n, long seed) throws IOException {
        SplittableRandom rnd = new SplittableRandom(seed);
        byte[] px = new byte[n * 784];
        byte[] labels = new byte[n];
        for (int i = 0; i < n; i++) {
            int c = rnd.nextInt(3);
            labels[i] = (byte) c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = rnd.nextInt(60) + (y / 9 == c ? 180 : 0);
                    px[i * 784 + y * 28 + x] = (byte) Math.min(255, v);
                }
            }
        }
        writeIdx(dir.resolve(prefix + "-images-idx3-ubyte"), 0x803, new int[] {n, 28, 28}, px);
        writeIdx(dir.resolve(prefix + "-labels-idx1-ubyte"), 0x801, new int[] {n}, labels);
    }

    @Test
    void idxDirectoryWithT10kTestSetAndReadableOutput(@TempDir Path dir) throws Exception {
        Path data = Files.createDirectory(dir.resolve("images"));
        writeImages(data, "train", 200, 3);
        writeImages(data, "t10k", 60, 4);
        Path model = dir.resolve("model");
        Run r = run("--data", data.toString(), "--model", "softmax", "--workers", "2", "--epochs", "2", "--batch",
                "10", "--out", model.toString());
        assertThat(r.code()).as(r.err()).isZero();
        String[] lines = r.out().split("\n");
        assertThat(lines[0]).contains("training softmax").contains("(idx, test data");
        assertThat(r.out()).contains("epoch 1: train loss").contains("epoch 2: train loss");
        String last = List.of(lines).stream().filter(l -> l.startsWith("epoch 2:")).findFirst().orElseThrow();
        double acc = Double.parseDouble(last.replaceAll(".*test accuracy ([0-9.]+).*", "$1"));
        assertThat(acc).isGreaterThan(0.9);
        assertThat(r.out()).contains("model saved to " + model);
        ScaleMLClassificationModel m = ScaleMLClassificationModel.load(model.toString());
        assertThat(m.inputShape()).containsExactly(1, 28, 28);
        assertThat(m.numClasses()).isEqualTo(3);
        assertThat(m.numFeatures()).isEqualTo(784);
    }

    @Test
    void csvWithStringLabelsAssemblesNumericColumns(@TempDir Path dir) throws Exception {
        Path csv = dir.resolve("flowers.csv");
        SplittableRandom rnd = new SplittableRandom(5);
        StringBuilder sb = new StringBuilder("a,b,species,c\n");
        String[] names = {"setosa", "versicolor", "virginica"};
        for (int i = 0; i < 300; i++) {
            int c = rnd.nextInt(3);
            double[] x = new double[3];
            for (int j = 0; j < 3; j++) {
                x[j] = rnd.nextGaussian() * 0.3 + (j == c ? 2 : 0);
            }
            sb.append(String.format(Locale.ROOT, "%.4f,%.4f,%s,%.4f%n", x[0], x[1], names[c], x[2]));
        }
        Files.writeString(csv, sb);
        Run r = run("--data", csv.toString(), "--label-col", "species", "--model", "softmax", "--workers", "2",
                "--epochs", "2", "--batch", "16", "--json", "--run-id", "csv-run");
        assertThat(r.code()).as(r.err()).isZero();
        List<JsonNode> lines = r.json();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(1).get("testAccuracy").isNull()).isTrue(); // no test data
        assertThat(lines.get(1).get("trainLoss").asDouble()).isLessThan(lines.get(0).get("trainLoss").asDouble());
        assertThat(lines.get(1).get("runId").asText()).isEqualTo("csv-run");
        assertThat(lines.get(1).get("parameters").asInt()).isEqualTo(3 * 3 + 3);
    }

    @Test
    void badInputExitsWithTwoAndOneLine(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("no-such-file");
        Run r = run("--data", missing.toString(), "--model", "logreg");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).contains(missing.toString()).contains("no such file").doesNotContain("\n");
        assertThat(r.out()).isEmpty();

        Path data = dir.resolve("tiny");
        writeLibsvm(data, 100, 9);
        r = run("--data", data.toString(), "--format", "arff");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--format").contains("arff").doesNotContain("\tat ");

        r = run("--data", data.toString(), "--layer-codec", "fc1");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--layer-codec must be LAYER=SPEC").contains("'fc1'");

        r = run("--data", data.toString(), "--layer-codec", "fc*=nosuchcodec:bits=4");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--layer-codec fc*=nosuchcodec:bits=4");

        r = run("--model", "logreg");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data");

        r = run("--data", data.toString(), "--workers", "0");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--workers must be at least 1");

        Path ckpt = dir.resolve("absent/ckpt");
        r = run("--data", data.toString(), "--model", "logreg", "--checkpoint", ckpt.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--checkpoint").contains(dir.resolve("absent").toString())
                .contains("does not exist");

        r = run("--data", data.toString(), "--model", "nonsense");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("nonsense");

        assertThat(r.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void helpExplainsFormatsAndJsonKeys() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("--data", "--format", "--layer-codec", "--checkpoint", "--run-id", "--master",
                "testAccuracy", "bytesPerStep", "paramsIdentical", "transport", "libsvm", "parquet", "idx");
    }
}
