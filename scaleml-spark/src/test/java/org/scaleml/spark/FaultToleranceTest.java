package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A failed task retries the barrier stage, which resumes from the checkpoint; stuck workers; preflight. */
class FaultToleranceTest {
    static final int FEATURES = 10;

    private static ScaleMLClassifier est(Path ckpt) {
        return new ScaleMLClassifier().setModelSpec("mlp:hidden=12").setNumWorkers(2).setEpochs(2).setBatchSize(16)
                .setSeed(11).setCodec("ef:topk:ratio=0.1").setMinCompressed(32)
                .setCheckpointPath(ckpt.toUri().toString()).setCheckpointEvery(10);
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aFailedTaskRetriesTheStageWhichResumesFromTheCheckpointAndEndsWithTheSameModel(@TempDir Path dir) {
        Dataset<Row> df = SparkTestSupport.blobs(800, FEATURES, 3, 21);
        ScaleMLClassificationModel clean = est(dir.resolve("clean")).fit(df);
        assertThat(clean.summary().stageAttempts()).isEqualTo(1);

        ScaleMLClassifier failing = est(dir.resolve("failing"));
        failing.failRank = 0;
        failing.failStep = 35; // after the checkpoint of step 30, in the second epoch (25 steps per epoch)
        ScaleMLClassificationModel resumed = failing.fit(df);
        assertThat(resumed.summary().stageAttempts()).as("stage attempts").isEqualTo(2);
        assertThat(resumed.parameters()).isEqualTo(clean.parameters());
        // every epoch is reported: the first from the failed attempt (kept beside the checkpoints), the second from
        // the retry; losses are those of the uninterrupted run
        assertThat(resumed.summary().epochs()).hasSize(2);
        for (int e = 0; e < 2; e++) {
            assertThat(resumed.summary().epochs().get(e).epoch()).isEqualTo(e + 1);
            assertThat(resumed.summary().epochs().get(e).trainLoss())
                    .isEqualTo(clean.summary().epochs().get(e).trainLoss());
        }
        // the run's checkpoints are under checkpointPath/runId
        assertThat(dir.resolve("failing").resolve(resumed.summary().runId())).isDirectory();
    }

    @Test
    @Timeout(value = 180, unit = TimeUnit.SECONDS)
    void aWorkerStuckInSocketIoDoesNotHangTheJob() throws Exception {
        Dataset<Row> df = SparkTestSupport.blobs(400, FEATURES, 2, 22);
        ScaleMLClassifier e = new ScaleMLClassifier().setModelSpec("softmax").setNumWorkers(2).setEpochs(1)
                .setBatchSize(16).setNetworkTimeoutSeconds(600);
        e.hangRank = 1; // blocks in a receive no peer will ever answer (its time limit: an hour)
        e.failRank = 0; // fails right after connecting
        e.failStep = 0;
        long t0 = System.nanoTime();
        ScaleMLClassificationModel m = e.fit(df);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertThat(m.summary().stageAttempts()).isEqualTo(2);
        // without the watchdog the stuck rank would hold the stage for its one-hour receive limit
        assertThat(seconds).as("fit seconds").isLessThan(60);
    }

    @Test
    void tooFewSlotsAreRefusedWithinSeconds() {
        Dataset<Row> df = SparkTestSupport.blobs(400, FEATURES, 2, 23);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> new ScaleMLClassifier().setNumWorkers(5).fit(df))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("numWorkers is 5").hasMessageContaining("4 task slots");
        assertThat((System.nanoTime() - t0) / 1e9).isLessThan(10);
    }

    @Test
    void dynamicAllocationIsRefused() {
        SparkConf conf = new SparkConf().set("spark.dynamicAllocation.enabled", "true");
        assertThatThrownBy(() -> Preflight.check(conf, "spark://h:7077", () -> 8, 2))
                .hasMessageContaining("spark.dynamicAllocation.enabled");
    }

    @Test
    void aClusterWithTooFewSlotsIsRefusedAfterTheConfiguredWait() {
        SparkConf conf = new SparkConf().set(Preflight.SLOT_WAIT, "1");
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> Preflight.check(conf, "spark://h:7077", () -> 2, 3))
                .hasMessageContaining("numWorkers is 3").hasMessageContaining("after waiting 1 s");
        assertThat((System.nanoTime() - t0) / 1e9).isBetween(0.9, 5.0);
        Preflight.check(conf, "spark://h:7077", () -> 3, 3); // enough: no exception
    }

    @Test
    void aMissingOrUnwritableCheckpointPathIsNamed(@TempDir Path dir) throws Exception {
        Dataset<Row> df = SparkTestSupport.blobs(200, FEATURES, 2, 24);
        Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
        assertThatThrownBy(() -> new ScaleMLClassifier().setModelSpec("softmax").setEpochs(1)
                .setCheckpointPath(file.toUri().toString()).fit(df))
                .hasMessageContaining("checkpointPath").hasMessageContaining("not-a-dir");
    }
}
