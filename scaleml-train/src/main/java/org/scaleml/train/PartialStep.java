package org.scaleml.train;

import java.time.Duration;

import org.scaleml.comm.collective.PartialAllreduce;

/**
 * {@code partial}: the gradient, with a trailing 1 that counts contributions, goes to a {@link PartialAllreduce};
 * every rank applies every round's sum divided by its count, in round order, so all stay identical. Before
 * computing, a rank first takes the results of rounds that closed without it ({@link #catchUp}): a straggler
 * catches up instead of computing a gradient for every round. Rounds depend on timing, so checkpoints are written
 * only at epoch ends, after the flush, where no contribution is in flight.
 */
final class PartialStep extends CoordinationStep {
    private final PartialAllreduce pa;
    private final float[] buf;
    private final String quorum;

    PartialStep(StepContext run, String quorum) {
        super(run);
        this.quorum = quorum;
        this.pa = new PartialAllreduce(run.comm, run.n + 1, quorum.equals("solo") ? PartialAllreduce.Mode.SOLO
                : PartialAllreduce.Mode.MAJORITY, Duration.ZERO);
        this.buf = new float[run.n + 1];
    }

    @Override
    boolean catchUp() {
        if (pa.tryResult(buf, 0) == null) {
            return false;
        }
        update();
        return true;
    }

    @Override
    void apply(float[] grad, long step) {
        System.arraycopy(grad, 0, buf, 0, run.n);
        buf[run.n] = 1;
        pa.allreduce(buf, 0);
        update();
    }

    /** Applies the mean of the round's contributions (the count travels in the last element). */
    private void update() {
        float count = buf[run.n];
        if (count > 0) {
            float inv = 1f / count;
            for (int i = 0; i < run.n; i++) {
                buf[i] *= inv;
            }
            run.opt.step(run.params, buf);
        }
    }

    @Override
    void endEpoch(long step) {
        pa.flush(buf);
        update();
    }

    @Override
    String describe() {
        return "partial allreduce (" + quorum + " quorum) of uncompressed gradients";
    }

    @Override
    void restart(long seed) {
    }

    @Override
    boolean canCheckpoint(boolean epochEnd) {
        return epochEnd;
    }

    @Override
    void close() {
        pa.close();
    }
}
