package org.scaleml.comm.collective;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.CommTimeoutException;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.InProcessNetwork;

/**
 * A rank that dies or never shows up makes every other rank's collective throw, naming the collective, within the
 * network's 2 s time limit; nothing hangs.
 */
class FailureTest {
    static final int P = 5;
    static final int N = 5_000;

    /** A named collective that each rank runs repeatedly: an action per call, made once per rank. */
    record Case(String name, String messagePart, Function<Communicator, Runnable> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                new Case("ring allreduce", "allreduce (ring)", comm -> {
                    Collectives c = new Collectives(comm);
                    float[] x = new float[N];
                    return () -> c.allreduce(x, Allreduce.Algorithm.RING);
                }),
                new Case("recursive doubling allreduce", "allreduce (recursive doubling)", comm -> {
                    Collectives c = new Collectives(comm);
                    float[] x = new float[N];
                    return () -> c.allreduce(x, Allreduce.Algorithm.RECURSIVE_DOUBLING);
                }),
                new Case("broadcast", "broadcast (root", comm -> {
                    // the root rotates, so that no rank can run ahead sending (the network buffers without limit)
                    Collectives c = new Collectives(comm);
                    float[] x = new float[N];
                    int[] call = {0};
                    return () -> c.broadcast(call[0]++ % P, x);
                }),
                new Case("compressed allreduce", "compressed allreduce (maxmin", comm -> {
                    CompressedAllreduce c = new CompressedAllreduce(comm, "maxmin:bits=4,bucket=512", 1);
                    float[] x = Data.uniform(1, comm.rank(), N);
                    return () -> c.allreduce(x.clone());
                }),
                new Case("sparse allreduce", "sparse allreduce", comm -> {
                    SparseAllreduce s = new SparseAllreduce(comm);
                    SparseVector v = SparseVector.fromDense(Data.uniform(2, comm.rank(), N));
                    return () -> s.allreduce(v);
                }),
                new Case("mean estimation", "mean estimation (lattice", comm -> {
                    MeanEstimation m = new MeanEstimation(comm, "lattice:bits=4,range=8", 1);
                    float[] x = Data.uniform(3, comm.rank(), N);
                    return () -> m.estimate(x.clone());
                }),
                new Case("gossip", "gossip averaging", comm -> {
                    GossipAverager g = new GossipAverager(comm, 4);
                    float[] x = new float[N];
                    return () -> g.average(x);
                })).map(Arguments::of);
    }

    /** Runs {@code body} on every rank until it throws (or 20 s pass); returns each rank's outcome. */
    static List<Ranks.Outcome<Object>> runUntilFailure(InProcessNetwork net, Function<Communicator, Runnable> make,
                                                        Consumer<Communicator> beforeLoop) {
        return Ranks.runAll(net, comm -> {
            Runnable call = make.apply(comm);
            beforeLoop.accept(comm);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                call.run();
            }
            return "finished without a failure";
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void killingARankMidCollectiveFailsEveryOtherRankFast(Case c) throws Exception {
        InProcessNetwork net = Ranks.network(P);
        int victim = 2;
        long[] killedAt = new long[1];
        Thread killer = new Thread(() -> {
            CollectivesTest.sleep(150);
            killedAt[0] = System.nanoTime();
            net.kill(victim);
        });
        killer.start();
        List<Ranks.Outcome<Object>> out = runUntilFailure(net, c.make(), comm -> { });
        killer.join();
        for (int r = 0; r < P; r++) {
            Ranks.Outcome<Object> o = out.get(r);
            assertThat(o.failed()).as(c + ": rank " + r + " returned " + o.value()).isTrue();
            assertThat(o.error()).as(c + ": rank " + r).isInstanceOf(CommException.class);
            if (r != victim) {
                assertThat(o.error().getMessage()).as(c + ": rank " + r).contains(c.messagePart())
                        .contains("rank " + r + " of " + P);
                assertThat(TimeUnit.NANOSECONDS.toMillis(o.endNanos() - killedAt[0])).as(c + ": rank " + r)
                        .isLessThan(2_000);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void aRankThatNeverComesMakesTheOthersTimeOutAndAbortTogether(Case c) {
        InProcessNetwork net = Ranks.network(P);
        int absent = P - 1;
        long start = System.nanoTime();
        List<Ranks.Outcome<Object>> out = Ranks.runAll(net, comm -> {
            if (comm.rank() == absent) {
                return "absent";
            }
            Runnable call = c.make().apply(comm);
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < end) {
                call.run();
            }
            return "finished without a failure";
        });
        boolean someTimedOut = false;
        for (int r = 0; r < absent; r++) {
            Ranks.Outcome<Object> o = out.get(r);
            if (c.name().equals("gossip") && !o.failed()) {
                continue; // impossible in practice: every rank soon pairs with the absent or an aborted rank
            }
            assertThat(o.failed()).as(c + ": rank " + r + " returned " + o.value()).isTrue();
            assertThat(o.error()).as(c + ": rank " + r).isInstanceOf(CommException.class);
            assertThat(o.error().getMessage()).contains(c.messagePart());
            someTimedOut |= o.error() instanceof CommTimeoutException;
            // about one time limit (2 s) after the start, plus the time to notice aborts
            assertThat(TimeUnit.NANOSECONDS.toMillis(o.endNanos() - start)).as(c + ": rank " + r)
                    .isLessThan(3_500);
        }
        assertThat(someTimedOut).as(c + ": the first failure is a time limit").isTrue();
    }

    @ParameterizedTest(name = "victim {0}")
    @MethodSource("victims")
    void partialAllreduceFailsEverywhereWhenAnyRankOrTheCoordinatorDies(int victim) throws Exception {
        InProcessNetwork net = Ranks.network(P);
        long[] killedAt = new long[1];
        Thread killer = new Thread(() -> {
            CollectivesTest.sleep(150);
            killedAt[0] = System.nanoTime();
            net.kill(victim);
        });
        killer.start();
        List<Ranks.Outcome<Object>> out = Ranks.runAll(net, comm -> {
            try (PartialAllreduce pa = new PartialAllreduce(comm, N, PartialAllreduce.Mode.MAJORITY,
                    Duration.ofMillis(1))) {
                float[] x = new float[N];
                long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (System.nanoTime() < end) {
                    pa.allreduce(x);
                }
            }
            return "finished without a failure";
        });
        killer.join();
        for (int r = 0; r < P; r++) {
            Ranks.Outcome<Object> o = out.get(r);
            assertThat(o.failed()).as("rank " + r + " returned " + o.value()).isTrue();
            assertThat(o.error()).isInstanceOf(CommException.class);
            if (r != victim) {
                assertThat(o.error().getMessage()).as("rank " + r).contains("partial allreduce (majority");
                assertThat(TimeUnit.NANOSECONDS.toMillis(o.endNanos() - killedAt[0])).as("rank " + r)
                        .isLessThan(2_000);
            }
        }
    }

    static Stream<Arguments> victims() {
        return Stream.of(Arguments.of(0), Arguments.of(3));
    }
}
