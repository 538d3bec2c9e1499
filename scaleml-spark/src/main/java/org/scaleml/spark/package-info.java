/**
 * Training on a Spark 4 cluster: {@link org.scaleml.spark.ScaleMLClassifier}, a Spark ML estimator that runs
 * ScaleML's data-parallel trainers in one barrier stage, and {@link org.scaleml.spark.ScaleMLClassificationModel},
 * the model it returns; {@code TrainJob} is the {@code spark-submit} entry point.
 *
 * <p>Design choices that hold across the package:
 * <ul>
 *   <li><b>Spark places and launches, ScaleML communicates.</b> Spark decides where the workers run, starts them
 *       (one barrier task per worker, partition r = rank r) and retries a failed attempt; the gradients travel over
 *       ScaleML's own authenticated TCP collectives, never through Spark's shuffle or driver. The only Spark
 *       rendezvous is one {@code allGather} of listener addresses per stage attempt (it costs about a second).</li>
 *   <li><b>Fail on the driver, in seconds.</b> Everything that can be checked before the stage (column types,
 *       labels, vector sizes, settings, dynamic allocation, free slots, a writable checkpoint path) is, because a
 *       barrier task that fails on bad input would be retried by Spark several times before the job fails.</li>
 *   <li><b>Deterministic parts.</b> Partition membership comes from Spark's round-robin repartition (sorted before
 *       the shuffle, so stable across attempts) and the rows inside a partition are put in a canonical content
 *       order; with checkpoints under {@code checkpointPath/runId}, a retried stage resumes into bitwise the run it
 *       interrupted (for the deterministic trainers: sync, local, swarm).</li>
 *   <li><b>No hung stage.</b> A watchdog per task turns Spark's kill flag into an abort of the task's connections,
 *       since Spark does not unblock a task blocked in a socket call when a sibling fails.</li>
 *   <li><b>Spark is provided.</b> Spark and Scala are {@code provided}: the shaded {@code scaleml-spark.jar} holds
 *       ScaleML only, and ScaleML's CLI does not depend on this module.</li>
 * </ul>
 */
package org.scaleml.spark;
