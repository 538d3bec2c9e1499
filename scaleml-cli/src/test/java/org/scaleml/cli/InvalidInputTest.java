package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

/** Invalid input of every kind exits 2 with one line on standard error, before any work starts. */
class InvalidInputTest {
    @TempDir
    Path dir;

    private static void assertUsage(Run r, String... parts) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains(parts).doesNotContain("Exception").doesNotContain("\tat ");
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.out()).isEmpty();
    }

    private Path chain() throws Exception {
        Path f = dir.resolve("chain.uai");
        Files.writeString(f, "MARKOV\n3\n2 2 2\n3\n2 0 1\n2 1 2\n1 0\n\n4\n 2 1 1 2\n\n4\n 3 1 1 3\n\n2\n 0.3 0.7\n");
        return f;
    }

    private Path png() throws Exception {
        BufferedImage img = new BufferedImage(24, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 24; x++) {
                img.getRaster().setSample(x, y, 0, (x / 4 + y / 4) % 2 == 0 ? 255 : 0);
            }
        }
        Path p = dir.resolve("in.png");
        ImageIO.write(img, "png", p.toFile());
        return p;
    }

    @Test
    void directoriesGivenAsInputFiles() throws Exception {
        Path d = Files.createDirectories(dir.resolve("adir"));
        assertUsage(ScaleMlTest.run("bp", "--model", d.toString()), "--model", "adir is a directory");
        assertUsage(ScaleMlTest.run("bp", "--model", chain().toString(), "--evid", d.toString()), "--evid",
                "adir is a directory");
        assertUsage(ScaleMlTest.run("ldpc", "--code", d.toString()), "--code", "is a directory");
        assertUsage(ScaleMlTest.run("denoise", "--image", d.toString(), "--out", dir.resolve("o.png").toString()),
                "--image", "is a directory");
    }

    @Test
    void aTruncatedPngIsRefused() throws Exception {
        byte[] whole = Files.readAllBytes(png());
        Path out = dir.resolve("clean.png");
        // cut inside the image data and inside the final chunk: both were read as a partial image before
        for (int keep : new int[] {whole.length / 2, whole.length - 8}) {
            Path cut = Files.write(dir.resolve("cut" + keep + ".png"), Arrays.copyOf(whole, keep));
            assertUsage(ScaleMlTest.run("denoise", "--image", cut.toString(), "--out", out.toString()),
                    "cut" + keep + ".png: truncated or damaged image");
            assertThat(out).doesNotExist();
        }
        assertThat(ScaleMlTest.run("denoise", "--image", png().toString(), "--out", out.toString()).exit()).isZero();
    }

    @Test
    void outputsIntoMissingDirectoriesAreRefusedBeforeWork() throws Exception {
        Path missing = dir.resolve("no-such-dir");
        String mar = missing.resolve("x.MAR").toString();
        assertUsage(ScaleMlTest.run("bp", "--model", chain().toString(), "--out", mar), "--out", "no-such-dir",
                "does not exist");
        String in = png().toString();
        assertUsage(ScaleMlTest.run("denoise", "--image", in, "--out", missing.resolve("o.png").toString()),
                "--out", "does not exist");
        assertUsage(ScaleMlTest.run("denoise", "--image", in, "--out", dir.resolve("o.png").toString(),
                "--noisy-out", missing.resolve("n.png").toString()), "--noisy-out", "does not exist");
        assertThat(dir.resolve("o.png")).doesNotExist();
        Path runs = Files.writeString(dir.resolve("r.jsonl"), "{\"label\":\"a\",\"epoch\":1,\"testAccuracy\":0.5,"
                + "\"elapsedSeconds\":1,\"totalBytesSentPerRank\":10}\n");
        assertUsage(ScaleMlTest.run("plot", runs.toString(), "--out", missing.resolve("p.png").toString()),
                "--out", "does not exist");
        assertUsage(ScaleMlTest.run("train", "--data", csv(60, "0").toString(), "--model", "softmax",
                "--out", missing.resolve("t.jsonl").toString()), "--out", "does not exist");
        assertUsage(ScaleMlTest.run("bp", "--model", chain().toString(), "--out", dir.toString()), "--out",
                "is a directory");
        assertThat(missing).doesNotExist();
    }

    @Test
    void ldpcSnrMustBeAFiniteNumber() throws Exception {
        Path code = dir.resolve("hamming.alist");
        Files.writeString(code, "7 3\n3 4\n1 1 1 2 2 2 3\n4 4 4\n1 0 0\n2 0 0\n3 0 0\n1 2 0\n1 3 0\n2 3 0\n1 2 3\n"
                + "1 4 5 7\n2 4 6 7\n3 5 6 7\n");
        for (String v : List.of("NaN", "Infinity", "1000")) {
            assertUsage(ScaleMlTest.run("ldpc", "--code", code.toString(), "--snr-db", v), "--snr-db", v);
        }
    }

    /** A CSV of {@code rows} examples, 2 features, labels 0..2, with {@code lastLabel} as the last label. */
    private Path csv(int rows, String lastLabel) throws Exception {
        StringBuilder b = new StringBuilder("label,a,b\n");
        for (int i = 0; i < rows; i++) {
            b.append(i == rows - 1 ? lastLabel : Integer.toString(i % 3)).append(',').append(i % 7).append(',')
                    .append(i % 5).append('\n');
        }
        Path p = dir.resolve("d" + rows + "-" + lastLabel + ".csv");
        Files.writeString(p, b);
        return p;
    }

    @Test
    void aBatchLargerThanAWorkersShareIsRefused() throws Exception {
        // 60 examples: 48 train after the split, 24 per worker for 2 workers
        assertUsage(ScaleMlTest.run("train", "--data", csv(60, "0").toString(), "--model", "softmax", "--workers",
                "2", "--batch", "32"), "--batch 32 is larger than a worker's share", "use --batch 24 or less");
    }

    @Test
    void csvLabelsMustBeClassIndices() throws Exception {
        assertUsage(ScaleMlTest.run("train", "--data", csv(60, "2.5").toString(), "--model", "softmax",
                "--workers", "1", "--batch", "4"), "d60-2.5.csv:61: label '2.5' is not a class");
        assertUsage(ScaleMlTest.run("train", "--data", csv(60, "7").toString(), "--model", "softmax",
                "--workers", "1", "--batch", "4", "--classes", "3"),
                "d60-7.csv:61: label 7 is not one of the 3 declared classes 0 to 2");
        assertUsage(ScaleMlTest.run("train", "--data", csv(60, "0").toString(), "--classes", "1"),
                "--classes must be between 2 and");
        Run ok = ScaleMlTest.run("train", "--data", csv(60, "7").toString(), "--model", "softmax", "--workers", "1",
                "--batch", "4", "--epochs", "1", "--classes", "8", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("\"parameters\":24"); // 2 features x 8 classes + 8 biases
    }

    private static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.put(data).array();
    }

    /** An IDX directory of {@code n} training images of 8 x 8 and test images of {@code th} x {@code tw}. */
    private Path idxDir(int n, int th, int tw, byte strayLabel) throws Exception {
        Path d = Files.createDirectories(dir.resolve("idx-" + th + "x" + tw + "-" + strayLabel));
        byte[] px = new byte[n * 64];
        byte[] lab = new byte[n];
        for (int i = 0; i < n; i++) {
            lab[i] = (byte) (i % 2);
            px[i * 64 + (i % 2) * 63] = (byte) 255;
        }
        lab[n - 1] = strayLabel;
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {n, 8, 8}, px));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(0x801, new int[] {n}, lab));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(0x803, new int[] {4, th, tw}, new byte[4 * th * tw]));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(0x801, new int[] {4}, new byte[] {0, 1, 0, 1}));
        return d;
    }

    @Test
    void idxLabelsAndImageSizesAreCheckedBeforeTraining() throws Exception {
        assertUsage(ScaleMlTest.run("train", "--data", idxDir(40, 8, 8, (byte) 0xC8).toString(), "--model", "cnn",
                "--workers", "1", "--batch", "4"), "train-labels-idx1-ubyte: byte offset 47: label 200 of example "
                + "39 would make 201 classes");
        // 4 x 16 test images: the same 64 pixels, another size for a cnn built on 8 x 8
        assertUsage(ScaleMlTest.run("train", "--data", idxDir(40, 4, 16, (byte) 1).toString(), "--model", "cnn",
                "--workers", "1", "--batch", "4"), "images are 4 x 16 pixels, the training images");
        Run ok = ScaleMlTest.run("train", "--data", idxDir(40, 8, 8, (byte) 1).toString(), "--model",
                "cnn:c1=2,c2=2,fc=4", "--workers", "1", "--batch", "4", "--epochs", "1", "--json");
        assertThat(ok.exit()).as(ok.err()).isZero();
    }

    @Test
    void topLevelHelpSummariesAreWholeSentences() {
        Run r = ScaleMlTest.run("--help");
        String list = r.out().substring(r.out().indexOf("Commands:"), r.out().indexOf("Exit codes:"));
        // one entry per command, its summary (possibly wrapped onto indented lines) ending with a full stop
        List<String> entries = Arrays.stream(list.split("\\R(?=  \\S)")).skip(1).map(String::strip).toList();
        assertThat(entries).hasSizeGreaterThan(10);
        assertThat(entries).allSatisfy(e -> assertThat(e.replaceAll("\\s+", " ")).endsWith("."));
    }

    @Test
    void launchHelpSaysWhichLinesArePrefixed() {
        String help = ScaleMlTest.run("launch", "--help").out().replaceAll("\\s+", " ");
        assertThat(help).contains("Rank 0's standard output passes through unchanged",
                "rank 0's standard error included, is prefixed with [rank]");
    }
}
