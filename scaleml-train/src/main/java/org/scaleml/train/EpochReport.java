package org.scaleml.train;

/**
 * What one epoch of a data-parallel run did, as rank 0 reports it.
 *
 * @param epoch            1-based epoch number
 * @param steps            global steps completed at its end
 * @param epochSteps       steps in this epoch
 * @param trainLoss        mean training loss over this epoch's steps and all ranks
 * @param testAccuracy     accuracy on the whole test set after the epoch
 * @param seconds          wall time of this epoch's training steps (rank 0; evaluation not included)
 * @param elapsedSeconds   training seconds since the run began (over resumptions)
 * @param bytesSentPerRank payload bytes a rank sent during this epoch's steps, mean over ranks
 * @param totalBytesSentPerRank the same since the run began
 * @param stepsPerSecond   this epoch's steps per second of training time
 * @param paramsIdentical  every rank's parameters were bitwise equal at the end of the epoch (checked)
 */
public record EpochReport(int epoch, long steps, int epochSteps, double trainLoss, double testAccuracy,
                          double seconds, double elapsedSeconds, long bytesSentPerRank, long totalBytesSentPerRank,
                          double stepsPerSecond, boolean paramsIdentical) {
}
