package org.scaleml.train;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a data-parallel training run does; the same on every rank of a job.
 *
 * @param model           model specification ({@link org.scaleml.train.model.Models})
 * @param optimizer       optimizer specification ({@link org.scaleml.train.optim.Optimizers})
 * @param codec           gradient codec specification for every large layer, or {@code none}
 * @param minCompressed   layers with fewer elements travel uncompressed
 * @param layerCodecs     per-layer overrides: layer name or {@code prefix*} to a codec specification or {@code none}
 * @param batch           examples per worker per step
 * @param epochs          epochs to train
 * @param maxStepsPerEpoch at most this many steps per epoch (0: a whole pass over the shard)
 * @param seed            seed of initialization, sharding, shuffles and codecs
 * @param checkpointDir   where checkpoints go, or null for none
 * @param checkpointEvery steps between checkpoints (codec streams also restart there; see {@link DataParallelTrainer})
 * @param resume          continue from the newest checkpoint every rank has (the trainer refuses it without a
 *                        checkpoint directory or store). The checkpoint must come from the same settings and the
 *                        same training data (its size and content hash are recorded), except that {@code epochs}
 *                        may be larger than the checkpoint's, to continue a run that finished. The learning-rate
 *                        schedule is laid over {@code epochs} x steps per epoch: a constant or step-decay schedule
 *                        is unaffected, but a cosine schedule is stretched over the new total from the resumed step
 *                        on, so the continued run differs from one started with the larger count (its rate jumps
 *                        up at the resumed step after a finished cosine run reached 0)
 * @param fuseLayers      layers sharing a codec travel in one collective call (see {@link GradientExchange})
 * @param coordination    the trainer and its elastic options ({@link Coordination#SYNC} by default)
 */
public record TrainSettings(String model, String optimizer, String codec, int minCompressed,
                            Map<String, String> layerCodecs, int batch, int epochs, int maxStepsPerEpoch, long seed,
                            Path checkpointDir, int checkpointEvery, boolean resume, boolean fuseLayers,
                            Coordination coordination) {
    /** Synchronous training. */
    public TrainSettings(String model, String optimizer, String codec, int minCompressed,
                         Map<String, String> layerCodecs, int batch, int epochs, int maxStepsPerEpoch, long seed,
                         Path checkpointDir, int checkpointEvery, boolean resume, boolean fuseLayers) {
        this(model, optimizer, codec, minCompressed, layerCodecs, batch, epochs, maxStepsPerEpoch, seed,
                checkpointDir, checkpointEvery, resume, fuseLayers, Coordination.SYNC);
    }

    /** Synchronous training with fused layer groups. */
    public TrainSettings(String model, String optimizer, String codec, int minCompressed,
                         Map<String, String> layerCodecs, int batch, int epochs, int maxStepsPerEpoch, long seed,
                         Path checkpointDir, int checkpointEvery, boolean resume) {
        this(model, optimizer, codec, minCompressed, layerCodecs, batch, epochs, maxStepsPerEpoch, seed,
                checkpointDir, checkpointEvery, resume, true, Coordination.SYNC);
    }

    /** A copy with other coordination. */
    public TrainSettings with(Coordination c) {
        return new TrainSettings(model, optimizer, codec, minCompressed, layerCodecs, batch, epochs,
                maxStepsPerEpoch, seed, checkpointDir, checkpointEvery, resume, fuseLayers, c);
    }

    public TrainSettings {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(optimizer, "optimizer");
        Objects.requireNonNull(coordination, "coordination");
        codec = codec == null ? "none" : codec;
        layerCodecs = Map.copyOf(new LinkedHashMap<>(layerCodecs));
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs must be at least 1, got " + epochs);
        }
        if (minCompressed < 0 || maxStepsPerEpoch < 0) {
            throw new IllegalArgumentException("negative minCompressed or maxStepsPerEpoch");
        }
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + checkpointEvery);
        }
        boolean compressed = !GradientExchange.isNone(codec);
        if (compressed && coordination.trainer().equals("partial")) {
            throw new IllegalArgumentException("the partial trainer sends uncompressed gradients; use codec none");
        }
        if (compressed && !coordination.meanAggregation()) {
            throw new IllegalArgumentException("the " + coordination.aggregator() + " aggregator gathers every "
                    + "gradient uncompressed; use codec none (or aggregator mean)");
        }
        String trainer = coordination.trainer();
        if (LayerwisePlanner.Spec.isAdaptive(codec) && (trainer.equals("swarm") || trainer.equals("hogwild"))) {
            throw new IllegalArgumentException("the layer-wise adaptive plan averages gradients or model changes "
                    + "(sync, local); " + trainer + " takes a codec such as qsgd:bits=8");
        }
    }
}
