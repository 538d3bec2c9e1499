package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.train.data.Dataset;

/** The elastic coordinations of {@link DataParallelTrainer}: local SGD, SwarmSGD, partial, robust aggregation. */
class ElasticTrainersTest {
    static final Dataset TRAIN = DataParallelTrainerTest.TRAIN;
    static final Dataset TEST = DataParallelTrainerTest.TEST;

    static Coordination coordination(String trainer, int h, String aggregator, int attackers, String attack,
                                     int straggler, double slowdown) {
        return new Coordination(trainer, h, aggregator, attackers, attack, straggler, slowdown, false, "majority");
    }

    static TrainSettings settings(String codec, int epochs, Coordination c, Path ckpt, int every, boolean resume) {
        return new TrainSettings("mlp:hidden=32", "sgd:lr=0.1,momentum=0.9", codec, 16, Map.of(), 16, epochs, 0, 7,
                ckpt, every, resume, true, c);
    }

    static DataParallelTrainer.Result train(TrainSettings s, int world) throws InterruptedException {
        return InProcessJob.train(s, TRAIN, TEST, world, 0, null);
    }

    static EpochReport last(DataParallelTrainer.Result r) {
        return r.epochs().get(r.epochs().size() - 1);
    }

    @Test
    void localSgdLearnsWithIdenticalModelsAtEpochEndsAndSendsAboutOneHthOfTheBytes() throws InterruptedException {
        EpochReport sync = last(train(settings("none", 2, Coordination.SYNC, null, 1, false), 4));
        EpochReport local = last(train(settings("none", 2, coordination("local", 8, "mean", 0, "signflip", -1, 1),
                null, 1, false), 4));
        assertThat(local.paramsIdentical()).isTrue();
        assertThat(local.testAccuracy()).isGreaterThan(0.9).isGreaterThan(sync.testAccuracy() - 0.03);
        double ratio = (double) sync.bytesSentPerRank() / local.bytesSentPerRank();
        // 62 steps in epoch 2 (global steps 63 to 124): 8 averagings at multiples of 8 and one at the epoch's end
        assertThat(ratio).isCloseTo(62.0 / 9, org.assertj.core.data.Offset.offset(0.3));
        EpochReport q = last(train(settings("qsgd:bits=4", 2, coordination("local", 8, "mean", 0, "signflip", -1, 1),
                null, 1, false), 4));
        assertThat(q.testAccuracy()).isGreaterThan(0.88);
        assertThat(q.bytesSentPerRank()).isLessThan(local.bytesSentPerRank() / 4);
    }

    @Test
    void swarmLearnsWithDifferentModelsAndReportsTheMeanModelsAccuracy() throws InterruptedException {
        List<InProcessJob.RankOutcome<DataParallelTrainer.Result>> outs = InProcessJob.runAll(4, 0, rank -> comm ->
                new DataParallelTrainer(settings("none", 2, coordination("swarm", 2, "mean", 0, "signflip", -1, 1),
                        null, 1, false)).run(comm, TRAIN, TEST, null));
        DataParallelTrainer.Result r0 = InProcessJob.firstResult(outs);
        assertThat(last(r0).paramsIdentical()).isFalse();
        // the last round's partners hold equal models, the others not
        assertThat(outs.stream().filter(o -> java.util.Arrays.equals(o.value().params(), r0.params())).count())
                .isLessThan(4);
        assertThat(last(r0).testAccuracy()).isGreaterThan(0.9);
        EpochReport sync = last(train(settings("none", 2, Coordination.SYNC, null, 1, false), 4));
        // a pair exchanges whole models every 2 steps, against a ring allreduce of 2 x 3/4 of the vector each step
        assertThat(last(r0).bytesSentPerRank()).isLessThan(sync.bytesSentPerRank());
        EpochReport q = last(train(settings("qsgd:bits=8", 2, coordination("swarm", 2, "mean", 0, "signflip", -1, 1),
                null, 1, false), 4));
        assertThat(q.testAccuracy()).isGreaterThan(0.9);
        assertThat(q.bytesSentPerRank()).isLessThan(last(r0).bytesSentPerRank() / 3);
    }

    /** Counts rank 0's computed steps. */
    static final class Counting implements DataParallelTrainer.Listener {
        long steps;

        @Override
        public void step(int epoch, int stepInEpoch, int spe, double loss) {
            steps++;
        }
    }

    @Test
    void partialTrainingLearnsAndAStragglerSkipsRoundsInsteadOfHoldingThemUp() throws InterruptedException {
        EpochReport plain = last(train(settings("none", 2, coordination("partial", 1, "mean", 0, "signflip", -1, 1),
                null, 1, false), 4));
        assertThat(plain.paramsIdentical()).isTrue();
        assertThat(plain.testAccuracy()).isGreaterThan(0.9);
        Counting c = new Counting();
        DataParallelTrainer.Result slow = InProcessJob.train(settings("none", 2,
                coordination("partial", 1, "mean", 0, "signflip", 0, 2000), null, 1, false), TRAIN, TEST, 4, 0, c);
        assertThat(last(slow).paramsIdentical()).isTrue();
        assertThat(last(slow).testAccuracy()).isGreaterThan(0.9);
        assertThat(last(slow).steps()).isEqualTo(2L * 62);
        // a step of this small model computes in tens of microseconds; 2000 times that is a long sleep in which
        // the others close many rounds (a timing margin of well over 10x)
        assertThat(c.steps).as("rank 0, 2000x slower, computed fewer gradients than there were rounds")
                .isLessThan(62);
    }

    @Test
    void signFlippersBreakPlainAveragingButNotTheRobustRules() throws InterruptedException {
        EpochReport clean = last(train(settings("none", 2, Coordination.SYNC, null, 1, false), 5));
        EpochReport attacked = last(train(settings("none", 2,
                coordination("sync", 1, "mean", 1, "signflip:scale=10", -1, 1), null, 1, false), 5));
        assertThat(attacked.testAccuracy()).as("plain mean under attack").isLessThan(0.6);
        for (String rule : new String[] {"median", "trimmed-mean", "krum", "clip"}) {
            EpochReport r = last(train(settings("none", 2, coordination("sync", 1, rule, 1, "signflip:scale=10", -1,
                    1), null, 1, false), 5));
            assertThat(r.paramsIdentical()).isTrue();
            assertThat(r.testAccuracy()).as(rule).isGreaterThan(clean.testAccuracy() - 0.03);
        }
    }

    @Test
    void localAndSwarmRunsResumeToExactlyTheUninterruptedParameters(@TempDir Path dir) throws Exception {
        for (Coordination c : new Coordination[] {coordination("local", 5, "mean", 0, "signflip", -1, 1),
                coordination("swarm", 3, "mean", 0, "signflip", -1, 1),
                coordination("sync", 1, "clip", 1, "signflip", -1, 1)}) {
            String codec = c.trainer().equals("sync") ? "none" : "qsgd:bits=4";
            Path a = dir.resolve(c.trainer() + "-a");
            Path b = dir.resolve(c.trainer() + "-b");
            int world = 3;
            DataParallelTrainer.Result whole = train(settings(codec, 2, c, a, 40, false), world);
            TrainSettings s = settings(codec, 2, c, b, 40, false);
            assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, world, 0,
                    new DataParallelTrainerTest.CrashAt(97))).isInstanceOf(InProcessJob.TrainingFailedException.class);
            DataParallelTrainer.Result resumed = train(settings(codec, 2, c, b, 40, true), world);
            assertThat(resumed.params()).as(c.trainer()).isEqualTo(whole.params());
        }
    }

    @Test
    void anAdaptivePlanIsChosenReportedAndRestoredOnResume(@TempDir Path dir) throws Exception {
        String codec = "adaptive:bits=3,warmup=30";
        int world = 3;
        List<String> plans = new java.util.ArrayList<>();
        DataParallelTrainer.Listener seen = new DataParallelTrainer.Listener() {
            @Override
            public void replanned(long step, String plan) {
                plans.add(step + " " + plan);
            }
        };
        DataParallelTrainer.Result whole = InProcessJob.train(settings(codec, 2, Coordination.SYNC,
                dir.resolve("a"), 40, false), TRAIN, TEST, world, 0, seen);
        assertThat(plans).hasSize(1);
        assertThat(plans.get(0)).startsWith("30 ").contains("fc1.weight=qsgd:bits=");
        assertThat(whole.plan()).isEqualTo(plans.get(0).substring(3));
        TrainSettings s = settings(codec, 2, Coordination.SYNC, dir.resolve("b"), 40, false);
        assertThatThrownBy(() -> InProcessJob.train(s, TRAIN, TEST, world, 0,
                new DataParallelTrainerTest.CrashAt(97))).isInstanceOf(InProcessJob.TrainingFailedException.class);
        DataParallelTrainer.Result resumed = train(settings(codec, 2, Coordination.SYNC, dir.resolve("b"), 40, true),
                world);
        assertThat(resumed.plan()).isEqualTo(whole.plan());
        assertThat(resumed.params()).isEqualTo(whole.params());
        // a checkpoint of the uniform codec is not taken for an adaptive run
        assertThatThrownBy(() -> train(settings("qsgd:bits=3,norm=max", 2, Coordination.SYNC, dir.resolve("b"), 40,
                true), world)).hasMessageContaining("another configuration");
    }

    @Test
    void invalidCombinationsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> settings("qsgd:bits=4", 1, coordination("partial", 1, "mean", 0, "signflip", -1, 1),
                null, 1, false)).hasMessageContaining("uncompressed");
        assertThatThrownBy(() -> settings("qsgd:bits=4", 1, coordination("sync", 1, "median", 1, "signflip", -1, 1),
                null, 1, false)).hasMessageContaining("median");
        assertThatThrownBy(() -> coordination("local", 4, "krum", 0, "signflip", -1, 1))
                .hasMessageContaining("sync only");
        assertThatThrownBy(() -> coordination("async", 1, "mean", 0, "signflip", -1, 1))
                .hasMessageContaining("unknown trainer").hasMessageContaining("partial");
        assertThatThrownBy(() -> train(settings("none", 1, coordination("sync", 1, "mean", 4, "signflip", -1, 1),
                null, 1, false), 4)).hasMessageContaining("honest");
        assertThatThrownBy(() -> train(settings("none", 1, coordination("sync", 1, "mean", 0, "signflip", 7, 2),
                null, 1, false), 4)).hasMessageContaining("straggler rank 7");
    }
}
