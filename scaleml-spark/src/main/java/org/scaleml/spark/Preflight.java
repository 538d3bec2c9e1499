package org.scaleml.spark;

import java.util.concurrent.TimeUnit;

import org.apache.spark.SparkConf;
import org.apache.spark.SparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks on the driver, before any job runs, that a barrier stage of {@code workers} tasks can start, so that a
 * misfit fails in seconds with one clear message instead of Spark's minutes of retrying its slot check (by default
 * 40 times 15 s) or its refusal deep inside the scheduler.
 */
final class Preflight {
    private static final Logger LOG = LoggerFactory.getLogger(Preflight.class);
    /** How long to wait for executors to register when the cluster has too few slots (not in local mode). */
    static final String SLOT_WAIT = "spark.scaleml.slotWaitSeconds";

    private Preflight() {
    }

    /**
     * @throws IllegalArgumentException naming the setting at fault: dynamic allocation on, or fewer free task slots
     *                               than workers (after waiting up to {@code spark.scaleml.slotWaitSeconds}, 30 s
     *                               by default, for executors to register; not in {@code local} mode)
     */
    static void check(SparkContext sc, int workers) {
        check(sc.getConf(), sc.master(), () -> slots(sc), workers);
    }

    /** {@link #check(SparkContext, int)} on a configuration, a master URL and a count of free slots. */
    static void check(SparkConf conf, String master, java.util.function.IntSupplier freeSlots, int workers) {
        if (conf.getBoolean("spark.dynamicAllocation.enabled", false)) {
            throw new IllegalArgumentException("spark.dynamicAllocation.enabled is true, which Spark's barrier mode "
                    + "refuses; set it to false for the ScaleML training job (and give it at least " + workers
                    + " task slots)");
        }
        int taskCpus = conf.getInt("spark.task.cpus", 1);
        boolean local = master.startsWith("local") && !master.startsWith("local-cluster");
        long waitNanos = local ? 0 : TimeUnit.SECONDS.toNanos(conf.getLong(SLOT_WAIT, 30));
        long deadline = System.nanoTime() + waitNanos;
        int slots = freeSlots.getAsInt();
        while (slots < workers && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for executors", e);
            }
            slots = freeSlots.getAsInt();
        }
        if (slots < workers) {
            throw new IllegalArgumentException("numWorkers is " + workers + " but the cluster (" + master + ") has "
                    + slots + " task slot" + (slots == 1 ? "" : "s") + " (executor cores / spark.task.cpus = "
                    + taskCpus + ")" + (local ? "" : " after waiting " + TimeUnit.NANOSECONDS.toSeconds(waitNanos)
                    + " s for executors") + "; a barrier stage needs one slot per worker at once: lower numWorkers "
                    + "or add executors or cores");
        }
        LOG.info("ScaleML preflight: {} workers on {} free task slots; each worker computes on one thread "
                + "(spark.task.cpus = {})", workers, slots, taskCpus);
    }

    /** The task slots of the cluster's default resource profile, as barrier scheduling counts them. */
    static int slots(SparkContext sc) {
        return sc.maxNumConcurrentTasks(sc.resourceProfileManager().defaultResourceProfile());
    }
}
