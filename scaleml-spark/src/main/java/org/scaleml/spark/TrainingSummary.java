package org.scaleml.spark;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * What a {@link ScaleMLClassifier#fit} run did, epoch by epoch: the same figures as {@code scaleml train --json}
 * prints. Immutable and serializable; saved and loaded with the model.
 *
 * @param runId       the run's id (its checkpoints are under {@code checkpointPath/runId})
 * @param workers     ranks (Spark tasks) that trained
 * @param plan        the gradient exchange's plan, as the trainer described it
 * @param links       how the ranks exchanged frames: {@code memory} (every rank in one JVM), {@code tcp}, or
 *                    {@code memory+tcp} (ranks sharing an executor JVM through memory, TCP between JVMs)
 * @param stageAttempts barrier stage attempts the run took (1 if no task failed)
 * @param epochs      one entry per epoch, in order (after a resumption, every epoch of the run)
 */
public record TrainingSummary(String runId, int workers, String plan, String links, int stageAttempts,
                              List<Epoch> epochs)
        implements Serializable {
    private static final long serialVersionUID = 1L;

    public TrainingSummary {
        epochs = List.copyOf(epochs);
    }

    /**
     * One epoch.
     *
     * @param epoch            1-based epoch number
     * @param steps            global steps completed at its end
     * @param epochSteps       steps in this epoch
     * @param trainLoss        mean training loss over this epoch's steps and all ranks (NaN if it diverged)
     * @param validationAccuracy accuracy on the validation data after the epoch (NaN without validation data)
     * @param seconds          wall time of the epoch's training steps (rank 0; evaluation not included)
     * @param elapsedSeconds   training seconds since the run began (over resumptions)
     * @param bytesSentPerRank payload bytes a rank sent during the epoch's steps, mean over ranks
     * @param totalBytesSentPerRank the same since the run began
     * @param stepsPerSecond   the epoch's steps per second of training time
     * @param paramsIdentical  every rank's parameters were bitwise equal at the end of the epoch
     */
    public record Epoch(int epoch, long steps, int epochSteps, double trainLoss, double validationAccuracy,
                        double seconds, double elapsedSeconds, long bytesSentPerRank, long totalBytesSentPerRank,
                        double stepsPerSecond, boolean paramsIdentical) implements Serializable {
        private static final long serialVersionUID = 1L;

        /** Bytes a rank sent per step in this epoch. */
        public long bytesPerStep() {
            return epochSteps == 0 ? 0 : bytesSentPerRank / epochSteps;
        }
    }

    /** The last epoch, or null if none ran. */
    public Epoch last() {
        return epochs.isEmpty() ? null : epochs.get(epochs.size() - 1);
    }

    @Override
    public String toString() {
        Epoch e = last();
        return String.format(Locale.ROOT, "run %s: %d workers, %d epochs%s", runId, workers, epochs.size(),
                e == null ? "" : String.format(Locale.ROOT, ", last: loss %.4f, validation accuracy %.4f",
                        e.trainLoss(), e.validationAccuracy()));
    }
}
