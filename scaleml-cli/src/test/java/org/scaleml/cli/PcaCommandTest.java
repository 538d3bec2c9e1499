package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Random;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

class PcaCommandTest {
    @TempDir
    Path dir;

    /** A LIBSVM file of 500 rows in R^12 with three strong directions plus noise (labels alternate). */
    private Path lowRankFile() throws IOException {
        Random rnd = new Random(7);
        int d = 12;
        double[][] dirs = new double[3][d];
        for (double[] u : dirs) {
            for (int c = 0; c < d; c++) {
                u[c] = rnd.nextGaussian();
            }
        }
        double[] scale = {6, 4, 2.5};
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < 500; r++) {
            double[] x = new double[d];
            for (int c = 0; c < d; c++) {
                x[c] = 1 + 0.2 * rnd.nextGaussian();
            }
            for (int j = 0; j < 3; j++) {
                double g = scale[j] * rnd.nextGaussian();
                for (int c = 0; c < d; c++) {
                    x[c] += g * dirs[j][c];
                }
            }
            sb.append(r % 2 == 0 ? "+1" : "-1");
            for (int c = 0; c < d; c++) {
                sb.append(' ').append(c + 1).append(':').append(String.format(Locale.ROOT, "%.6f", x[c]));
            }
            sb.append('\n');
        }
        Path f = dir.resolve("lowrank.svm");
        Files.writeString(f, sb.toString());
        return f;
    }

    @Test
    void printsOneJsonLinePerCodecWithTheDocumentedKeys() throws IOException {
        Path f = lowRankFile();
        Run r = ScaleMlTest.run("pca", "--data", f.toString(), "--k", "2", "--workers", "3", "--codec", "fp32",
                "--codec", "qsgd:bits=4,norm=max", "--target-angle", "1e-3", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(2);
        double[] bytes = new double[2];
        for (int i = 0; i < 2; i++) {
            JsonObject o = JsonParser.parseString(lines.get(i)).getAsJsonObject();
            assertThat(o.keySet()).contains("k", "workers", "codec", "bytesSentPerRank", "principalAngle", "millis",
                    "iterations", "stop", "bytesSentMaxRank", "variances", "n", "d");
            assertThat(o.get("k").getAsInt()).isEqualTo(2);
            assertThat(o.get("workers").getAsInt()).isEqualTo(3);
            assertThat(o.get("d").getAsInt()).isEqualTo(12);
            assertThat(o.get("stop").getAsString()).isEqualTo("target");
            assertThat(o.get("principalAngle").getAsDouble()).isBetween(0.0, 1e-3);
            assertThat(o.getAsJsonArray("variances")).hasSize(2);
            assertThat(o.get("millis").getAsDouble()).isPositive();
            bytes[i] = o.get("bytesSentPerRank").getAsDouble();
        }
        assertThat(JsonParser.parseString(lines.get(0)).getAsJsonObject().get("codec").getAsString())
                .isEqualTo("fp32");
        assertThat(bytes[0]).isGreaterThan(2 * bytes[1]);
    }

    @Test
    void printsATableWithTheRatioToFp32AndANullAngleWithoutReference() throws IOException {
        Path f = lowRankFile();
        Run t = ScaleMlTest.run("pca", "--data", f.toString(), "--k", "1", "--workers", "2", "--codec",
                "qsgd:bits=4,norm=max", "--codec", "fp32", "--max-iters", "30");
        assertThat(t.exit()).as(t.err()).isZero();
        assertThat(t.out()).contains("vs fp32", "1.00x", "qsgd:bits=4", "d = 12");
        Run j = ScaleMlTest.run("pca", "--data", f.toString(), "--no-reference", "--max-iters", "5", "--workers",
                "2", "--json");
        assertThat(j.exit()).as(j.err()).isZero();
        JsonObject o = JsonParser.parseString(j.outLines().get(0)).getAsJsonObject();
        assertThat(o.get("principalAngle").isJsonNull()).isTrue();
        assertThat(o.get("iterations").getAsInt()).isLessThanOrEqualTo(5);
    }

    @Test
    void badInputGetsOneClearLine() throws IOException {
        Path f = lowRankFile();
        Run missing = ScaleMlTest.run("pca", "--data", dir.resolve("nope.svm").toString());
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("--data", "nope.svm").doesNotContain("Exception");
        Run k = ScaleMlTest.run("pca", "--data", f.toString(), "--k", "13");
        assertThat(k.exit()).isEqualTo(2);
        assertThat(k.err()).contains("--k 13", "12 features");
        Run k0 = ScaleMlTest.run("pca", "--data", f.toString(), "--k", "0");
        assertThat(k0.exit()).isEqualTo(2);
        assertThat(k0.err()).contains("--k");
        Run over = ScaleMlTest.run("pca", "--data", f.toString(), "--k", "10", "--oversample", "3");
        assertThat(over.exit()).isEqualTo(2);
        assertThat(over.err()).contains("--oversample");
        Run w = ScaleMlTest.run("pca", "--data", f.toString(), "--workers", "0");
        assertThat(w.exit()).isEqualTo(2);
        assertThat(w.err()).contains("--workers");
        Run codec = ScaleMlTest.run("pca", "--data", f.toString(), "--codec", "qsgd:bits=99");
        assertThat(codec.exit()).isEqualTo(2);
        assertThat(codec.err()).contains("--codec", "bits");
        Run method = ScaleMlTest.run("pca", "--data", f.toString(), "--method", "newton");
        assertThat(method.exit()).isEqualTo(2);
        assertThat(method.err()).contains("--method");
        Run target = ScaleMlTest.run("pca", "--data", f.toString(), "--target-angle", "1e-3", "--no-reference");
        assertThat(target.exit()).isEqualTo(2);
        assertThat(target.err()).contains("--target-angle");
        Run step = ScaleMlTest.run("pca", "--data", f.toString(), "--step", "2");
        assertThat(step.exit()).isEqualTo(2);
        assertThat(step.err()).contains("--step");
        Run help = ScaleMlTest.run("pca", "--help");
        assertThat(help.out()).contains("bytesSentPerRank", "principalAngle", "millis", "--target-angle");
    }
}
