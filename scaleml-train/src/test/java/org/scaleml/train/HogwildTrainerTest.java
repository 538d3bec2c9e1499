package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.BatchSchedule;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.model.Model;
import org.scaleml.train.model.Models;
import org.scaleml.train.optim.Optimizer;
import org.scaleml.train.optim.Optimizers;

class HogwildTrainerTest {
    static final Dataset TRAIN = DataParallelTrainerTest.TRAIN; // 4000 examples, 20 features, 4 clusters
    static final Dataset TEST = DataParallelTrainerTest.TEST;
    static final String OPT = "sgd:lr=0.1,momentum=0.9";

    static Coordination hogwild(boolean locked, int straggler, double slowdown) {
        return new Coordination("hogwild", 1, "mean", 0, "signflip", straggler, slowdown, locked, "majority");
    }

    static TrainSettings settings(String model, String codec, int epochs, int maxSteps, boolean locked, Path ckpt,
                                  int every, boolean resume) {
        return new TrainSettings(model, OPT, codec, 16, Map.of(), 16, epochs, maxSteps, 7, ckpt, every, resume, true,
                hogwild(locked, -1, 1));
    }

    static TrainSettings settings(String model, String codec, int epochs, boolean locked) {
        return settings(model, codec, epochs, 0, locked, null, 1, false);
    }

    static DataParallelTrainer.Result run(TrainSettings s, int threads) throws InterruptedException {
        return new HogwildTrainer(s).run(threads, TRAIN, TEST, null);
    }

    static List<String> liveHogwildThreads() {
        List<String> out = new ArrayList<>();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("scaleml-hogwild-") && t.isAlive()) {
                out.add(t.getName());
            }
        }
        return out;
    }

    @Test
    void oneAndTwoLockFreeThreadsLearnAndReportEveryUpdate() throws InterruptedException {
        for (int threads : new int[] {1, 2}) {
            DataParallelTrainer.Result r = run(settings("mlp:hidden=32", "none", 2, false), threads);
            assertThat(r.plan()).contains("hogwild: " + threads + " thread").contains("lock-free updates");
            assertThat(r.epochs()).hasSize(2);
            EpochReport first = r.epochs().get(0);
            EpochReport last = r.epochs().get(1);
            int spe = 4000 / threads / 16;
            assertThat(first.epochSteps()).isEqualTo(threads * spe);
            assertThat(last.epochSteps()).isEqualTo(threads * spe);
            assertThat(last.steps()).isEqualTo(2L * threads * spe);
            assertThat(last.testAccuracy()).as(threads + " threads").isGreaterThan(0.9); // chance is 0.25
            assertThat(last.trainLoss()).isLessThan(first.trainLoss());
            assertThat(last.paramsIdentical()).isTrue();
            assertThat(last.bytesSentPerRank()).isZero();
            assertThat(last.seconds()).isPositive();
            assertThat(last.stepsPerSecond()).isCloseTo(last.epochSteps() / last.seconds(),
                    org.assertj.core.data.Percentage.withPercentage(1e-6));
            assertThat(last.elapsedSeconds()).isCloseTo(first.seconds() + last.seconds(),
                    org.assertj.core.data.Offset.offset(1e-9));
        }
        assertThat(liveHogwildThreads()).isEmpty();
    }

    @Test
    void lockedUpdatesLearn() throws InterruptedException {
        DataParallelTrainer.Result r = run(settings("mlp:hidden=32", "none", 2, true), 2);
        assertThat(r.plan()).isEqualTo("hogwild: 2 threads, locked updates");
        assertThat(r.epochs().get(1).testAccuracy()).isGreaterThan(0.9);
        assertThat(r.epochs().get(1).steps()).isEqualTo(2L * 2 * 125);
    }

    @Test
    void sparsifiedUpdatesStillLearn() throws InterruptedException {
        DataParallelTrainer.Result r = run(settings("mlp:hidden=32", "ef:topk:ratio=0.1", 2, false), 2);
        assertThat(r.plan()).contains("lock-free updates").contains("sparsified by ef:topk");
        assertThat(r.epochs().get(1).testAccuracy()).isGreaterThan(0.9);
        // and the sparsifier is really applied: one thread's run differs from the dense one
        DataParallelTrainer.Result sparse1 = run(settings("softmax", "ef:topk:ratio=0.1", 1, false), 1);
        DataParallelTrainer.Result dense1 = run(settings("softmax", "none", 1, false), 1);
        assertThat(sparse1.params()).isNotEqualTo(dense1.params());
    }

    /** The steps of one thread done by hand: model, initialization, schedule and optimizer as documented. */
    static float[] sequentialSgd(String modelSpec, int epochs) {
        Model m = Models.create(modelSpec, TRAIN.shape(), TRAIN.classes());
        int n = m.parameterCount();
        float[] p = new float[n];
        m.initialize(p, 7);
        BatchSchedule bs = BatchSchedule.synchronous(TRAIN, 0, 1, 16, 7);
        int spe = bs.stepsPerEpoch();
        Optimizer o = Optimizers.create(OPT, n, (long) spe * epochs);
        Batch b = bs.newBatch();
        Model.Workspace ws = m.workspace(16);
        float[] g = new float[n];
        for (int e = 0; e < epochs; e++) {
            for (int s = 0; s < spe; s++) {
                bs.fill(b, e, s);
                m.lossAndGradient(p, b, g, ws);
                o.step(p, g);
            }
        }
        return p;
    }

    @Test
    void oneThreadIsExactlySequentialSgd() throws InterruptedException {
        float[] ref = sequentialSgd("mlp:hidden=16", 2);
        float[] lockFree = run(settings("mlp:hidden=16", "none", 2, false), 1).params();
        float[] locked = run(settings("mlp:hidden=16", "none", 2, true), 1).params();
        assertThat(lockFree).isEqualTo(ref);
        assertThat(locked).isEqualTo(ref);
        // the same as the synchronous trainer on one rank
        TrainSettings sync = new TrainSettings("mlp:hidden=16", OPT, "none", 16, Map.of(), 16, 2, 0, 7, null, 1,
                false);
        assertThat(InProcessJob.train(sync, TRAIN, TEST, 1, 0, null).params()).isEqualTo(ref);
        // the check can fail: one epoch less is elsewhere
        assertThat(sequentialSgd("mlp:hidden=16", 1)).isNotEqualTo(ref);
    }

    @Test
    void listenerSeesPerThreadStepsNeverConcurrentlyAndCountsAreExact() throws InterruptedException {
        int threads = 3;
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger overlaps = new AtomicInteger();
        Set<String> stepThreads = ConcurrentHashMap.newKeySet();
        Set<String> otherThreads = ConcurrentHashMap.newKeySet();
        long[] started = new long[3];
        AtomicInteger steps = new AtomicInteger();
        List<EpochReport> seen = new ArrayList<>();
        DataParallelTrainer.Listener l = new DataParallelTrainer.Listener() {
            void enter() {
                if (inside.incrementAndGet() != 1) {
                    overlaps.incrementAndGet();
                }
            }

            @Override
            public void started(String plan, int spe, long total, long start) {
                enter();
                otherThreads.add(Thread.currentThread().getName());
                started[0] = spe;
                started[1] = total;
                started[2] = start;
                inside.decrementAndGet();
            }

            @Override
            public void step(int epoch, int stepInEpoch, int spe, double loss) {
                enter();
                stepThreads.add(Thread.currentThread().getName());
                steps.incrementAndGet();
                inside.decrementAndGet();
            }

            @Override
            public void epoch(EpochReport report) {
                enter();
                otherThreads.add(Thread.currentThread().getName());
                seen.add(report);
                inside.decrementAndGet();
            }
        };
        TrainSettings s = settings("softmax", "none", 2, 40, false, null, 1, false);
        DataParallelTrainer.Result r = new HogwildTrainer(s).run(threads, TRAIN, TEST, l);
        assertThat(overlaps.get()).isZero();
        assertThat(started).containsExactly(40, 80, 0);
        assertThat(steps.get()).isEqualTo(80);
        assertThat(stepThreads).containsExactly("scaleml-hogwild-0");
        assertThat(otherThreads).containsExactly(Thread.currentThread().getName());
        assertThat(seen).isEqualTo(r.epochs());
        assertThat(r.epochs()).extracting(EpochReport::epochSteps).containsExactly(120, 120);
        assertThat(r.epochs()).extracting(EpochReport::steps).containsExactly(120L, 240L);
    }

    @Test
    void workersAreNamedDaemonThreadsThatDoNotOutliveTheRun() throws InterruptedException {
        Set<String> names = ConcurrentHashMap.newKeySet();
        Set<Boolean> daemon = ConcurrentHashMap.newKeySet();
        HogwildTrainer.StepHook hook = (t, e, si) -> {
            if (si == 0) {
                names.add(Thread.currentThread().getName() + "=" + t);
                daemon.add(Thread.currentThread().isDaemon());
            }
        };
        new HogwildTrainer(settings("softmax", "none", 1, 5, false, null, 1, false), hook).run(2, TRAIN, TEST, null);
        assertThat(names).containsExactlyInAnyOrder("scaleml-hogwild-0=0", "scaleml-hogwild-1=1");
        assertThat(daemon).containsExactly(true);
        assertThat(liveHogwildThreads()).isEmpty();
    }

    @Test
    void oneThreadResumedAtAnEpochBoundaryEndsExactlyWhereTheWholeRunDoes(@TempDir Path dir) throws Exception {
        for (String codec : new String[] {"none", "ef:topk:ratio=0.1"}) {
            String tag = codec.replace(':', '_');
            int spe = 250;
            DataParallelTrainer.Result whole = run(settings("mlp:hidden=16", codec, 3, 0, false, dir.resolve(tag + "a"), 1,
                    false), 1);
            Path b = dir.resolve(tag + "b");
            TrainSettings s = settings("mlp:hidden=16", codec, 3, 0, false, b, 1, false);
            List<Long> written = new ArrayList<>();
            DataParallelTrainer.Listener crash = new DataParallelTrainerTest.CrashAt(spe + 100) {
                @Override
                public void checkpoint(long step, String file) {
                    written.add(step);
                }
            };
            assertThatThrownBy(() -> new HogwildTrainer(s).run(1, TRAIN, TEST, crash))
                    .isInstanceOf(InProcessJob.TrainingFailedException.class)
                    .hasMessageContaining("scaleml-hogwild-0").hasMessageContaining("simulated crash")
                    .hasCauseInstanceOf(IllegalStateException.class);
            assertThat(written).containsExactly((long) spe);
            assertThat(Checkpoint.steps(b, 0)).containsExactly((long) spe);
            DataParallelTrainer.Result resumed = run(settings("mlp:hidden=16", codec, 3, 0, false, b, 1, true), 1);
            assertThat(resumed.params()).as(codec).isEqualTo(whole.params());
            assertThat(resumed.epochs()).hasSize(2);
            assertThat(resumed.epochs().get(0).epoch()).isEqualTo(2);
            assertThat(resumed.epochs().get(1).steps()).isEqualTo(3L * spe);
            assertThat(resumed.epochs().get(1).testAccuracy()).isEqualTo(whole.epochs().get(2).testAccuracy());
            assertThat(Checkpoint.steps(b, 0)).containsExactly(2L * spe, 3L * spe); // the newest two kept
        }
    }

    @Test
    void twoThreadsResumeFromTheirCheckpointAndKeepLearning(@TempDir Path dir) throws Exception {
        // momentum buffers of both threads travel in the checkpoint; resumption is not bitwise (races), but it
        // must continue from epoch 2 with the counts of the whole run
        TrainSettings s = settings("mlp:hidden=16", "none", 2, 0, false, dir, 1, false);
        assertThatThrownBy(() -> new HogwildTrainer(s).run(2, TRAIN, TEST,
                new DataParallelTrainerTest.CrashAt(125 + 30)))
                .isInstanceOf(InProcessJob.TrainingFailedException.class);
        Checkpoint c = Checkpoint.read(Checkpoint.file(dir, 125, 0), 1 << 20);
        Model m = Models.create("mlp:hidden=16", TRAIN.shape(), TRAIN.classes());
        assertThat(c.optBuffers()).hasNumberOfRows(1); // sgd momentum: one velocity per thread, concatenated
        assertThat(c.optBuffers()[0]).hasSize(2 * m.parameterCount());
        assertThat(c.optSteps()).isEqualTo(125);
        List<long[]> starts = new ArrayList<>();
        DataParallelTrainer.Listener l = new DataParallelTrainer.Listener() {
            @Override
            public void started(String plan, int spe, long total, long start) {
                starts.add(new long[] {spe, total, start});
            }
        };
        DataParallelTrainer.Result r = new HogwildTrainer(settings("mlp:hidden=16", "none", 2, 0, false, dir, 1, true))
                .run(2, TRAIN, TEST, l);
        assertThat(starts.get(0)).containsExactly(125, 250, 125);
        assertThat(r.epochs()).hasSize(1);
        assertThat(r.epochs().get(0).epoch()).isEqualTo(2);
        assertThat(r.epochs().get(0).steps()).isEqualTo(500);
        assertThat(r.epochs().get(0).epochSteps()).isEqualTo(250);
        assertThat(r.epochs().get(0).testAccuracy()).isGreaterThan(0.9);
    }

    @Test
    void foreignCheckpointsAreRefusedWithBothConfigurationsNamed(@TempDir Path dir) throws Exception {
        run(settings("softmax", "none", 1, 0, false, dir, 1, false), 2);
        assertThat(Checkpoint.steps(dir, 0)).containsExactly(125L);
        assertThatThrownBy(() -> run(settings("mlp:hidden=8", "none", 1, 0, false, dir, 1, true), 2))
                .isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageContaining("another configuration").hasMessageContaining("mlp")
                .hasMessageContaining("softmax");
        assertThatThrownBy(() -> run(settings("softmax", "none", 1, 0, true, dir, 1, true), 2))
                .hasMessageContaining("another configuration").hasMessageContaining("locked");
        // same configuration on another thread count: threads are part of it
        assertThatThrownBy(() -> run(settings("softmax", "none", 1, 0, false, dir, 1, true), 3))
                .hasMessageContaining("another configuration").hasMessageContaining("threads 3 != 2");
        // the matching one resumes, and has nothing left to do
        DataParallelTrainer.Result done = run(settings("softmax", "none", 1, 0, false, dir, 1, true), 2);
        assertThat(done.epochs()).isEmpty();
        // a synchronous run's checkpoints are not ours either
        Path sync = dir.resolve("sync");
        InProcessJob.train(new TrainSettings("softmax", OPT, "none", 16, Map.of(), 16, 1, 0, 7, sync, 250, false),
                TRAIN, TEST, 1, 0, null);
        assertThat(Checkpoint.steps(sync, 0)).isNotEmpty();
        assertThatThrownBy(() -> run(settings("softmax", "none", 1, 0, false, sync, 1, true), 1))
                .hasMessageContaining("another configuration");
    }

    @Test
    void checkpointEveryIsRoundedUpToEpochEnds(@TempDir Path dir) throws Exception {
        // 40 steps per epoch, every 100: the multiples 100 and 200 fall in epochs 3 and 5
        List<Long> written = new ArrayList<>();
        DataParallelTrainer.Listener l = new DataParallelTrainer.Listener() {
            @Override
            public void checkpoint(long step, String file) {
                written.add(step);
            }
        };
        new HogwildTrainer(settings("softmax", "none", 5, 40, false, dir, 100, false)).run(2, TRAIN, TEST, l);
        assertThat(written).containsExactly(120L, 200L);
    }

    @Test
    void aFailingThreadStopsTheOthersPromptlyAndIsNamed() throws InterruptedException {
        for (boolean locked : new boolean[] {false, true}) {
            HogwildTrainer.StepHook hook = (t, e, si) -> {
                if (t == 1 && e == 1 && si == 5) {
                    throw new ArithmeticException("boom in thread 1");
                }
            };
            // 200 epochs would take far longer than the limit below if the failure did not stop the run
            TrainSettings s = settings("mlp:hidden=16", "none", 200, 0, locked, null, 1, false);
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> new HogwildTrainer(s, hook).run(3, TRAIN, TEST, null))
                    .isInstanceOf(InProcessJob.TrainingFailedException.class)
                    .hasMessageContaining("scaleml-hogwild-1").hasMessageContaining("boom in thread 1")
                    .hasCauseInstanceOf(ArithmeticException.class);
            assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
            assertThat(liveHogwildThreads()).isEmpty();
        }
    }

    @Test
    void aFailureOnTheCallingThreadStopsTheWorkersAndPropagatesUnchanged() {
        DataParallelTrainer.Listener l = new DataParallelTrainer.Listener() {
            @Override
            public void epoch(EpochReport report) {
                throw new UnsupportedOperationException("listener refuses epoch " + report.epoch());
            }
        };
        assertThatThrownBy(() -> new HogwildTrainer(settings("softmax", "none", 100, 10, false, null, 1, false))
                .run(2, TRAIN, TEST, l)).isInstanceOf(UnsupportedOperationException.class)
                .hasMessage("listener refuses epoch 1");
        assertThat(liveHogwildThreads()).isEmpty();
    }

    @Test
    void anInterruptedCallerStopsTheWorkers() throws Exception {
        Throwable[] out = new Throwable[1];
        Thread caller = new Thread(() -> {
            try {
                new HogwildTrainer(settings("mlp:hidden=16", "none", 10_000, 0, false, null, 1, false))
                        .run(2, TRAIN, TEST, null);
            } catch (Throwable t) {
                out[0] = t;
            }
        }, "hogwild-test-caller");
        caller.start();
        Thread.sleep(300);
        caller.interrupt();
        caller.join(10_000);
        assertThat(caller.isAlive()).isFalse();
        assertThat(out[0]).isInstanceOf(InterruptedException.class);
        assertThat(liveHogwildThreads()).isEmpty();
    }

    @Test
    void theHotLoopDoesNotAllocate() throws InterruptedException {
        java.lang.management.ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        org.junit.jupiter.api.Assumptions.assumeTrue(mx instanceof com.sun.management.ThreadMXBean
                && ((com.sun.management.ThreadMXBean) mx).isThreadAllocatedMemorySupported());
        com.sun.management.ThreadMXBean smx = (com.sun.management.ThreadMXBean) mx;
        for (String codec : new String[] {"none", "ef:topk:ratio=0.1"}) {
            for (boolean locked : new boolean[] {false, true}) {
                long[] bytes = new long[4];
                HogwildTrainer.StepHook hook = (t, e, si) -> {
                    if (e == 1 && (si == 10 || si == 110)) {
                        bytes[2 * t + (si == 10 ? 0 : 1)] = smx.getCurrentThreadAllocatedBytes();
                    }
                };
                new HogwildTrainer(settings("mlp:hidden=16", codec, 2, 0, locked, null, 1, false), hook)
                        .run(2, TRAIN, TEST, null);
                // the trainer's own loop allocates nothing; the codecs of scaleml-comm allocate a few small
                // objects per call (a CRC32C per payload in Wire: measured 160 bytes per step), never in proportion
                // to the 404 parameters (a dense array of them would be 1.6 kB per step)
                long limit = codec.equals("none") ? 1024 : 100 * 256;
                for (int t = 0; t < 2; t++) {
                    assertThat(bytes[2 * t + 1] - bytes[2 * t]).as(codec + " locked=" + locked + " thread " + t
                            + ": bytes allocated in 100 steps").isLessThan(limit);
                }
            }
        }
    }

    @Test
    void aStragglerSlowsItsThreadButEveryUpdateIsStillCounted() throws InterruptedException {
        TrainSettings s = new TrainSettings("softmax", OPT, "none", 16, Map.of(), 16, 1, 50, 7, null, 1, false, true,
                hogwild(false, 1, 3));
        DataParallelTrainer.Result r = new HogwildTrainer(s).run(2, TRAIN, TEST, null);
        assertThat(r.plan()).isEqualTo("hogwild: 2 threads, lock-free updates, thread 1 slowed 3.0x");
        assertThat(r.epochs().get(0).epochSteps()).isEqualTo(100);
        assertThat(r.epochs().get(0).testAccuracy()).isGreaterThan(0.8);
    }

    @Test
    void invalidRequestsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> run(settings("softmax", "none", 1, false), 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 1 thread");
        TrainSettings straggler = new TrainSettings("softmax", OPT, "none", 16, Map.of(), 16, 1, 0, 7, null, 1,
                false, true, hogwild(false, 2, 2));
        assertThatThrownBy(() -> new HogwildTrainer(straggler).run(2, TRAIN, TEST, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("straggler 2");
        TrainSettings bigBatch = new TrainSettings("softmax", OPT, "none", 16, Map.of(), 3000, 1, 0, 7, null, 1,
                false, true, hogwild(false, -1, 1));
        assertThatThrownBy(() -> new HogwildTrainer(bigBatch).run(2, TRAIN, TEST, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch 3000");
        TrainSettings perLayer = new TrainSettings("softmax", OPT, "ef:topk:ratio=0.1", 16, Map.of("w*", "none"),
                16, 1, 0, 7, null, 1, false, true, hogwild(false, -1, 1));
        assertThatThrownBy(() -> new HogwildTrainer(perLayer).run(2, TRAIN, TEST, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("per-layer");
        assertThat(liveHogwildThreads()).isEmpty();
    }
}
