package org.scaleml.comm.collective;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.InProcessNetwork;

/** Runs one body per rank, each on its own thread, over an {@link InProcessNetwork}; always shuts down. */
final class Ranks {
    /** What one rank did: its result or what it threw, and when it finished. */
    record Outcome<T>(T value, Throwable error, long endNanos) {
        boolean failed() {
            return error != null;
        }
    }

    /** Time limit of a whole run in tests (the network's own limit is far shorter). */
    static final long RUN_LIMIT_SECONDS = 30;

    private Ranks() {
    }

    /** An ideal network of {@code size} ranks with a 2 s time limit. */
    static InProcessNetwork network(int size) {
        return new InProcessNetwork(size, 0, 0, TimeUnit.SECONDS.toNanos(2), InProcessNetwork.DEFAULT_MAX_FRAME);
    }

    /** Runs {@code body} on every rank of an ideal network of {@code size} ranks; rethrows the first failure. */
    static <T> List<T> run(int size, Function<Communicator, T> body) {
        return run(network(size), body);
    }

    /** Runs {@code body} on every rank of {@code net}; rethrows the first failure. */
    static <T> List<T> run(InProcessNetwork net, Function<Communicator, T> body) {
        List<Outcome<T>> outcomes = runAll(net, body);
        List<T> values = new ArrayList<>();
        for (int r = 0; r < outcomes.size(); r++) {
            Outcome<T> o = outcomes.get(r);
            if (o.failed()) {
                throw new AssertionError("rank " + r + " of " + outcomes.size() + " failed: " + o.error(), o.error());
            }
            values.add(o.value());
        }
        return values;
    }

    /** Runs {@code body} on every rank of {@code net} and reports each rank's outcome. */
    static <T> List<Outcome<T>> runAll(InProcessNetwork net, Function<Communicator, T> body) {
        int size = net.size();
        ExecutorService pool = Executors.newFixedThreadPool(size, r -> {
            Thread t = new Thread(r, "test-rank");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>();
            for (int r = 0; r < size; r++) {
                Communicator comm = new Communicator(net.endpoint(r));
                futures.add(pool.submit(() -> {
                    try {
                        T v = body.apply(comm);
                        return new Outcome<>(v, null, System.nanoTime());
                    } catch (Throwable e) {
                        return new Outcome<T>(null, e, System.nanoTime());
                    }
                }));
            }
            List<Outcome<T>> out = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(RUN_LIMIT_SECONDS);
            for (Future<Outcome<T>> f : futures) {
                try {
                    out.add(f.get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
                } catch (TimeoutException e) {
                    throw new AssertionError("ranks still running after " + RUN_LIMIT_SECONDS + " s (a hang)");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                } catch (ExecutionException e) {
                    throw new AssertionError(e.getCause());
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
