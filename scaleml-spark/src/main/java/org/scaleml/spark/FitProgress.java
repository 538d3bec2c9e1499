package org.scaleml.spark;

import java.util.function.LongConsumer;

import org.apache.spark.SparkContext;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Progress of a fit on the driver while the barrier stage runs. Rank 0 adds each completed step to an accumulator;
 * executors send running tasks' accumulator values with their heartbeats ({@code spark.executor.heartbeatInterval},
 * 10 s by default), which this listener turns into a log line and the caller's callback; {@link #finish} reports
 * the final count once the stage has succeeded. Closing removes the listener.
 */
final class FitProgress extends SparkListener implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FitProgress.class);

    private final SparkContext sc;
    private final LongAccumulator steps;
    private final String runId;
    private final long total;
    private final LongConsumer callback;
    private long last = -1;

    FitProgress(SparkContext sc, String runId, long total, LongConsumer callback) {
        this.sc = sc;
        this.runId = runId;
        this.total = total;
        this.callback = callback;
        this.steps = sc.longAccumulator("scaleml " + runId + " steps");
        sc.addSparkListener(this);
    }

    /** The accumulator rank 0 adds its steps to. */
    LongAccumulator accumulator() {
        return steps;
    }

    @Override
    public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
        for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> task
                : CollectionConverters.asJava(update.accumUpdates())) {
            for (AccumulableInfo a : CollectionConverters.asJava(task._4())) {
                if (a.id() == steps.id() && a.update().isDefined()) {
                    report(((Number) a.update().get()).longValue());
                }
            }
        }
    }

    private synchronized void report(long done) {
        if (done == last) {
            return;
        }
        last = done;
        LOG.info("ScaleML run {}: step {} of {} ({}%)", runId, done, total, total == 0 ? 0 : 100 * done / total);
        if (callback != null) {
            callback.accept(done);
        }
    }

    /**
     * Reports the final count after the stage succeeded: the accumulator's value on the driver, which Spark merges
     * from the successful tasks before the job returns. So the callback always ends with the run's last step, even
     * when the run was shorter than one heartbeat interval, and on the caller's thread, not the listener bus's.
     */
    void finish() {
        report(steps.value());
    }

    @Override
    public void close() {
        sc.removeSparkListener(this);
    }
}
