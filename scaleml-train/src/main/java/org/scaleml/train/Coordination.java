package org.scaleml.train;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * How the workers of a data-parallel run coordinate: the trainer, and the elastic options that relax or harden it.
 *
 * @param trainer           {@code sync} (allreduce of gradients every step), {@code local} (local SGD: average
 *                          the models every {@code localSteps} steps), {@code swarm} (SwarmSGD: local steps, then
 *                          pairwise gossip averaging of models with a random partner), {@code hogwild}
 *                          (asynchronous shared-memory SGD: threads of one JVM update one model without locks) or
 *                          {@code partial} (gradients summed by a partial, majority allreduce that does not wait
 *                          for stragglers)
 * @param localSteps        local steps between two averagings ({@code local}, {@code swarm}); 1 for the others
 * @param aggregator        how the gradients of a {@code sync} step are combined: {@code mean} (allreduce), or a
 *                          Byzantine-robust rule over all workers' gradients ({@code median}, {@code trimmed-mean},
 *                          {@code krum}, {@code clip}, each optionally with {@code :key=value} parameters)
 * @param attackers         the last {@code attackers} ranks are simulated Byzantine workers (0: none)
 * @param attack            what an attacker sends instead of its gradient ({@code signflip}, {@code scaled},
 *                          {@code noise}, optionally {@code :scale=X})
 * @param stragglerRank     the rank made slower per step, or -1 for none
 * @param stragglerSlowdown that rank's step takes this many times its compute time (at least 1)
 * @param lockedUpdates     {@code hogwild}: read a consistent copy of the model and update it under one lock (the
 *                          baseline a lock-free run is compared with)
 * @param partialQuorum     {@code partial}: {@code majority} (a round closes when more than half the workers sent
 *                          their gradient) or {@code solo} (the first one)
 * @param workerMomentum    robust aggregation: an SGD optimizer's momentum moves to the workers: each keeps the
 *                          velocity {@code v = mu v + g} of its own gradients and sends it (Nesterov:
 *                          {@code g + mu v}) instead of the gradient, and the aggregate is applied without momentum;
 *                          with plain averaging that is exactly momentum SGD, and it lowers the variance the robust
 *                          rule sees, which is what lets it tell honest workers from attackers without discarding
 *                          much honest signal (Karimireddy, He, Jaggi, ICML 2021)
 */
public record Coordination(String trainer, int localSteps, String aggregator, int attackers, String attack,
                           int stragglerRank, double stragglerSlowdown, boolean lockedUpdates, String partialQuorum,
                           boolean workerMomentum) {
    /** Coordination with worker momentum for robust rules. */
    public Coordination(String trainer, int localSteps, String aggregator, int attackers, String attack,
                        int stragglerRank, double stragglerSlowdown, boolean lockedUpdates, String partialQuorum) {
        this(trainer, localSteps, aggregator, attackers, attack, stragglerRank, stragglerSlowdown, lockedUpdates,
                partialQuorum, !isMean(aggregator));
    }

    /** The trainer names, in the order help texts list them. */
    public static final List<String> TRAINERS = List.of("sync", "local", "swarm", "hogwild", "partial");

    /** Synchronous training with plain averaging, no attackers, no straggler. */
    public static final Coordination SYNC = new Coordination("sync", 1, "mean", 0, "signflip", -1, 1, false,
            "majority");

    public Coordination {
        trainer = Objects.requireNonNull(trainer, "trainer").toLowerCase(Locale.ROOT);
        if (!TRAINERS.contains(trainer)) {
            throw new IllegalArgumentException("unknown trainer '" + trainer + "'; known: " + String.join(", ",
                    TRAINERS));
        }
        Objects.requireNonNull(aggregator, "aggregator");
        Objects.requireNonNull(attack, "attack");
        partialQuorum = Objects.requireNonNull(partialQuorum, "partialQuorum").toLowerCase(Locale.ROOT);
        if (localSteps < 1) {
            throw new IllegalArgumentException("local steps must be at least 1, got " + localSteps);
        }
        if (attackers < 0) {
            throw new IllegalArgumentException("attackers must be at least 0, got " + attackers);
        }
        if (stragglerRank < -1) {
            throw new IllegalArgumentException("straggler rank must be -1 (none) or a rank, got " + stragglerRank);
        }
        if (!(stragglerSlowdown >= 1) || stragglerSlowdown > 1e4) {
            throw new IllegalArgumentException("straggler slowdown must be in [1, 10000], got " + stragglerSlowdown);
        }
        if (!partialQuorum.equals("majority") && !partialQuorum.equals("solo")) {
            throw new IllegalArgumentException("partial quorum must be majority or solo, got '" + partialQuorum + "'");
        }
        if (!trainer.equals("sync") && !isMean(aggregator)) {
            throw new IllegalArgumentException("aggregator " + aggregator + " works with --trainer sync only");
        }
    }

    /** The local steps a trainer takes when none are given: 8 for {@code local}, 2 for {@code swarm}, else 1. */
    public static int defaultLocalSteps(String trainer) {
        String t = trainer.toLowerCase(Locale.ROOT);
        return t.equals("local") ? 8 : t.equals("swarm") ? 2 : 1;
    }

    /** True if the trainer takes local steps between averagings ({@code local}, {@code swarm}). */
    public boolean usesLocalSteps() {
        return usesLocalSteps(trainer);
    }

    /** True if trainer {@code name} takes local steps between averagings. */
    public static boolean usesLocalSteps(String name) {
        return name.equals("local") || name.equals("swarm");
    }

    /** True if gradients are combined by plain averaging. */
    public boolean meanAggregation() {
        return isMean(aggregator);
    }

    private static boolean isMean(String aggregator) {
        return aggregator == null || aggregator.equalsIgnoreCase("mean");
    }

    /** True if rank {@code rank} of {@code world} is a simulated attacker. */
    public boolean isAttacker(int rank, int world) {
        return rank >= world - attackers;
    }

    /** A copy with another trainer. */
    public Coordination withTrainer(String t) {
        return new Coordination(t, localSteps, aggregator, attackers, attack, stragglerRank, stragglerSlowdown,
                lockedUpdates, partialQuorum, workerMomentum);
    }
}
