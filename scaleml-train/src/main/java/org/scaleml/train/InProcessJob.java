package org.scaleml.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;

import org.scaleml.comm.transport.Communicator;
import org.scaleml.comm.transport.InProcessNetwork;
import org.scaleml.train.data.Dataset;

/**
 * Runs a data-parallel job of {@code world} ranks as threads of this JVM over an {@link InProcessNetwork}
 * (optionally with a simulated link bandwidth): the deterministic way to train on one machine and to test the
 * trainers. The threads are started and joined by {@link #runAll}; none outlives it.
 */
public final class InProcessJob {
    /** Time limit of every blocking network call of an in-process job. */
    public static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(120);

    private InProcessJob() {
    }

    /** The outcome of one rank. */
    public record RankOutcome<T>(T value, Throwable error) {
    }

    /**
     * Runs {@code body} on every rank; returns every rank's outcome (never throws for a rank's failure: a failed
     * rank's peers fail too, through the network, and every outcome says what happened).
     *
     * @param bytesPerSecond simulated bandwidth of each rank's link, 0 for unlimited
     */
    public static <T> List<RankOutcome<T>> runAll(int world, double bytesPerSecond,
                                                  IntFunction<java.util.function.Function<Communicator, T>> body)
            throws InterruptedException {
        InProcessNetwork net = new InProcessNetwork(world, bytesPerSecond, 0, TIMEOUT_NANOS,
                InProcessNetwork.DEFAULT_MAX_FRAME);
        List<RankOutcome<T>> out = new ArrayList<>();
        Object[] values = new Object[world];
        Throwable[] errors = new Throwable[world];
        Thread[] ts = new Thread[world];
        for (int r = 0; r < world; r++) {
            final int rank = r;
            ts[r] = new Thread(() -> {
                try (Communicator comm = new Communicator(net.endpoint(rank))) {
                    values[rank] = body.apply(rank).apply(comm);
                } catch (Throwable t) {
                    errors[rank] = t;
                    net.kill(rank); // the others must not wait for a rank that is gone
                }
            }, "scaleml-train-rank-" + r);
            ts[r].setDaemon(true);
            ts[r].start();
        }
        try {
            for (Thread t : ts) {
                t.join();
            }
        } catch (InterruptedException e) {
            for (int r = 0; r < world; r++) {
                net.kill(r);
            }
            throw e;
        }
        for (int r = 0; r < world; r++) {
            @SuppressWarnings("unchecked")
            T v = (T) values[r];
            out.add(new RankOutcome<>(v, errors[r]));
        }
        return out;
    }

    /**
     * Trains on {@code world} in-process ranks with the settings' coordination (for {@code hogwild}: on
     * {@code world} threads sharing one model, {@link HogwildTrainer}); returns rank 0's result.
     *
     * @throws TrainingFailedException if any rank failed, with the first rank's failure as the cause
     */
    public static DataParallelTrainer.Result train(TrainSettings settings, Dataset train, Dataset test, int world,
                                           double bytesPerSecond, DataParallelTrainer.Listener listener)
            throws InterruptedException {
        if (settings.coordination().trainer().equals("hogwild")) {
            return new HogwildTrainer(settings).run(world, train, test, listener);
        }
        List<RankOutcome<DataParallelTrainer.Result>> outs = runAll(world, bytesPerSecond,
                rank -> comm -> new DataParallelTrainer(settings).run(comm, train, test, listener));
        return firstResult(outs);
    }

    /**
     * Trains on {@code parts.size()} in-process ranks, rank r on {@code parts.get(r)} as its whole part
     * ({@link DataParallelTrainer#runOnPart}: no sharding), the way a cluster manager that placed the data runs
     * the ranks; returns rank 0's result.
     *
     * @param store where checkpoints go, or null for the settings' checkpoint directory
     * @throws TrainingFailedException if any rank failed, with the first rank's failure as the cause
     */
    public static DataParallelTrainer.Result trainOnParts(TrainSettings settings, List<Dataset> parts, Dataset test,
                                                  CheckpointStore store, DataParallelTrainer.Listener listener)
            throws InterruptedException {
        DataParallelTrainer trainer = store == null ? new DataParallelTrainer(settings)
                : new DataParallelTrainer(settings, store);
        List<RankOutcome<DataParallelTrainer.Result>> outs = runAll(parts.size(), 0,
                rank -> comm -> trainer.runOnPart(comm, parts.get(rank), test, listener));
        return firstResult(outs);
    }

    /** Rank 0's value, or a {@link TrainingFailedException} naming the first rank that failed of its own accord. */
    public static <T> T firstResult(List<RankOutcome<T>> outs) {
        int culprit = -1;
        for (int r = 0; r < outs.size(); r++) {
            Throwable e = outs.get(r).error();
            if (e != null && !(e instanceof org.scaleml.comm.transport.PeerFailedException)
                    && !(e.getCause() instanceof org.scaleml.comm.transport.PeerFailedException)) {
                culprit = r;
                break;
            }
        }
        if (culprit < 0) {
            for (int r = 0; r < outs.size(); r++) {
                if (outs.get(r).error() != null) {
                    culprit = r;
                    break;
                }
            }
        }
        if (culprit >= 0) {
            Throwable e = outs.get(culprit).error();
            throw new TrainingFailedException("rank " + culprit + " of " + outs.size() + " failed: "
                    + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
        return outs.get(0).value();
    }

    /** A training job that failed on some rank. */
    public static final class TrainingFailedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        public TrainingFailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
