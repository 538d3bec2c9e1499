package org.scaleml.sched;

/**
 * Thrown by {@link Scheduler#run} when a task body (or a partitioned seeder) threw: the run was stopped and its
 * remaining tasks abandoned. The {@linkplain #getCause() cause} is what the body threw; the message names the
 * worker and the task.
 */
public final class TaskExecutionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final long priority;
    private final long payload;

    TaskExecutionException(String message, long priority, long payload, Throwable cause) {
        super(message, cause);
        this.priority = priority;
        this.payload = payload;
    }

    /** Priority of the task whose body threw ({@code 0} if a seeder threw). */
    public long priority() {
        return priority;
    }

    /** Payload of the task whose body threw ({@code 0} if a seeder threw). */
    public long payload() {
        return payload;
    }
}
