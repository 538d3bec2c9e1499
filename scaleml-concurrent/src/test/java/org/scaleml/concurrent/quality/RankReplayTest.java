package org.scaleml.concurrent.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;
import org.scaleml.concurrent.pq.ConcurrentPriorityQueue;
import org.scaleml.concurrent.pq.PriorityQueues;

class RankReplayTest {

    /**
     * Replays a random history of "delete some present element" steps and compares every rank and delay with a
     * brute-force count over the list of present elements.
     */
    @Property(tries = 200, seed = "20261123")
    void replayMatchesBruteForce(@ForAll long seed, @ForAll @IntRange(min = 1, max = 400) int steps,
                                 @ForAll @IntRange(min = 1, max = 50) int priorityRange) {
        SplittableRandom rnd = new SplittableRandom(seed);
        OperationLog log = new OperationLog();
        OperationLog.Recorder rec = log.recorder();
        List<long[]> present = new ArrayList<>(); // {priority, largerDeletedSoFarAtInsert}
        List<Long> expectedRanks = new ArrayList<>();
        List<Long> expectedDelays = new ArrayList<>();
        long[] deletedCountByPriority = new long[priorityRange];
        for (int s = 0; s < steps; s++) {
            if (present.isEmpty() || rnd.nextInt(3) != 0) {
                long p = rnd.nextInt(priorityRange);
                rec.insert(p);
                present.add(new long[] {p, largerDeleted(deletedCountByPriority, p)});
            } else {
                // Remove a random present element; for equal priorities the replay pairs the oldest, so do the same.
                int pick = rnd.nextInt(present.size());
                long p = present.get(pick)[0];
                int oldest = -1;
                for (int i = 0; i < present.size(); i++) {
                    if (present.get(i)[0] == p) {
                        oldest = i;
                        break;
                    }
                }
                long[] e = present.remove(oldest);
                long smaller = present.stream().filter(x -> x[0] < p).count();
                expectedRanks.add(smaller);
                expectedDelays.add(largerDeleted(deletedCountByPriority, p) - e[1]);
                deletedCountByPriority[(int) p]++;
                rec.delete(p);
            }
        }
        RelaxationReport r = RankReplay.replay(log);
        assertThat(r.deletes()).isEqualTo(expectedRanks.size());
        if (expectedRanks.isEmpty()) {
            return;
        }
        long[] ranks = expectedRanks.stream().mapToLong(Long::longValue).sorted().toArray();
        long[] delays = expectedDelays.stream().mapToLong(Long::longValue).sorted().toArray();
        assertThat(r.rankErrorMean()).isCloseTo(Arrays.stream(ranks).average().orElse(0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.rankErrorMax()).isEqualTo(ranks[ranks.length - 1]);
        assertThat(r.rankErrorP50()).isEqualTo(ranks[(int) Math.ceil(0.5 * ranks.length) - 1]);
        assertThat(r.rankErrorP99()).isEqualTo(ranks[(int) Math.ceil(0.99 * ranks.length) - 1]);
        assertThat(r.delayMean()).isCloseTo(Arrays.stream(delays).average().orElse(0), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(r.delayMax()).isEqualTo(delays[delays.length - 1]);
    }

    private static long largerDeleted(long[] deletedCountByPriority, long p) {
        long s = 0;
        for (int q = (int) p + 1; q < deletedCountByPriority.length; q++) {
            s += deletedCountByPriority[q];
        }
        return s;
    }

    @Test
    void handComputedExample() {
        OperationLog log = new OperationLog();
        OperationLog.Recorder r = log.recorder();
        r.insert(5);
        r.insert(1);
        r.insert(3);
        r.delete(5); // 1 and 3 are smaller: rank 2; delay 0
        r.delete(1); // rank 0; overtaken once by 5: delay 1
        r.delete(3); // rank 0; overtaken once by 5: delay 1
        RelaxationReport rep = RankReplay.replay(log);
        assertThat(rep.deletes()).isEqualTo(3);
        assertThat(rep.rankErrorMean()).isEqualTo(2.0 / 3.0);
        assertThat(rep.rankErrorMax()).isEqualTo(2);
        assertThat(rep.delayMean()).isEqualTo(2.0 / 3.0);
        assertThat(rep.delayMax()).isEqualTo(1);
    }

    @Test
    void deletionOfAbsentElementIsReported() {
        OperationLog log = new OperationLog();
        OperationLog.Recorder r = log.recorder();
        r.insert(7);
        r.delete(7);
        r.delete(7);
        assertThatThrownBy(() -> RankReplay.replay(log))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("ticket 2")
                .hasMessageContaining("priority 7");
    }

    @Test
    void exactQueueHasZeroRankErrorAndDelaySequentially() {
        for (String spec : new String[] {"heap", "skiplist", "pbq"}) {
            OperationLog log = new OperationLog();
            ConcurrentPriorityQueue q = new InstrumentedQueue(PriorityQueues.create(spec, 1, 1), log);
            ConcurrentPriorityQueue.Handle h = q.register();
            SplittableRandom rnd = new SplittableRandom(3);
            for (int i = 0; i < 20_000; i++) {
                if (rnd.nextBoolean()) {
                    h.insert(rnd.nextInt(1000), i);
                } else {
                    h.tryDeleteMin();
                }
            }
            RelaxationReport rep = RankReplay.replay(log);
            assertThat(rep.deletes()).as(spec).isGreaterThan(5_000);
            assertThat(rep.rankErrorMax()).as(spec).isZero();
            assertThat(rep.delayMax()).as(spec).isZero();
        }
    }

    @Test
    void samplerAgreesWithReplayInASingleThread() {
        OperationLog log = new OperationLog();
        ConcurrentRankSampler sampler = new ConcurrentRankSampler(
                new InstrumentedQueue(PriorityQueues.create("mq:c=8", 1, 42), log), 1 << 12, 1);
        ConcurrentPriorityQueue.Handle h = sampler.register();
        SplittableRandom rnd = new SplittableRandom(5);
        for (int i = 0; i < 2_000; i++) {
            h.insert(rnd.nextInt(1 << 12), i);
        }
        for (int i = 0; i < 50_000; i++) {
            h.insert(rnd.nextInt(1 << 12), i);
            assertThat(h.tryDeleteMin()).isTrue();
        }
        RelaxationReport exact = RankReplay.replay(log);
        RelaxationReport sampled = sampler.report();
        assertThat(sampled.deletes()).isEqualTo(exact.deletes());
        assertThat(sampled.rankErrorMean()).isEqualTo(exact.rankErrorMean());
        assertThat(sampled.rankErrorP99()).isEqualTo(exact.rankErrorP99());
        assertThat(sampled.rankErrorMax()).isEqualTo(exact.rankErrorMax());
        assertThat(sampled.hasDelay()).isFalse();
    }

    @Test
    void samplerRejectsPrioritiesOutsideItsDomain() {
        ConcurrentRankSampler sampler = new ConcurrentRankSampler(PriorityQueues.create("heap", 1, 1), 100, 1);
        ConcurrentPriorityQueue.Handle h = sampler.register();
        assertThatThrownBy(() -> h.insert(100, 0)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[0, 100)");
        assertThatThrownBy(() -> h.insert(-1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
