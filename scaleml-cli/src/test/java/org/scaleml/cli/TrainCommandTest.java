package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

import javax.imageio.ImageIO;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

class TrainCommandTest {
    @TempDir
    Path dir;

    /** A CSV of 3 well separated classes in 8 features, label first. */
    private Path csv() throws Exception {
        Path f = dir.resolve("blobs.csv");
        SplittableRandom r = new SplittableRandom(3);
        StringBuilder sb = new StringBuilder("label");
        for (int j = 0; j < 8; j++) {
            sb.append(",x").append(j);
        }
        sb.append('\n');
        for (int i = 0; i < 1500; i++) {
            int k = r.nextInt(3);
            sb.append(k);
            for (int j = 0; j < 8; j++) {
                double centre = (j % 3 == k) ? 2 : 0;
                sb.append(',').append(String.format(Locale.ROOT, "%.4f", centre + 0.5 * (r.nextDouble() - 0.5)));
            }
            sb.append('\n');
        }
        Files.writeString(f, sb);
        return f;
    }

    private static List<JsonObject> json(Run r) {
        List<JsonObject> out = new ArrayList<>();
        for (String l : r.outLines()) {
            out.add(JsonParser.parseString(l).getAsJsonObject());
        }
        return out;
    }

    @Test
    void trainsOnACsvFileAndPrintsTheDocumentedKeysPerEpoch() throws Exception {
        Path out = dir.resolve("run.jsonl");
        Run r = ScaleMlTest.run("train", "--data", csv().toString(), "--model", "softmax", "--workers", "3",
                "--epochs", "3", "--batch", "16", "--codec", "qsgd:bits=4", "--min-compress", "8", "--out",
                out.toString(), "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<JsonObject> lines = json(r);
        assertThat(lines).hasSize(3);
        for (JsonObject o : lines) {
            assertThat(o.keySet()).contains("epoch", "trainLoss", "testAccuracy", "seconds", "bytesSentPerRank",
                    "stepsPerSecond", "elapsedSeconds", "totalBytesSentPerRank", "paramsIdentical", "plan", "label");
            assertThat(o.get("paramsIdentical").getAsBoolean()).isTrue();
            assertThat(o.get("bytesSentPerRank").getAsLong()).isPositive();
        }
        assertThat(lines.get(2).get("testAccuracy").getAsDouble()).isGreaterThan(0.9);
        assertThat(lines.get(0).get("plan").getAsString()).contains("weight=qsgd:bits=4");
        assertThat(Files.readAllLines(out)).hasSize(3);

        // the plot of that file (and a second run appended to it) is a real PNG with both charts
        Run r2 = ScaleMlTest.run("train", "--data", csv().toString(), "--model", "softmax", "--workers", "3",
                "--epochs", "2", "--label", "plain", "--out", out.toString(), "--json");
        assertThat(r2.exit()).as(r2.err()).isZero();
        Path png = dir.resolve("acc.png");
        Run p = ScaleMlTest.run("plot", out.toString(), "--out", png.toString());
        assertThat(p.exit()).as(p.err()).isZero();
        assertThat(p.out()).contains("2 runs");
        BufferedImage img = ImageIO.read(png.toFile());
        assertThat(img.getWidth()).isEqualTo(1400);
        assertThat(img.getHeight()).isEqualTo(480);
    }

    @Test
    void badInputGetsOneLineAndExitCode2() throws Exception {
        Path data = csv();
        String[][] cases = {
                {"--workers", "0"},
                {"--model", "nosuch"},
                {"--codec", "qsgd:bits=99"},
                {"--layer-codec", "noequals"},
                {"--layer-codec", "conv*=qsgd"},
                {"--trainer", "gossip"},
                {"--resume"},
                {"--optimizer", "sgd:lr=-1"},
                {"--model", "cnn"},
                {"--trainer", "hogwild", "--transport", "tcp"},
                {"--attackers", "3", "--workers", "3"},
                {"--straggler", "5:2", "--workers", "3"},
                {"--straggler", "one:5"},
                {"--aggregator", "krum", "--workers", "3", "--attackers", "1"},
                {"--aggregator", "median", "--codec", "qsgd:bits=4"},
                {"--attackers", "1", "--attack", "bribe"},
                {"--local-steps", "4"},
                {"--trainer", "local", "--local-steps", "0"},
                {"--trainer", "partial", "--codec", "qsgd:bits=4"},
                {"--locked"},
                {"--quorum", "solo"},
                {"--max-features", "0"},
                {"--trainer", "local", "--quorum", "majority"},
                {"--codec", "adaptive:bits=99"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data.toString(), "--epochs", "1"));
            args.addAll(List.of(c));
            Run r = ScaleMlTest.run(args.toArray(new String[0]));
            assertThat(r.exit()).as(String.join(" ", c) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        }
        Run r = ScaleMlTest.run("train", "--data", dir.resolve("missing.csv").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing.csv");
        Path bad = dir.resolve("bad.jsonl");
        Files.writeString(bad, "{\"testAccuracy\": 0.5, \"elapsedSeconds\": 1, \"totalBytesSentPerRank\": 9}\n"
                + "not json\n");
        Run p = ScaleMlTest.run("plot", bad.toString(), "--out", dir.resolve("x.png").toString());
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("bad.jsonl:2");
    }

    @Test
    void everyTrainerRunsFromTheCommandLineWithItsKeys() throws Exception {
        String data = csv().toString();
        String[][] cases = {
                {"--trainer", "local", "--local-steps", "4"},
                {"--trainer", "swarm", "--codec", "qsgd:bits=8"},
                {"--trainer", "partial", "--straggler", "1:3"},
                {"--trainer", "hogwild"},
                {"--trainer", "hogwild", "--locked"},
                {"--attackers", "1", "--attack", "signflip:scale=10", "--aggregator", "median"},
                {"--attackers", "1", "--attack", "noise", "--aggregator", "clip"},
        };
        for (String[] c : cases) {
            List<String> args = new ArrayList<>(List.of("train", "--data", data, "--model", "softmax", "--epochs",
                    "2", "--batch", "16", "--workers", "3", "--min-compress", "8", "--json"));
            args.addAll(List.of(c));
            Run r = ScaleMlTest.run(args.toArray(new String[0]));
            String what = String.join(" ", c);
            assertThat(r.exit()).as(what + ": " + r.err()).isZero();
            List<JsonObject> lines = json(r);
            assertThat(lines).as(what).hasSize(2);
            JsonObject last = lines.get(1);
            assertThat(last.get("testAccuracy").getAsDouble()).as(what).isGreaterThan(0.85);
            assertThat(last.get("trainer").getAsString()).isEqualTo(c[0].equals("--trainer") ? c[1] : "sync");
            assertThat(last.get("stepsPerSecond").getAsDouble()).isPositive();
            assertThat(last.get("paramsIdentical").getAsBoolean()).as(what).isEqualTo(!c[1].equals("swarm"));
        }
        // plain averaging under a strong attack fails to learn (a diverged loss is reported as null, not as a
        // broken line)
        Run r = ScaleMlTest.run("train", "--data", data, "--model", "softmax", "--epochs", "2", "--batch", "16",
                "--workers", "4", "--attackers", "1", "--attack", "signflip:scale=10", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject bad = json(r).get(1);
        assertThat(bad.get("attackers").getAsInt()).isEqualTo(1);
        assertThat(bad.get("testAccuracy").getAsDouble()).isLessThan(0.7);
    }

    @Test
    void aDivergedRunExitsNonZeroNamingTheEpochAndALowerRate() throws Exception {
        Run r = ScaleMlTest.run("train", "--data", csv().toString(), "--model", "softmax", "--workers", "2",
                "--epochs", "2", "--batch", "8", "--optimizer", "sgd:lr=1e38", "--json");
        assertThat(r.exit()).as(r.err()).isEqualTo(1);
        assertThat(r.err().strip().lines().count()).as(r.err()).isEqualTo(1);
        assertThat(r.err()).contains("diverged", "epoch 1", "sgd:lr=1e+37");
        List<JsonObject> lines = json(r);
        assertThat(lines).hasSize(2); // the epochs are still reported, the loss as null
        assertThat(lines.get(0).get("trainLoss").isJsonNull()).isTrue();
        assertThat(TrainReporter.lowerRate("sgd:lr=0.1,momentum=0.9")).isEqualTo("sgd:lr=0.01,momentum=0.9");
        assertThat(TrainReporter.lowerRate("adam")).isEqualTo("adam:lr=0.01");
    }

    @Test
    void checkpointPathsAreCheckedBeforeTraining() throws Exception {
        Path data = csv();
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Run r = ScaleMlTest.run("train", "--data", data.toString(), "--epochs", "1", "--checkpoint", file.toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("a-file is a file, not a directory");
        assertThat(r.err().strip().lines().count()).isEqualTo(1);
        Path fresh = dir.resolve("new-ck");
        Run f = ScaleMlTest.run("train", "--data", data.toString(), "--model", "softmax", "--epochs", "1",
                "--batch", "8", "--checkpoint", fresh.toString(), "--resume", "--json");
        assertThat(f.exit()).as(f.err()).isZero();
        assertThat(f.err()).contains("did not exist; starting fresh");
        assertThat(fresh).isDirectory();
    }

    @Test
    void checkpointsAndResumesOnTheCommandLine() throws Exception {
        Path data = csv();
        Path ck = dir.resolve("ck");
        String[] common = {"train", "--data", data.toString(), "--model", "mlp:hidden=8", "--workers", "2",
                "--epochs", "2", "--batch", "8", "--checkpoint", ck.toString(), "--checkpoint-every", "25", "--json"};
        Run whole = ScaleMlTest.run(common);
        assertThat(whole.exit()).as(whole.err()).isZero();
        // a second run resumes after the last checkpoint (the end): nothing left to do, nothing printed
        List<String> again = new ArrayList<>(List.of(common));
        again.add("--resume");
        Run done = ScaleMlTest.run(again.toArray(new String[0]));
        assertThat(done.exit()).as(done.err()).isZero();
        assertThat(done.outLines()).isEmpty();
    }

    @Test
    void resumeRefusesOtherDataAndAllowsMoreEpochs() throws Exception {
        Path data = csv();
        Path ck = dir.resolve("ck-data");
        List<String> common = List.of("train", "--data", data.toString(), "--model", "softmax", "--workers", "2",
                "--batch", "16", "--checkpoint", ck.toString(), "--checkpoint-every", "10", "--json");
        List<String> two = new ArrayList<>(common);
        two.addAll(List.of("--epochs", "2"));
        Run first = ScaleMlTest.run(two.toArray(new String[0]));
        assertThat(first.exit()).as(first.err()).isZero();
        // the same file name and example count, one feature value changed
        String text = Files.readString(data);
        int at = text.lastIndexOf('.') + 1;
        char digit = text.charAt(at);
        Files.writeString(data, text.substring(0, at) + (char) (digit == '9' ? '8' : digit + 1)
                + text.substring(at + 1));
        two.add("--resume");
        Run other = ScaleMlTest.run(two.toArray(new String[0]));
        assertThat(other.exit()).as(other.err()).isEqualTo(2);
        assertThat(other.err()).contains("written by another configuration", "dataHash ")
                .doesNotContain("continue with --resume").doesNotContain("Exception");
        assertThat(other.err().strip().lines().count()).as(other.err()).isEqualTo(1);
        Files.writeString(data, text);
        // raising the epoch count continues the finished run
        List<String> three = new ArrayList<>(common);
        three.addAll(List.of("--epochs", "3", "--resume"));
        Run more = ScaleMlTest.run(three.toArray(new String[0]));
        assertThat(more.exit()).as(more.err()).isZero();
        // (the newest checkpoint is at step 70 of 74: the end of epoch 2 is redone, then epoch 3)
        assertThat(json(more)).extracting(o -> o.get("epoch").getAsInt()).containsExactly(2, 3);
        // lowering it is refused, naming the setting
        List<String> one = new ArrayList<>(common);
        one.addAll(List.of("--epochs", "1", "--resume"));
        Run fewer = ScaleMlTest.run(one.toArray(new String[0]));
        assertThat(fewer.exit()).as(fewer.err()).isEqualTo(2);
        assertThat(fewer.err()).contains("epochs 1 != ", "not lower it");
        assertThat(fewer.err().strip().lines().count()).isEqualTo(1);
    }

    @Test
    void fashionMnistWhenPresent() {
        Path fm = Path.of("../../shared/data/fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(fm), "no ../shared/data/fashion-mnist");
        Run r = ScaleMlTest.run("train", "--data", fm.toString(), "--model", "mlp:hidden=32", "--workers", "2",
                "--epochs", "1", "--max-steps", "100", "--train-limit", "6400", "--optimizer", "adam:lr=0.003",
                "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = json(r).get(0);
        assertThat(o.get("testAccuracy").getAsDouble()).isGreaterThan(0.6);
        assertThat(o.get("epochSteps").getAsInt()).isEqualTo(100);
    }
}
