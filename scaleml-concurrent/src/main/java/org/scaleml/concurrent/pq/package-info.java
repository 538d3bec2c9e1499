/**
 * Concurrent priority queues on primitives, exact and relaxed, behind one interface.
 *
 * <p>Design choices that hold across the package:
 * <ul>
 *   <li>Elements are {@code (long priority, long payload)} pairs; hot paths never box and never allocate per
 *       element (the JDK-based exact baselines excepted, which is part of why they are slow).</li>
 *   <li>Threads work through per-thread {@link org.scaleml.concurrent.pq.ConcurrentPriorityQueue.Handle}s, which
 *       hold random state, sticky choices and buffers; the queue object holds only shared state.</li>
 *   <li>Relaxed queues are built from {@code LockableHeap}s: sequential d-ary heaps behind try-locks with a
 *       published top priority, read without locking to make two-choice decisions.</li>
 *   <li>Memory ordering is explicit through {@link java.lang.invoke.VarHandle}s (acquire/release/opaque); hot
 *       per-heap fields are padded against false sharing.</li>
 *   <li>Every implementation is created by {@link org.scaleml.concurrent.pq.PriorityQueues}, by method or by a
 *       textual specification, so that any algorithm can run on any queue and a baseline is one flag away.</li>
 *   <li>Implementations are package-private and final; the public surface is the interface, the factory and the
 *       configuration records.</li>
 * </ul>
 */
package org.scaleml.concurrent.pq;
