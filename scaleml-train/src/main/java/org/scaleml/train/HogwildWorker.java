package org.scaleml.train;

import java.util.concurrent.Phaser;
import java.util.concurrent.locks.LockSupport;

import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.train.data.Batch;
import org.scaleml.train.data.BatchSchedule;
import org.scaleml.train.data.Dataset;
import org.scaleml.train.model.Model;
import org.scaleml.train.optim.Optimizer;

/**
 * One worker thread of a {@link HogwildTrainer} run: its private state (schedule, batch, workspace, gradient,
 * optimizer, codec buffers, in locked mode a copy of the parameters) and its loop of epochs and steps on the shared
 * parameter array.
 *
 * <p>Confined to its thread, except {@link #epochLoss} and {@link #epochSteps}, which it writes during an epoch and
 * the calling thread reads after the end barrier (the {@link Phaser} orders the two). Allocates nothing per step.
 */
final class HogwildWorker implements Runnable {
    private final int id;
    private final int spe;
    private final HogwildRun run;
    private final Model model;
    private final float[] shared;
    private final Optimizer opt;
    private final GradientCodec codec;
    private final boolean locked;
    private final double slowdown;
    private final DataParallelTrainer.Listener listener;
    private final HogwildTrainer.StepHook hook;
    private final int firstEpoch;
    private final int epochs;
    private final BatchSchedule schedule;
    private final Batch batch;
    private final Model.Workspace ws;
    private final float[] grad;
    private final float[] local;
    private final float[] decoded;
    private final byte[] wire;
    private final Object lock;
    // written by this thread during an epoch, read by the caller after the end barrier
    double epochLoss;
    long epochSteps;

    /**
     * @param id        this worker's index among {@code threads}
     * @param spe       steps per epoch (of one thread)
     * @param shared    the shared parameter array
     * @param codec     this thread's codec, or null for none
     * @param slowdown  the straggler factor (1 for a normal thread)
     * @param listener  the listener to call after each step, or null (only worker 0 has one)
     */
    HogwildWorker(int id, int threads, int spe, HogwildRun run, Model model, float[] shared, Dataset train,
                  TrainSettings settings, Optimizer opt, GradientCodec codec, boolean locked, double slowdown,
                  DataParallelTrainer.Listener listener, HogwildTrainer.StepHook hook, int firstEpoch, int epochs) {
        this.id = id;
        this.spe = spe;
        this.run = run;
        this.model = model;
        this.shared = shared;
        this.opt = opt;
        this.codec = codec;
        this.locked = locked;
        this.slowdown = slowdown;
        this.listener = listener;
        this.hook = hook;
        this.firstEpoch = firstEpoch;
        this.epochs = epochs;
        int n = model.parameterCount();
        this.schedule = BatchSchedule.synchronous(train, id, threads, settings.batch(), settings.seed());
        this.batch = schedule.newBatch();
        this.ws = model.workspace(settings.batch());
        this.grad = new float[n];
        this.local = locked ? new float[n] : null;
        this.decoded = codec != null ? new float[n] : null;
        this.wire = codec != null ? new byte[codec.maxEncodedSize(n)] : null;
        this.lock = run.lock;
    }

    @Override
    public void run() {
        try {
            loop();
        } catch (Throwable t) {
            run.fail(id, t);
        }
    }

    private void loop() throws InterruptedException {
        final Phaser ph = run.phaser;
        final int n = grad.length;
        for (int e = firstEpoch; e < epochs; e++) {
            if (ph.arriveAndAwaitAdvance() < 0) { // go
                return;
            }
            double lossSum = 0;
            long done = 0;
            for (int si = 0; si < spe; si++) {
                if (run.stop) {
                    return;
                }
                long t0 = slowdown > 1 ? System.nanoTime() : 0;
                schedule.fill(batch, e, si);
                double loss;
                float[] g = grad;
                if (locked) {
                    synchronized (lock) {
                        System.arraycopy(shared, 0, local, 0, n);
                    }
                    loss = model.lossAndGradient(local, batch, grad, ws);
                } else {
                    loss = model.lossAndGradient(shared, batch, grad, ws);
                }
                if (codec != null) {
                    int len = codec.encode(grad, 0, n, wire, 0);
                    codec.decode(wire, 0, len, decoded, 0, n);
                    g = decoded;
                }
                if (locked) {
                    synchronized (lock) {
                        opt.step(shared, g);
                    }
                } else {
                    opt.step(shared, g); // racy by design: see HogwildTrainer's class comment
                }
                lossSum += loss;
                done++;
                hook.afterStep(id, e, si);
                if (listener != null) {
                    listener.step(e + 1, si + 1, spe, loss);
                }
                if (slowdown > 1) {
                    sleepNanos((long) ((slowdown - 1) * (System.nanoTime() - t0)));
                }
            }
            epochLoss = lossSum;
            epochSteps = done;
            if (ph.arriveAndAwaitAdvance() < 0) { // end
                return;
            }
        }
    }

    /** Sleeps about {@code nanos}, returning early when the run stops. */
    private void sleepNanos(long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + nanos;
        long left;
        while (!run.stop && (left = deadline - System.nanoTime()) > 0) {
            LockSupport.parkNanos(this, left);
            if (Thread.interrupted()) {
                throw new InterruptedException("straggler sleep interrupted");
            }
        }
    }
}
