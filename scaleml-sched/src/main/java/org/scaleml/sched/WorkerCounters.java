package org.scaleml.sched;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/** Padding before a worker's counters, so two workers' counters never share a cache line. */
abstract class WorkerCountersPadBefore {
    long p00, p01, p02, p03, p04, p05, p06, p07;
    long p08, p09, p10, p11, p12, p13, p14, p15;
}

/** The counters: written only by the owning worker (release stores), read by anyone (acquire loads). */
abstract class WorkerCountersFields extends WorkerCountersPadBefore {
    /** Tasks this worker pushed (counted before the insert). Accessed through CREATED. */
    long created;
    /** Task bodies this worker finished (counted after the body and its pushes returned). Through COMPLETED. */
    long completed;
}

/** Padding after the counters. */
abstract class WorkerCountersPadAfter extends WorkerCountersFields {
    long q00, q01, q02, q03, q04, q05, q06, q07;
    long q08, q09, q10, q11, q12, q13, q14, q15;
}

/**
 * One worker's monotone {@code created} and {@code completed} counters, padded against false sharing. The owner
 * increments with a plain read of its own last value and a release store (no read-modify-write, no fence on
 * x86); other threads read with acquire loads. See {@link Scheduler}'s block comment for why this is enough for
 * exact termination detection.
 */
final class WorkerCounters extends WorkerCountersPadAfter {
    private static final VarHandle CREATED;
    private static final VarHandle COMPLETED;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CREATED = l.findVarHandle(WorkerCountersFields.class, "created", long.class);
            COMPLETED = l.findVarHandle(WorkerCountersFields.class, "completed", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Owner only: one more task created; returns nothing, publishes with release. */
    void incrementCreated() {
        CREATED.setRelease(this, created + 1);
    }

    /** Owner only: one more task completed. */
    void incrementCompleted() {
        COMPLETED.setRelease(this, completed + 1);
    }

    long createdAcquire() {
        return (long) CREATED.getAcquire(this);
    }

    long completedAcquire() {
        return (long) COMPLETED.getAcquire(this);
    }
}
