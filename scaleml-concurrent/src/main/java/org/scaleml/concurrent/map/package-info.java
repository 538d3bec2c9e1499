/**
 * Concurrent ordered maps from {@code long} keys to {@code long} values, distribution-adaptive and baseline.
 *
 * <p>One interface, {@link org.scaleml.concurrent.map.ConcurrentLongMap}, serves the lock-free interpolation
 * search tree with collaborative rebuilding (C-IST; Brown, Prokopec and Alistarh, PPoPP 2020: O(log log n) expected
 * lookups on smooth key distributions), the splay-list (Aksenov, Alistarh, Drozdova and Mohtashami, DISC 2020:
 * keys read often move up, so a key read with frequency p costs O(log 1/p) steps), and the baselines: the JDK's
 * {@code ConcurrentSkipListMap<Long,Long>}, a primitive AVL tree under a {@code StampedLock}, and the same tree
 * without a lock as the sequential reference. All are created from a specification string by
 * {@link org.scaleml.concurrent.map.LongMaps#create}, so a baseline is one flag away;
 * {@link org.scaleml.concurrent.map.MapWorkload} is the benchmark workload the command line and JMH share.
 *
 * <p>Design choices across the package: no boxing and no per-operation allocation on lookups (keys and values
 * live in primitive arrays or primitive fields); absence is {@code NO_VALUE} ({@code Long.MIN_VALUE}), which no
 * map stores; point operations and {@code ceiling}/{@code floor} are linearizable (checked with Lincheck for every
 * thread-safe map) while range counts, range iteration and {@code size} are weakly consistent; memory ordering goes
 * through {@code VarHandle}s or volatile fields, with acquiring reads of published structure and CAS or release
 * writes that publish it. Implementation classes are package-private.
 */
package org.scaleml.concurrent.map;
