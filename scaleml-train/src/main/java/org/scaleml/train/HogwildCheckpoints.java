package org.scaleml.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import org.scaleml.comm.codec.ErrorFeedbackCodec;
import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.model.Model;
import org.scaleml.train.optim.Optimizer;

/**
 * The checkpoint side of a {@link HogwildTrainer} run: the fingerprint its checkpoints carry, writing one at an
 * epoch end, and resuming from the newest one (reading it, checking it fits the run, and putting the parameters and
 * every thread's optimizer and error-feedback state back).
 *
 * <p>A Hogwild checkpoint is rank 0 of world 1: its parameters are the shared array, its optimizer buffers every
 * thread's buffers concatenated (thread 0 first), its residuals every thread's error-feedback residual. Called only
 * by the calling thread of a run while the workers are parked (or not yet started); not thread-safe.
 */
final class HogwildCheckpoints {
    private final TrainSettings settings;

    /** @param settings the run's settings, whose checkpoint directory is not null */
    HogwildCheckpoints(TrainSettings settings) {
        this.settings = settings;
    }

    /**
     * The fingerprint of a run's checkpoints: the configuration a resumed run must share (model, optimizer, codec,
     * lock mode, threads, batch, epochs, steps, seed) and the training data's name, size and content hash. Hashing
     * the data is a pass over all of it, which is why only runs with a checkpoint directory compute it.
     *
     * @param codec thread 0's codec, or null for none
     */
    static String fingerprint(TrainSettings s, Model model, Optimizer opt, GradientCodec codec, boolean locked,
                              int threads, Dataset train) {
        return "trainer=hogwild;model=" + model.spec() + ";optimizer=" + opt.spec() + ";codec="
                + (codec != null ? codec.spec() : "none") + ";updates=" + (locked ? "locked" : "lock-free")
                + ";threads=" + threads + ";batch=" + s.batch() + ";epochs=" + s.epochs() + ";maxSteps="
                + s.maxStepsPerEpoch() + ";seed=" + s.seed() + ";data=" + train.name() + "/" + train.size() + ";"
                + Checkpoint.DATA_HASH_KEY + "=" + Long.toHexString(train.contentHash());
    }

    /** Writes the checkpoint of per-thread step {@code step} (keeping the newest two) and tells the listener. */
    void save(String fp, long step, double elapsed, float[] params, Optimizer[] opts, GradientCodec[] codecs, int n,
              DataParallelTrainer.Listener l) {
        int threads = opts.length;
        float[][] first = opts[0].buffers();
        float[][] bufs = new float[first.length][];
        for (int b = 0; b < first.length; b++) {
            bufs[b] = new float[n * threads];
        }
        for (int t = 0; t < threads; t++) {
            float[][] mine = t == 0 ? first : opts[t].buffers();
            for (int b = 0; b < mine.length; b++) {
                System.arraycopy(mine[b], 0, bufs[b], t * n, n);
            }
        }
        float[][][] res;
        if (codecs[0] instanceof ErrorFeedbackCodec) {
            res = new float[1][threads][];
            for (int t = 0; t < threads; t++) {
                res[0][t] = ((ErrorFeedbackCodec) codecs[t]).residual();
            }
        } else {
            res = new float[0][][];
        }
        Checkpoint c = new Checkpoint(fp, 0, 1, step, elapsed, 0, 0, 0, elapsed, 0, params.clone(), opts[0].steps(),
                bufs, res);
        l.checkpoint(step, c.save(settings.checkpointDir(), DataParallelTrainer.KEEP_CHECKPOINTS).toString());
    }

    /**
     * Resumes from the newest checkpoint, if there is one: copies its parameters into {@code params} and restores
     * every thread's optimizer and residual.
     *
     * @param spe   steps per epoch of one thread; the checkpoint's step must be an epoch end
     * @param total steps of one thread in the whole run
     * @return the checkpoint resumed from, or null if there is none (nothing is changed then)
     * @throws Checkpoint.CheckpointException if the checkpoint is of another configuration, damaged, or does not
     *                                        fit the run
     */
    Checkpoint resume(String fp, int spe, long total, float[] params, Optimizer[] opts, GradientCodec[] codecs) {
        int n = params.length;
        Checkpoint c = newest(fp, n, opts.length);
        if (c != null) {
            if (c.steps() % spe != 0 || c.steps() > total) {
                throw new Checkpoint.CheckpointException(Checkpoint.file(settings.checkpointDir(), c.steps(), 0)
                        + ": step " + c.steps() + " is not an epoch end of this run (" + spe
                        + " steps per epoch, " + total + " in all)");
            }
            System.arraycopy(c.params(), 0, params, 0, n);
            restoreThreads(c, opts, codecs, n);
        }
        return c;
    }

    private Checkpoint newest(String fp, int n, int threads) {
        Path dir = settings.checkpointDir();
        List<Long> steps;
        try {
            steps = Checkpoint.steps(dir, 0);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list checkpoints in " + dir, e);
        }
        if (steps.isEmpty()) {
            return null;
        }
        Path f = Checkpoint.file(dir, steps.get(steps.size() - 1), 0);
        Checkpoint c = Checkpoint.readMatching(f, n * threads, fp);
        if (c.world() != 1 || c.params().length != n) {
            throw new Checkpoint.CheckpointException(f + ": not a hogwild checkpoint of " + n + " parameters");
        }
        return c;
    }

    private static void restoreThreads(Checkpoint c, Optimizer[] opts, GradientCodec[] codecs, int n) {
        int threads = opts.length;
        float[][] bufs = c.optBuffers();
        for (float[] b : bufs) {
            if (b.length != n * threads) {
                throw new Checkpoint.CheckpointException("checkpoint at step " + c.steps() + ": optimizer buffer of "
                        + b.length + " values, expected " + threads + " x " + n);
            }
        }
        for (int t = 0; t < threads; t++) {
            float[][] mine = new float[bufs.length][];
            for (int b = 0; b < bufs.length; b++) {
                mine[b] = new float[n];
                System.arraycopy(bufs[b], t * n, mine[b], 0, n);
            }
            opts[t].restore(c.optSteps(), mine);
        }
        float[][][] res = c.residuals();
        boolean ef = codecs[0] instanceof ErrorFeedbackCodec;
        if (ef != (res.length == 1) || (ef && res[0].length != threads)) {
            throw new Checkpoint.CheckpointException("checkpoint at step " + c.steps()
                    + ": error-feedback residuals do not fit " + threads + " threads");
        }
        if (ef) {
            for (int t = 0; t < threads; t++) {
                float[] r = res[0][t];
                if (r.length != 0 && r.length != n) {
                    throw new Checkpoint.CheckpointException("checkpoint at step " + c.steps() + ": residual of "
                            + r.length + " values, expected " + n);
                }
                ((ErrorFeedbackCodec) codecs[t]).restoreResidual(r);
            }
        }
    }
}
