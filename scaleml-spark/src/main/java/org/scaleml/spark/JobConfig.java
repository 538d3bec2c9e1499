package org.scaleml.spark;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.scaleml.train.Coordination;
import org.scaleml.train.TrainSettings;

/**
 * Everything a barrier task needs to run its rank, fixed on the driver and shipped in the task closure: the
 * training settings as spec strings, the data's shape, where checkpoints go, the job's secret and the listener's
 * port range. Immutable; serializable (the settings' own record holds a {@link java.nio.file.Path} and is rebuilt on
 * the executor by {@link #settings}).
 */
final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    final String runId;
    final int workers;
    final String model;
    final String optimizer;
    final String codec;
    final int minCompressed;
    final LinkedHashMap<String, String> layerCodecs;
    final String trainer;
    final int localSteps;
    final String aggregator;
    final int batch;
    final int epochs;
    final int maxStepsPerEpoch;
    final long seed;
    final int features;
    final int classes;
    final int[] shape;
    /** Hadoop path of this run's checkpoints ({@code checkpointPath/runId}), or null for none. */
    final String checkpointDir;
    final int checkpointEvery;
    /** The job's shared secret; travels in the task closure (see the README's security model). */
    final byte[] secret;
    final int portFrom;
    final int portTo;
    /** Time limit of every blocking network call, and of connecting. */
    final long timeoutMillis;
    final long connectTimeoutMillis;
    /** Test hook: on the first stage attempt, rank {@code failRank} throws after step {@code failStep} (-1: never). */
    final int failRank;
    final long failStep;
    /** Test hook: on the first stage attempt, rank {@code hangRank} blocks in a socket read at step 1 (-1: never). */
    final int hangRank;
    /** Ranks that find themselves all in one JVM talk through an in-process network ({@link SharedNetworks}). */
    final boolean sharedMemory;
    /** Random per fit: tells apart the in-process networks of two fits that share a run id (a resumed run). */
    final long fitNonce = new java.security.SecureRandom().nextLong();

    JobConfig(String runId, int workers, String model, String optimizer, String codec, int minCompressed,
              Map<String, String> layerCodecs, String trainer, int localSteps, String aggregator, int batch,
              int epochs, int maxStepsPerEpoch, long seed, int features, int classes, int[] shape,
              String checkpointDir, int checkpointEvery, byte[] secret, int portFrom, int portTo,
              long timeoutMillis, long connectTimeoutMillis, int failRank, long failStep, int hangRank,
              boolean sharedMemory) {
        this.runId = runId;
        this.workers = workers;
        this.model = model;
        this.optimizer = optimizer;
        this.codec = codec;
        this.minCompressed = minCompressed;
        this.layerCodecs = new LinkedHashMap<>(layerCodecs);
        this.trainer = trainer;
        this.localSteps = localSteps;
        this.aggregator = aggregator;
        this.batch = batch;
        this.epochs = epochs;
        this.maxStepsPerEpoch = maxStepsPerEpoch;
        this.seed = seed;
        this.features = features;
        this.classes = classes;
        this.shape = shape.clone();
        this.checkpointDir = checkpointDir;
        this.checkpointEvery = checkpointEvery;
        this.secret = secret.clone();
        this.portFrom = portFrom;
        this.portTo = portTo;
        this.timeoutMillis = timeoutMillis;
        this.connectTimeoutMillis = connectTimeoutMillis;
        this.failRank = failRank;
        this.failStep = failStep;
        this.hangRank = hangRank;
        this.sharedMemory = sharedMemory;
    }

    /** The trainer's settings: resuming from this run's checkpoints whenever a checkpoint path is set. */
    TrainSettings settings() {
        return new TrainSettings(model, optimizer, codec, minCompressed, layerCodecs, batch, epochs, maxStepsPerEpoch,
                seed, null, checkpointEvery, checkpointDir != null, true, coordination(trainer, localSteps,
                aggregator));
    }

    /** The coordination of a cluster run: no simulated attackers or stragglers. */
    static Coordination coordination(String trainer, int localSteps, String aggregator) {
        boolean mean = aggregator == null || aggregator.equalsIgnoreCase("mean");
        return new Coordination(trainer, localSteps, aggregator, 0, "signflip", -1, 1, false, "majority", !mean);
    }
}
