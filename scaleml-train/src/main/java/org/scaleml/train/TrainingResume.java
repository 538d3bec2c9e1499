package org.scaleml.train;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;
import org.scaleml.train.model.Model;
import org.scaleml.train.optim.Optimizer;

/**
 * The checkpoint side of a {@link DataParallelTrainer} run: the fingerprint a run's checkpoints carry, the choice
 * of the checkpoint to resume from (the newest step intact on every rank), putting its state back into the run,
 * and the seeds from which codec streams restart at a checkpoint step.
 *
 * <p>Not thread-safe: one per trainer; {@link #resumePoint} is a collective (every rank calls it, in the same order
 * relative to the run's other collectives).
 */
final class TrainingResume {
    /*
     * Choosing the resumption point. Each rank reads every checkpoint it holds (at most KEEP_CHECKPOINTS): one that
     * cannot be decoded is skipped, so a crash while writing the newest step costs one interval; one of another
     * configuration (fingerprint mismatch) or of another rank or world size is refused, not skipped. The ranks then
     * allgather how many files they listed, the steps they hold intact and why they skipped the others; the newest
     * step intact everywhere wins, every rank computes the same answer, and rank 0's listener hears every skipped
     * file. If some rank listed files but no step is intact everywhere, resuming consistently is impossible and the
     * run fails; if no rank listed any, the run starts fresh.
     */

    private final TrainSettings settings;
    private final CheckpointStore store;

    /** @param store where the run's checkpoints live (not null) */
    TrainingResume(TrainSettings settings, CheckpointStore store) {
        this.settings = settings;
        this.store = store;
    }

    /** The seed from which codec streams restart after step {@code step} (0 for the run's start). */
    static long restartSeed(long seed, long step) {
        return SplitMix64.mix(seed ^ SplitMix64.mix(step + 0x5DEECE66DL));
    }

    /**
     * The fingerprint of this rank's checkpoints: the settings a resumed run must share, then this rank's data
     * hash. Hashing the data is a pass over all of it, which is why only runs with a store compute it.
     *
     * @param data the data set's name and size (and {@code /parts} when the ranks hold their own parts)
     */
    String fingerprint(Model model, Optimizer opt, GradientExchange ex, int world, String data, long dataHash) {
        Coordination c = settings.coordination();
        return "model=" + model.spec() + ";optimizer=" + opt.spec() + ";plan=" + ex.initialDescribe() + ";fused="
                + settings.fuseLayers() + ";world=" + world
                + ";batch=" + settings.batch() + ";epochs=" + settings.epochs() + ";maxSteps="
                + settings.maxStepsPerEpoch() + ";seed=" + settings.seed() + ";data=" + data
                + (c.trainer().equals("sync") && c.meanAggregation() && c.attackers() == 0 ? ""
                : ";trainer=" + c.trainer() + ";localSteps=" + c.localSteps() + ";aggregator=" + c.aggregator()
                + ";attackers=" + c.attackers() + ";attack=" + c.attack() + ";quorum=" + c.partialQuorum()
                + ";workerMomentum=" + c.workerMomentum())
                + (LayerwisePlanner.Spec.isAdaptive(settings.codec()) ? ";codec=" + settings.codec() : "")
                + ";" + Checkpoint.DATA_HASH_KEY + "=" + Long.toHexString(dataHash);
    }

    /**
     * The newest checkpoint every rank has, read and checked; null if no rank has any. Rank 0's listener hears of
     * every damaged file that was skipped.
     *
     * @throws Checkpoint.CheckpointException if a checkpoint is of another configuration, rank or world, or if
     *                                        some rank has checkpoints but no step is intact on every rank
     */
    Checkpoint resumePoint(Communicator comm, Collectives coll, String fp, int n,
                           DataParallelTrainer.Listener l) {
        int rank = comm.rank();
        List<Long> listed;
        try {
            listed = store.steps(rank);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + store + ": " + e.getMessage(), e);
        }
        Map<Long, Checkpoint> intact = new HashMap<>();
        List<String> damaged = new ArrayList<>();
        for (long step : listed) {
            String where = store.location(step, rank);
            Checkpoint c;
            try {
                c = Checkpoint.decode(store.read(step, rank), where, n);
            } catch (Checkpoint.CheckpointException | IOException e) {
                damaged.add("step " + step + " of rank " + rank + " (" + e.getMessage() + ")");
                continue;
            }
            Checkpoint.matching(c, where, fp); // another configuration's checkpoint is refused, not skipped
            if (c.rank() != rank || c.world() != comm.size() || c.params().length != n) {
                throw new Checkpoint.CheckpointException(where + ": written by rank " + c.rank() + " of " + c.world()
                        + ", this is rank " + rank + " of " + comm.size());
            }
            intact.put(step, c);
        }
        byte[][] all = coll.allgather(holdings(listed.size(), intact.keySet(), damaged));
        boolean anyone = false;
        List<Set<Long>> held = new ArrayList<>();
        List<String> skipped = new ArrayList<>();
        for (byte[] other : all) {
            try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(other))) {
                anyone |= in.readInt() > 0;
                Set<Long> steps = new HashSet<>();
                for (int i = in.readInt(); i > 0; i--) {
                    steps.add(in.readLong());
                }
                held.add(steps);
                for (int i = in.readInt(); i > 0; i--) {
                    skipped.add(in.readUTF());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        long best = -1;
        for (long st : intact.keySet()) {
            boolean everywhere = true;
            for (Set<Long> h : held) {
                everywhere &= h.contains(st);
            }
            if (everywhere) {
                best = Math.max(best, st);
            }
        }
        for (String d : skipped) {
            l.checkpointSkipped(d);
        }
        if (best < 0) {
            if (anyone) {
                throw new Checkpoint.CheckpointException("no checkpoint step in " + store
                        + " is intact on every rank; cannot resume consistently"
                        + (skipped.isEmpty() ? "" : " (damaged: " + String.join("; ", skipped) + ")"));
            }
            return null;
        }
        return intact.get(best);
    }

    /** What this rank tells the others: files listed, the steps held intact, the damaged files skipped. */
    private static byte[] holdings(int listed, Set<Long> intact, List<String> damaged) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(listed);
            out.writeInt(intact.size());
            for (long step : intact) {
                out.writeLong(step);
            }
            out.writeInt(damaged.size());
            for (String d : damaged) {
                out.writeUTF(d.length() > 2000 ? d.substring(0, 2000) : d);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Puts checkpoint {@code c}'s parameters, optimizer, exchange and coordination state back into the run, and
     * restarts the codec streams as the uninterrupted run did at that step.
     *
     * @throws Checkpoint.CheckpointException if the checkpoint's exchange plan or trainer state does not fit
     */
    static void restore(Checkpoint c, StepContext run, CoordinationStep st, long seed) {
        System.arraycopy(c.params(), 0, run.params, 0, run.n);
        run.opt.restore(c.optSteps(), c.optBuffers());
        try {
            run.ex.restorePlanState(c.exchangeState()); // before the residuals: it rebuilds the groups
        } catch (IllegalArgumentException e) {
            throw new Checkpoint.CheckpointException("the checkpoint's exchange plan does not fit this "
                    + "run: " + e.getMessage());
        }
        run.ex.restoreResiduals(c.residuals());
        st.restore(c.trainerState());
        st.restart(restartSeed(seed, c.steps()));
    }
}
