package org.scaleml.train;

import org.scaleml.train.optim.Optimizers;
import org.scaleml.train.robust.Aggregators;
import org.scaleml.train.robust.Attack;

/**
 * The communication and update of one step under one {@link Coordination}: what {@link DataParallelTrainer} does
 * with a gradient once it is computed, plus the coordination's share of epoch ends, checkpoints and reports. The
 * defaults suit a coordination that keeps no state of its own and promises identical parameters on every rank.
 *
 * <p>Not thread-safe: one instance per rank and run, called on the rank's own thread in the same order on every
 * rank (the steps issue collectives).
 */
abstract class CoordinationStep {
    final StepContext run;

    CoordinationStep(StepContext run) {
        this.run = run;
    }

    /**
     * The step of coordination {@code c} for this rank's run.
     *
     * @param attack         this rank's attack, or null for an honest rank
     * @param workerMomentum the momentum a robust rule moves from the optimizer to the workers (0 for none)
     * @param codec          the job's codec specification (SwarmSGD quantizes the models with it)
     * @param seed           the run's seed
     */
    static CoordinationStep create(StepContext run, Coordination c, int world, Attack attack,
                                   Optimizers.SplitMomentum workerMomentum, String codec, long seed) {
        switch (c.trainer()) {
            case "sync":
                return c.meanAggregation() ? new MeanStep(run)
                        : new RobustStep(run, Aggregators.create(c.aggregator(), world, c.attackers()),
                        workerMomentum.momentum(), workerMomentum.nesterov(), attack);
            case "local":
                return new LocalStep(run, c.localSteps());
            case "swarm":
                return new SwarmStep(run, c.localSteps(), GradientExchange.isNone(codec) ? null : codec,
                        TrainingResume.restartSeed(seed, 0));
            case "partial":
                return new PartialStep(run, c.partialQuorum());
            default:
                throw new IllegalArgumentException("trainer " + c.trainer() + " does not run on a communicator");
        }
    }

    /**
     * Before computing a step's gradient: true if the step was taken without computing one (a partial round
     * that closed without this rank).
     */
    boolean catchUp() {
        return false;
    }

    /** Communicates {@code grad} (this rank's gradient of step {@code step}) and updates the parameters. */
    abstract void apply(float[] grad, long step);

    /**
     * At an epoch's end, after its last step {@code step}: make the models consistent if the coordination
     * promises it.
     */
    void endEpoch(long step) {
    }

    /** True if the step applies the attack itself (to what it sends), instead of the trainer to the gradient. */
    boolean attacksItself() {
        return false;
    }

    /** True if every rank's parameters are identical at epoch ends. */
    boolean identical() {
        return true;
    }

    /** The exchange's and the coordination's plan, for the report. */
    String describe() {
        return run.ex.describe();
    }

    /** At a checkpoint step: restart codec streams (from a seed derived from the step). */
    void restart(long seed) {
        run.ex.restart(seed);
    }

    /** True if a checkpoint may be written now, at an epoch's end or not. */
    boolean canCheckpoint(boolean epochEnd) {
        return true;
    }

    /** The coordination's own state for a checkpoint (copies). */
    float[][] state() {
        return new float[0][];
    }

    /**
     * Restores what {@link #state()} returned.
     *
     * @throws Checkpoint.CheckpointException if the state does not fit this step
     */
    void restore(float[][] state) {
        if (state.length != 0) {
            throw new Checkpoint.CheckpointException("the checkpoint holds " + state.length
                    + " trainer arrays, this trainer keeps none");
        }
    }

    /** Releases the step's resources (threads); idempotent. */
    void close() {
    }
}
