package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class PartialAllreduceTest {
    static final int N = 101;

    /** Rank r's contribution for round t: small integers, so every sum is exact in float. */
    static float[] contribution(int r, long t) {
        float[] x = new float[N];
        for (int i = 0; i < N; i++) {
            x[i] = (1 + r + 10 * t) * (1 + i % 7);
        }
        return x;
    }

    record Seen(PartialAllreduce.Round round, float[] sum) {
    }

    /**
     * Runs {@code rounds} partial allreduces and a flush on {@code p} ranks; before round t, rank r sleeps
     * {@code sleepMs.get(r * 1000 + t)} milliseconds if present.
     */
    static List<List<Seen>> run(int p, PartialAllreduce.Mode mode, Duration window, int rounds,
                                Map<Integer, Long> sleepMs) {
        return Ranks.run(p, comm -> {
            List<Seen> seen = new ArrayList<>();
            try (PartialAllreduce pa = new PartialAllreduce(comm, N, mode, window)) {
                for (int t = 0; t < rounds; t++) {
                    Long ms = sleepMs.get(comm.rank() * 1000 + t);
                    if (ms != null) {
                        CollectivesTest.sleep(ms);
                    }
                    float[] x = contribution(comm.rank(), t);
                    PartialAllreduce.Round res = pa.allreduce(x);
                    assertThat(res.index()).isEqualTo(t);
                    seen.add(new Seen(res, x));
                }
                float[] rest = new float[N];
                seen.add(new Seen(pa.flush(rest), rest));
            }
            return seen;
        });
    }

    /** The invariants that hold whatever the timing. */
    static void checkInvariants(List<List<Seen>> all, int p, int rounds, int quorum) {
        Map<String, Long> countedIn = new HashMap<>();
        double[] total = new double[N];
        for (int t = 0; t <= rounds; t++) {
            Seen first = all.get(0).get(t);
            for (int r = 1; r < p; r++) {
                Seen s = all.get(r).get(t);
                assertThat(s.round().contributions()).as("round " + t + " on rank " + r)
                        .isEqualTo(first.round().contributions());
                assertThat(Data.bits(s.sum())).as("round " + t + " on rank " + r).isEqualTo(Data.bits(first.sum()));
            }
            PartialAllreduce.Round round = first.round();
            assertThat(round.isFlush()).isEqualTo(t == rounds);
            double[] want = new double[N];
            for (PartialAllreduce.Contribution c : round.contributions()) {
                assertThat(c.round()).isLessThanOrEqualTo(t);
                Long before = countedIn.put(c.rank() + "/" + c.round(), (long) t);
                assertThat(before).as(c + " counted twice").isNull();
                float[] x = contribution(c.rank(), c.round());
                for (int i = 0; i < N; i++) {
                    want[i] += x[i];
                }
            }
            for (int i = 0; i < N; i++) {
                assertThat(first.sum()[i]).as("round " + t + " [" + i + "]").isEqualTo((float) want[i]);
                total[i] += first.sum()[i];
            }
            if (t < rounds) {
                assertThat(round.freshRanks().length).as("fresh in round " + t).isGreaterThanOrEqualTo(quorum);
            } else {
                assertThat(round.freshRanks()).as("the flush has no fresh contributions").isEmpty();
            }
        }
        // nothing lost: every contribution in exactly one round, and the totals agree
        assertThat(countedIn).hasSize(p * rounds);
        double[] expected = new double[N];
        for (int r = 0; r < p; r++) {
            for (int t = 0; t < rounds; t++) {
                float[] x = contribution(r, t);
                for (int i = 0; i < N; i++) {
                    expected[i] += x[i];
                }
            }
        }
        assertThat(total).containsExactly(expected);
    }

    static long roundContaining(List<List<Seen>> all, int rank, long round) {
        for (Seen s : all.get(0)) {
            if (s.round().includes(rank, round)) {
                return s.round().index();
            }
        }
        throw new AssertionError("(" + rank + ", " + round + ") counted nowhere");
    }

    @Test
    void majorityCompletesWithoutAStragglerAndFoldsItsContributionIntoALaterRound() {
        int p = 4;
        int rounds = 6;
        List<List<Seen>> all = run(p, PartialAllreduce.Mode.MAJORITY, Duration.ZERO, rounds,
                Map.of(3 * 1000 + 2, 400L));
        checkInvariants(all, p, rounds, 3);
        PartialAllreduce.Round r2 = all.get(0).get(2).round();
        assertThat(r2.includes(3, 2)).as(r2.toString()).isFalse();
        // the straggler gets round 2's result too, without its own contribution
        assertThat(all.get(3).get(2).round().includes(3, 2)).isFalse();
        long later = roundContaining(all, 3, 2);
        assertThat(later).isGreaterThan(2);
        assertThat(all.get(0).get((int) later).round().late()).contains(new PartialAllreduce.Contribution(3, 2));
    }

    @Test
    void soloWithAWindowWaitsBrieflyThenLeavesStragglersForLaterRounds() {
        int p = 5;
        int rounds = 5;
        List<List<Seen>> all = run(p, PartialAllreduce.Mode.SOLO, Duration.ofMillis(150), rounds,
                Map.of(4 * 1000 + 1, 700L, 2 * 1000 + 3, 700L));
        checkInvariants(all, p, rounds, 1);
        assertThat(all.get(0).get(1).round().includes(4, 1)).isFalse();
        assertThat(roundContaining(all, 4, 1)).isGreaterThan(1);
        assertThat(all.get(0).get(3).round().includes(2, 3)).isFalse();
        assertThat(roundContaining(all, 2, 3)).isGreaterThan(3);
    }

    @Test
    void soloWithoutWindowKeepsEveryContributionUnderHeavyLateness() {
        for (int p : new int[] {1, 2, 3, 6}) {
            int rounds = 25;
            checkInvariants(run(p, PartialAllreduce.Mode.SOLO, Duration.ZERO, rounds, Map.of()), p, rounds, 1);
        }
    }

    @Test
    void majorityWithAWindowGathersEveryoneWhenNobodyIsLate() {
        int p = 5;
        int rounds = 4;
        List<List<Seen>> all = run(p, PartialAllreduce.Mode.MAJORITY, Duration.ofSeconds(1), rounds, Map.of());
        checkInvariants(all, p, rounds, 3);
        for (int t = 0; t < rounds; t++) {
            // a round closes early when all ranks are in, so with a long window everyone is fresh
            assertThat(all.get(0).get(t).round().freshRanks()).hasSize(p);
        }
    }

    @Test
    void majorityRoundsGoOnWithoutARankThatNeverComes() {
        int p = 4;
        List<List<PartialAllreduce.Round>> all = Ranks.run(p, comm -> {
            List<PartialAllreduce.Round> seen = new ArrayList<>();
            if (comm.rank() == p - 1) {
                return seen; // never contributes: a straggler, not a failure
            }
            try (PartialAllreduce pa = new PartialAllreduce(comm, N, PartialAllreduce.Mode.MAJORITY,
                    Duration.ofMillis(20))) {
                for (int t = 0; t < 5; t++) {
                    float[] x = contribution(comm.rank(), t);
                    seen.add(pa.allreduce(x));
                }
            }
            return seen;
        });
        for (int t = 0; t < 5; t++) {
            assertThat(all.get(0).get(t).freshRanks()).containsExactlyInAnyOrder(0, 1, 2);
        }
    }

    @Test
    void aStragglerCatchesUpOnClosedRoundsWithoutContributingAndOnlyItsRealContributionsCount() {
        int p = 4;
        int rounds = 12;
        List<List<Seen>> all = Ranks.run(p, comm -> {
            List<Seen> seen = new ArrayList<>();
            List<Long> contributed = new ArrayList<>();
            try (PartialAllreduce pa = new PartialAllreduce(comm, N, PartialAllreduce.Mode.MAJORITY, Duration.ZERO)) {
                long t = 0;
                boolean straggler = comm.rank() == 3;
                while (t < rounds) {
                    if (straggler) {
                        float[] r = new float[N];
                        PartialAllreduce.Round caught = pa.tryResult(r, 0);
                        if (caught != null) {
                            assertThat(caught.index()).isEqualTo(t);
                            seen.add(new Seen(caught, r));
                            t++;
                            continue;
                        }
                        CollectivesTest.sleep(60); // a slow step
                    }
                    float[] x = contribution(comm.rank(), t);
                    contributed.add(t);
                    PartialAllreduce.Round res = pa.allreduce(x);
                    assertThat(res.index()).isEqualTo(t);
                    seen.add(new Seen(res, x));
                    t++;
                }
                float[] rest = new float[N];
                seen.add(new Seen(pa.flush(rest), rest));
                if (straggler) {
                    assertThat(contributed.size()).as("the straggler skipped rounds").isLessThan(rounds);
                    assertThat(pa.tryResult(new float[N], 0)).as("nothing after the flush").isNull();
                }
            }
            return seen;
        });
        // every rank saw the same rounds; every sum is exactly the listed contributions
        int skipped = 0;
        for (int t = 0; t <= rounds; t++) {
            Seen first = all.get(0).get(t);
            for (int r = 1; r < p; r++) {
                assertThat(all.get(r).get(t).round().contributions()).isEqualTo(first.round().contributions());
                assertThat(Data.bits(all.get(r).get(t).sum())).isEqualTo(Data.bits(first.sum()));
            }
            double[] want = new double[N];
            for (PartialAllreduce.Contribution c : first.round().contributions()) {
                float[] x = contribution(c.rank(), c.round());
                for (int i = 0; i < N; i++) {
                    want[i] += x[i];
                }
            }
            for (int i = 0; i < N; i++) {
                assertThat(first.sum()[i]).isEqualTo((float) want[i]);
            }
        }
        for (int t = 0; t < rounds; t++) {
            boolean counted = false;
            for (Seen s : all.get(0)) {
                counted |= s.round().includes(3, t);
            }
            skipped += counted ? 0 : 1;
        }
        assertThat(skipped).as("rounds the straggler caught up on without a contribution").isPositive();
    }
}
