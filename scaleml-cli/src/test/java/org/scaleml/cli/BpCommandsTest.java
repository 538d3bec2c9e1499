package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;

import javax.imageio.ImageIO;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

class BpCommandsTest {
    @TempDir
    Path dir;

    /** A chain of three binary variables: BP is exact on it. */
    private Path chain() throws Exception {
        Path f = dir.resolve("chain.uai");
        Files.writeString(f, "MARKOV\n3\n2 2 2\n3\n2 0 1\n2 1 2\n1 0\n\n4\n 2 1 1 2\n\n4\n 3 1 1 3\n\n2\n 0.3 0.7\n");
        return f;
    }

    @Test
    void bpPrintsTheDocumentedKeysAndWritesMarginals() throws Exception {
        Path mar = dir.resolve("out.MAR");
        for (String algo : org.scaleml.bp.engine.BpEngines.names()) {
            Run r = ScaleMlTest.run("bp", "--model", chain().toString(), "--algo", algo, "--threads", "2",
                    "--epsilon", "1e-9", "--out", mar.toString(), "--json");
            assertThat(r.exit()).as(algo + ": " + r.err()).isZero();
            JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
            assertThat(o.keySet()).contains("algo", "threads", "variables", "factors", "updates", "millis", "converged",
                    "maxResidual", "engines");
            assertThat(o.getAsJsonArray("engines")).isNotEmpty();
            if (algo.startsWith("relaxed-") || algo.startsWith("smq-")) {
                assertThat(o.keySet()).as(algo).contains("staleTasks", "requeues", "priorityInversions");
            }
            assertThat(o.get("converged").getAsBoolean()).isTrue();
            assertThat(o.get("variables").getAsInt()).isEqualTo(3);
            assertThat(Files.readString(mar)).startsWith("MAR");
        }
        // exact marginal of x0: p(x0) ~ f(x0) sum_x1 g(x0,x1) sum_x2 h(x1,x2) = f(x0) * 3 * 4, i.e. f itself
        String line = Files.readString(mar).lines().skip(1).findFirst().orElseThrow();
        String[] t = line.trim().split("\\s+");
        double p0 = Double.parseDouble(t[3]);
        assertThat(p0).isCloseTo(0.7, org.assertj.core.data.Offset.offset(1e-6));
        // and of x1: p(x1) ~ sum_x0 f(x0) g(x0,x1) = (0.3*2 + 0.7*1, 0.3*1 + 0.7*2) = (1.3, 1.7) / 3
        assertThat(Double.parseDouble(t[5])).isCloseTo(1.3 / 3, org.assertj.core.data.Offset.offset(1e-6));
    }

    @Test
    void anUnconvergedRunSaysSoAndFailsTheExitCode() throws Exception {
        Run r = ScaleMlTest.run("bp", "--model", chain().toString(), "--algo", "sync", "--max-updates", "1",
                "--json");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(JsonParser.parseString(r.outLines().get(0)).getAsJsonObject().get("converged").getAsBoolean())
                .isFalse();
    }

    @Test
    void malformedModelsAndBadFlagsGetOneLine() throws Exception {
        Path bad = dir.resolve("bad.uai");
        Files.writeString(bad, "MARKOV\n2\n2 2\n1\n2 0 1\n\n3\n1 2 3\n");
        Run r = ScaleMlTest.run("bp", "--model", bad.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("bad.uai:").doesNotContain("Exception");
        assertThat(ScaleMlTest.run("bp", "--model", chain().toString(), "--algo", "loopy").err())
                .contains("relaxed-residual");
        assertThat(ScaleMlTest.run("bp", "--model", dir.resolve("none.uai").toString()).err())
                .contains("no such model file");
    }

    @Test
    void ldpcReportsErrorRates() throws Exception {
        // Hamming (7,4) as an alist: N=7, M=3
        Path code = dir.resolve("hamming.alist");
        Files.writeString(code, "7 3\n3 4\n1 1 1 2 2 2 3\n4 4 4\n1 0 0\n2 0 0\n3 0 0\n1 2 0\n1 3 0\n2 3 0\n1 2 3\n"
                + "1 4 5 7\n2 4 6 7\n3 5 6 7\n");
        Run r = ScaleMlTest.run("ldpc", "--code", code.toString(), "--snr-db", "6", "--frames", "200", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.keySet()).contains("ber", "fer", "meanIterations", "millis");
        assertThat(o.get("n").getAsInt()).isEqualTo(7);
        assertThat(o.get("ber").getAsDouble()).isLessThan(0.05);
        for (String algo : new String[] {"sync", "relaxed-residual"}) {
            Run e = ScaleMlTest.run("ldpc", "--code", code.toString(), "--snr-db", "6", "--frames", "50", "--algo",
                    algo, "--json");
            assertThat(e.exit()).as(algo + ": " + e.err()).isZero();
            JsonObject eo = JsonParser.parseString(e.outLines().get(0)).getAsJsonObject();
            assertThat(eo.get("algo").getAsString()).isEqualTo(algo);
            assertThat(eo.get("ber").getAsDouble()).as(algo).isLessThan(0.05);
            assertThat(eo.get("meanIterations").getAsDouble()).isPositive();
        }
        assertThat(ScaleMlTest.run("ldpc", "--code", code.toString(), "--algo", "turbo").exit()).isEqualTo(2);
    }

    @Test
    void denoiseWritesACleanerImage() throws Exception {
        BufferedImage img = new BufferedImage(40, 30, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 30; y++) {
            for (int x = 0; x < 40; x++) {
                img.setRGB(x, y, x < 20 ? 0x000000 : 0xFFFFFF);
            }
        }
        Path in = dir.resolve("in.png");
        ImageIO.write(img, "png", in.toFile());
        Path out = dir.resolve("out.png");
        Run r = ScaleMlTest.run("denoise", "--image", in.toString(), "--out", out.toString(), "--noise", "0.1",
                "--algo", "sync", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.get("denoisedWrong").getAsInt()).isLessThan(o.get("noisyWrong").getAsInt() / 2);
        assertThat(ImageIO.read(out.toFile()).getWidth()).isEqualTo(40);
    }
}
