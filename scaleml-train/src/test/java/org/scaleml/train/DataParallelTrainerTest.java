package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.comm.transport.PeerFailedException;
import org.scaleml.train.data.Dataset;

class DataParallelTrainerTest {
    static final Dataset TRAIN = Synthetic.clusters("clusters", 4000, 20, 4, 0.6, 1);
    static final Dataset TEST = Synthetic.clusters("clusters-test", 1000, 20, 4, 0.6, 2);

    static TrainSettings settings(String model, String codec, int epochs, Path ckpt, int every, boolean resume) {
        return new TrainSettings(model, "sgd:lr=0.1,momentum=0.9", codec, 16, Map.of(), 16, epochs, 0, 7, ckpt,
                every, resume);
    }

    static DataParallelTrainer.Result train(TrainSettings s, int world) throws InterruptedException {
        return InProcessJob.train(s, TRAIN, TEST, world, 0, null);
    }

    @Test
    void learnsOnOneToFourWorkersWithIdenticalParameters() throws InterruptedException {
        for (int world : new int[] {1, 2, 3, 4}) {
            DataParallelTrainer.Result r = train(settings("mlp:hidden=32", "none", 2, null, 1, false), world);
            assertThat(r.epochs()).hasSize(2);
            EpochReport last = r.epochs().get(1);
            assertThat(last.paramsIdentical()).isTrue();
            assertThat(last.testAccuracy()).as("world " + world).isGreaterThan(0.9);
            assertThat(last.trainLoss()).isLessThan(r.epochs().get(0).trainLoss());
            assertThat(last.epochSteps()).isEqualTo(4000 / world / 16);
            if (world == 1) {
                assertThat(last.bytesSentPerRank()).isZero();
            } else {
                assertThat(last.bytesSentPerRank()).isPositive();
            }
        }
    }

    @Test
    void everyRankEndsWithTheSameParameters() throws InterruptedException {
        List<InProcessJob.RankOutcome<DataParallelTrainer.Result>> outs = InProcessJob.runAll(3, 0, rank -> comm ->
                new DataParallelTrainer(settings("softmax", "qsgd:bits=4", 1, null, 1, false)).run(comm, TRAIN, TEST, null));
        for (InProcessJob.RankOutcome<DataParallelTrainer.Result> o : outs) {
            assertThat(o.error()).isNull();
            assertThat(o.value().params()).isEqualTo(outs.get(0).value().params());
        }
    }

    @Test
    void compressedTrainingLearnsAndSendsFewerBytes() throws InterruptedException {
        EpochReport plain = train(settings("mlp:hidden=64", "none", 2, null, 1, false), 4).epochs().get(1);
        EpochReport q4 = train(settings("mlp:hidden=64", "qsgd:bits=4", 2, null, 1, false), 4).epochs().get(1);
        EpochReport topk = train(settings("mlp:hidden=64", "ef:topk:ratio=0.01", 2, null, 1, false), 4).epochs()
                .get(1);
        assertThat(q4.testAccuracy()).isGreaterThan(plain.testAccuracy() - 0.03);
        assertThat(topk.testAccuracy()).isGreaterThan(plain.testAccuracy() - 0.05);
        assertThat((double) plain.bytesSentPerRank() / q4.bytesSentPerRank()).isGreaterThan(5);
        assertThat((double) plain.bytesSentPerRank() / topk.bytesSentPerRank()).isGreaterThan(15);
    }

    /** A listener that fails rank 0 after a given step, as a crash would (open for listeners that record more). */
    static class CrashAt implements DataParallelTrainer.Listener {
        final long at;
        long steps;

        CrashAt(long at) {
            this.at = at;
        }

        @Override
        public void step(int epoch, int stepInEpoch, int spe, double loss) {
            if (++steps == at) {
                throw new IllegalStateException("simulated crash after step " + at);
            }
        }
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedAndTheRunResumesFromTheOneBefore(@TempDir Path dir) throws Exception {
        int world = 2;
        DataParallelTrainer.Result whole = train(settings("mlp:hidden=16", "ef:topk:ratio=0.05", 2, dir.resolve("a"),
                50, false), world);
        String[] damages = {"garbage", "truncated", "empty", "bit"};
        for (String damage : damages) {
            Path b = dir.resolve(damage);
            TrainSettings s = settings("mlp:hidden=16", "ef:topk:ratio=0.05", 2, b, 50, false);
            assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, world, 0, new CrashAt(170)))
                    .isInstanceOf(InProcessJob.TrainingFailedException.class);
            assertThat(Checkpoint.steps(b, 1)).containsExactly(100L, 150L);
            Path newest = Checkpoint.file(b, 150, 1); // rank 1's newest: damaged; rank 0's is intact
            byte[] bytes = Files.readAllBytes(newest);
            switch (damage) {
                case "garbage" -> Files.write(newest, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                    15, 16, 17, 18, 19, 20, 21, 22, 23, 24});
                case "truncated" -> Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));
                case "empty" -> Files.write(newest, new byte[0]);
                default -> {
                    bytes[bytes.length / 3] ^= 0x10;
                    Files.write(newest, bytes);
                }
            }
            List<String> skipped = new java.util.concurrent.CopyOnWriteArrayList<>();
            DataParallelTrainer.Result resumed = InProcessJob.train(settings("mlp:hidden=16", "ef:topk:ratio=0.05",
                    2, b, 50, true), TRAIN, TEST, world, 0, new DataParallelTrainer.Listener() {
                        @Override
                        public void checkpointSkipped(String what) {
                            skipped.add(what);
                        }
                    });
            assertThat(skipped).as(damage).hasSize(1);
            assertThat(skipped.get(0)).contains("step 150 of rank 1");
            assertThat(resumed.params()).as(damage).isEqualTo(whole.params()); // from step 100, exactly
            assertThat(Files.list(b).filter(f -> f.toString().endsWith(".tmp")).count()).isZero();
        }
    }

    @Test
    void aResumedRunEndsWithExactlyTheParametersOfAnUninterruptedOne(@TempDir Path dir) throws Exception {
        for (String codec : new String[] {"none", "qsgd:bits=4", "ef:topk:ratio=0.05"}) {
            Path a = dir.resolve(codec.replace(':', '_') + "-a");
            Path b = dir.resolve(codec.replace(':', '_') + "-b");
            int world = 3;
            int spe = 4000 / world / 16; // 83 steps per epoch
            DataParallelTrainer.Result whole = train(settings("mlp:hidden=16", codec, 3, a, 50, false), world);
            // crash in epoch 2, after the checkpoint at step 150, at step 170
            TrainSettings s = settings("mlp:hidden=16", codec, 3, b, 50, false);
            assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, world, 0, new CrashAt(170)))
                    .isInstanceOf(InProcessJob.TrainingFailedException.class)
                    .hasMessageContaining("rank 0").hasMessageContaining("simulated crash");
            for (int r = 0; r < world; r++) {
                assertThat(Checkpoint.steps(b, r)).contains(150L).doesNotContain(200L);
            }
            DataParallelTrainer.Result resumed = train(settings("mlp:hidden=16", codec, 3, b, 50, true), world);
            assertThat(resumed.params()).as(codec).isEqualTo(whole.params());
            // the resumed run reports only the epochs it finished, with the same figures
            assertThat(resumed.epochs()).hasSize(2);
            assertThat(resumed.epochs().get(1).testAccuracy()).isEqualTo(whole.epochs().get(2).testAccuracy());
            assertThat(resumed.epochs().get(1).trainLoss()).isEqualTo(whole.epochs().get(2).trainLoss());
            assertThat(resumed.epochs().get(1).steps()).isEqualTo(3L * spe);
        }
    }

    @Test
    void aRunResumedAtAnEpochBoundaryReportsTheNextEpochLikeTheUninterruptedOne(@TempDir Path dir) throws Exception {
        int world = 2;
        int spe = 4000 / world / 16; // 125: checkpoints exactly at the ends of epochs
        DataParallelTrainer.Result whole = train(settings("mlp:hidden=16", "qsgd:bits=4", 2, dir.resolve("a"), spe, false),
                world);
        TrainSettings s = settings("mlp:hidden=16", "qsgd:bits=4", 2, dir.resolve("b"), spe, false);
        assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, world, 0, new CrashAt(spe + 10)))
                .isInstanceOf(InProcessJob.TrainingFailedException.class);
        DataParallelTrainer.Result resumed = train(settings("mlp:hidden=16", "qsgd:bits=4", 2, dir.resolve("b"), spe, true),
                world);
        assertThat(resumed.params()).isEqualTo(whole.params());
        assertThat(resumed.epochs()).hasSize(1);
        EpochReport r = resumed.epochs().get(0);
        EpochReport w = whole.epochs().get(1);
        assertThat(r.epochSteps()).isEqualTo(spe);
        assertThat(r.trainLoss()).isEqualTo(w.trainLoss());
        assertThat(r.totalBytesSentPerRank()).isEqualTo(w.totalBytesSentPerRank());
        assertThat(r.bytesSentPerRank()).isEqualTo(w.bytesSentPerRank());
    }

    @Test
    void theExactnessCheckCanFail(@TempDir Path dir) throws Exception {
        // 1. codec streams restart at checkpoints: with a stochastic codec that changes the run
        DataParallelTrainer.Result noCkpt = train(settings("mlp:hidden=16", "qsgd:bits=4", 1, null, 50, false), 2);
        DataParallelTrainer.Result ckpt = train(settings("mlp:hidden=16", "qsgd:bits=4", 1, dir.resolve("q"), 50, false),
                2);
        assertThat(ckpt.params()).isNotEqualTo(noCkpt.params());
        // 2. resuming with the error-feedback residuals dropped from the checkpoint ends elsewhere
        Path d = dir.resolve("topk");
        TrainSettings s = settings("mlp:hidden=16", "ef:topk:ratio=0.05", 2, d, 50, false);
        DataParallelTrainer.Result whole = train(s, 2);
        for (int r = 0; r < 2; r++) {
            for (long st : Checkpoint.steps(d, r)) {
                Files.delete(Checkpoint.file(d, st, r));
            }
        }
        assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, 2, 0, new CrashAt(120)))
                .isInstanceOf(InProcessJob.TrainingFailedException.class);
        for (int r = 0; r < 2; r++) {
            Path f = Checkpoint.file(d, 100, r);
            Checkpoint c = Checkpoint.read(f, 1 << 20);
            float[][][] res = c.residuals();
            assertThat(res.length).isPositive();
            float[][][] zero = new float[res.length][][];
            for (int l = 0; l < res.length; l++) {
                zero[l] = new float[res[l].length][];
                for (int k = 0; k < res[l].length; k++) {
                    zero[l][k] = new float[res[l][k].length];
                }
            }
            new Checkpoint(c.fingerprint(), c.rank(), c.world(), c.steps(), c.seconds(), c.bytesSent(),
                    c.epochLoss(), c.epochSteps(), c.epochStartSeconds(), c.epochStartBytes(), c.params(),
                    c.optSteps(), c.optBuffers(), zero).write(d, 2);
        }
        DataParallelTrainer.Result resumed = train(settings("mlp:hidden=16", "ef:topk:ratio=0.05", 2, d, 50, true), 2);
        assertThat(resumed.params()).isNotEqualTo(whole.params());
    }

    @Test
    void aCrashedRankMakesEveryOtherRankFailFast(@TempDir Path dir) throws Exception {
        long t0 = System.nanoTime();
        List<InProcessJob.RankOutcome<DataParallelTrainer.Result>> outs = InProcessJob.runAll(4, 0, rank -> comm ->
                new DataParallelTrainer(settings("softmax", "none", 2, dir, 40, false)).run(comm, TRAIN, TEST,
                        new CrashAt(100)));
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(30);
        assertThat(outs.get(0).error()).hasMessageContaining("simulated crash");
        for (int r = 1; r < 4; r++) {
            Throwable e = outs.get(r).error();
            assertThat(e).as("rank " + r).isNotNull();
            boolean peer = e instanceof PeerFailedException || e.getCause() instanceof PeerFailedException;
            assertThat(peer).as("rank " + r + ": " + e).isTrue();
            assertThat(Checkpoint.steps(dir, r)).containsExactly(40L, 80L);
        }
    }

    @Test
    void damagedOrForeignCheckpointsAreRefusedWithTheFileNamed(@TempDir Path dir) throws Exception {
        train(settings("softmax", "none", 1, dir, 30, false), 2);
        List<Long> steps = Checkpoint.steps(dir, 1);
        assertThat(steps).containsExactly(90L, 120L); // 125 steps, every 30, the newest two kept
        Path f = Checkpoint.file(dir, 120, 1);
        byte[] b = Files.readAllBytes(f);
        b[b.length / 2] ^= 0x10;
        Files.write(f, b);
        assertThatThrownBy(() -> Checkpoint.read(f, 1000)).isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("damaged");
        Files.write(f, new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Checkpoint.read(f, 1000)).hasMessageContaining("too short");
        // another model in the same directory: refused, naming both configurations
        Path g = dir.resolve("other");
        train(settings("softmax", "none", 1, g, 30, false), 2);
        assertThatThrownBy(() -> train(settings("mlp:hidden=8", "none", 1, g, 30, true), 2))
                .hasMessageContaining("another configuration").hasMessageContaining("mlp");
    }

    @Test
    void resumeWithAnEmptyDirectoryStartsFresh(@TempDir Path dir) throws IOException, InterruptedException {
        DataParallelTrainer.Result fresh = train(settings("softmax", "none", 1, dir.resolve("x"), 1000, true), 2);
        DataParallelTrainer.Result plain = train(settings("softmax", "none", 1, null, 1000, false), 2);
        assertThat(fresh.params()).isEqualTo(plain.params());
    }
}
