package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.Iterator;
import org.junit.jupiter.api.Test;

class BatchScheduleTest {

    static Dataset data(int n) {
        float[] x = new float[n];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i;
            y[i] = i % 3;
        }
        return Dataset.dense("d", x, y, 1, 3);
    }

    @Test
    void epochOrderIsADeterministicPermutationPerRankAndEpoch() {
        int[] a = EpochOrder.of(500, 42, 1, 3);
        assertThat(a).containsExactly(EpochOrder.of(500, 42, 1, 3));
        int[] s = a.clone();
        Arrays.sort(s);
        for (int i = 0; i < 500; i++) {
            assertThat(s[i]).isEqualTo(i);
        }
        assertThat(a).isNotEqualTo(EpochOrder.of(500, 42, 1, 4));
        assertThat(a).isNotEqualTo(EpochOrder.of(500, 42, 2, 3));
        assertThat(a).isNotEqualTo(EpochOrder.of(500, 43, 1, 3));
        int[] shard = {10, 20, 30, 40, 50, 60, 70};
        int[] o = EpochOrder.order(shard, 5, 0, 2);
        int[] p = EpochOrder.of(7, 5, 0, 2);
        for (int k = 0; k < 7; k++) {
            assertThat(o[k]).isEqualTo(shard[p[k]]);
        }
        assertThat(shard).containsExactly(10, 20, 30, 40, 50, 60, 70);
    }

    @Test
    void stepsPerEpoch() {
        assertThat(BatchSchedule.stepsPerEpoch(100, 32)).isEqualTo(3);
        assertThat(BatchSchedule.stepsPerEpoch(100, 32, false)).isEqualTo(4);
        assertThat(BatchSchedule.stepsPerEpoch(96, 32, false)).isEqualTo(3);
        assertThat(BatchSchedule.stepsPerEpoch(10, 32)).isZero();
    }

    @Test
    void dropLastCoversDistinctFullBatchesKeepCoversAll() {
        Dataset d = data(103);
        BatchSchedule drop = new BatchSchedule(d, 10, 7, 0, true);
        assertThat(drop.stepsPerEpoch()).isEqualTo(10);
        boolean[] seen = new boolean[103];
        int count = 0;
        for (Iterator<Batch> it = drop.epoch(0); it.hasNext(); ) {
            Batch b = it.next();
            assertThat(b.size()).isEqualTo(10);
            for (int k = 0; k < b.size(); k++) {
                assertThat(seen[b.row(k)]).isFalse();
                seen[b.row(k)] = true;
                count++;
            }
        }
        assertThat(count).isEqualTo(100);
        BatchSchedule keep = new BatchSchedule(d, 10, 7, 0, false);
        assertThat(keep.stepsPerEpoch()).isEqualTo(11);
        Batch b = keep.newBatch();
        keep.fill(b, 0, 10);
        assertThat(b.size()).isEqualTo(3);
        // the kept last batch is exactly what drop-last skipped
        for (int k = 0; k < 3; k++) {
            assertThat(seen[b.row(k)]).isFalse();
        }
    }

    @Test
    void anyStepReproducibleWithoutReplay() {
        Dataset d = data(257);
        int[] shard = Sharding.shard(d, 1, 2, 99);
        BatchSchedule run = new BatchSchedule(d, shard, 16, 99, 1, true);
        int[][] rec = new int[3 * run.stepsPerEpoch()][];
        int i = 0;
        for (int e = 0; e < 3; e++) {
            for (Iterator<Batch> it = run.epoch(e); it.hasNext(); ) {
                Batch b = it.next();
                rec[i++] = rows(b);
            }
        }
        // a fresh schedule jumping straight to epoch 2, step 5 (a resumed run) sees the same batch
        BatchSchedule resumed = new BatchSchedule(d, shard, 16, 99, 1, true);
        Batch b = resumed.newBatch();
        resumed.fill(b, 2, 5);
        assertThat(rows(b)).containsExactly(rec[2 * run.stepsPerEpoch() + 5]);
        Iterator<Batch> it = resumed.epoch(1, 3);
        assertThat(rows(it.next())).containsExactly(rec[run.stepsPerEpoch() + 3]);
        // and rows are those of EpochOrder.order over the shard
        int[] o = EpochOrder.order(shard, 99, 1, 1);
        assertThat(rec[run.stepsPerEpoch()]).containsExactly(Arrays.copyOfRange(o, 0, 16));
        assertThat(rec[0]).isNotEqualTo(rec[run.stepsPerEpoch()]);
    }

    @Test
    void synchronousRanksTakeTheSameNumberOfSteps() {
        Dataset d = data(41); // shards 14, 14, 13
        int[] steps = new int[3];
        for (int r = 0; r < 3; r++) {
            steps[r] = BatchSchedule.synchronous(d, r, 3, 7, 5).stepsPerEpoch();
        }
        assertThat(steps).containsOnly(1); // 13 / 7, although 14 / 7 = 2
        assertThat(BatchSchedule.synchronous(d, 0, 3, 7, 5).shardSize()).isEqualTo(14);
    }

    @Test
    void errors() {
        Dataset d = data(10);
        assertThatThrownBy(() -> new BatchSchedule(d, 11, 0, 0, true)).hasMessageContaining("no full batch");
        BatchSchedule s = new BatchSchedule(d, 4, 0, 0, true);
        assertThatThrownBy(() -> s.fill(s.newBatch(), 0, 2)).hasMessageContaining("step 2 outside [0, 2)");
        assertThatThrownBy(() -> s.fill(new Batch(d, new int[2], 0), 0, 0)).hasMessageContaining("holds 2 rows");
        assertThatThrownBy(() -> s.fill(s.newBatch(), -1, 0)).hasMessageContaining("epoch");
    }

    static int[] rows(Batch b) {
        int[] r = new int[b.size()];
        for (int k = 0; k < r.length; k++) {
            r[k] = b.row(k);
        }
        return r;
    }
}
