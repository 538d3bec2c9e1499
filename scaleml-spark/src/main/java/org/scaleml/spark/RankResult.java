package org.scaleml.spark;

import java.io.Serializable;

/**
 * What rank 0's barrier task returns to the driver: the trained parameters (or, for a large model, the path they
 * were written to) and the summary.
 */
final class RankResult implements Serializable {
    private static final long serialVersionUID = 1L;

    final float[] params;
    /** Hadoop path of the parameters when they were too large to travel as a task result, else null. */
    final String paramsPath;
    final TrainingSummary summary;
    final int stageAttempt;

    RankResult(float[] params, String paramsPath, TrainingSummary summary, int stageAttempt) {
        this.params = params;
        this.paramsPath = paramsPath;
        this.summary = summary;
        this.stageAttempt = stageAttempt;
    }
}
