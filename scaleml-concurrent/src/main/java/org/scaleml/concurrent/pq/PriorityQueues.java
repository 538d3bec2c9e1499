package org.scaleml.concurrent.pq;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Creates every {@link ConcurrentPriorityQueue} implementation, directly or from a textual specification, so
 * that schedulers, benchmarks and the command line can switch implementation with one flag.
 *
 * <h2>Specification syntax</h2>
 * {@code name} or {@code name:key=value,key=value}. Names and keys:
 * <ul>
 *   <li>{@code heap} (exact; one locked d-ary heap): {@code d} arity</li>
 *   <li>{@code skiplist} (exact; {@code ConcurrentSkipListMap})</li>
 *   <li>{@code pbq} (exact; {@code PriorityBlockingQueue})</li>
 *   <li>{@code mq} (relaxed; classic MultiQueue): {@code c}, {@code d}, {@code stick}, {@code ibuf},
 *       {@code dbuf}; defaults {@link MultiQueueConfig#CLASSIC}</li>
 *   <li>{@code mq-tl} (relaxed; MultiQueue with temporal locality): same keys; defaults
 *       {@link MultiQueueConfig#TEMPORAL_LOCALITY}</li>
 *   <li>{@code smq} (relaxed; stealing MultiQueue): {@code d}, {@code psteal}, {@code batch}; defaults
 *       {@link StealingConfig#DEFAULT}</li>
 *   <li>{@code obim} (relaxed; OBIM bucketed chunks, ordered by {@code priority >> delta}): {@code delta} in
 *       [0, 62] (default 10), {@code chunk} elements per chunk (default 64)</li>
 * </ul>
 * Example: {@code mq:c=4,d=8}, {@code smq:psteal=0.25,batch=16} or {@code obim:delta=0,chunk=16}. Bad names,
 * keys or values throw {@link IllegalArgumentException} with a message that says what was wrong and what is
 * accepted.
 *
 * <h2>Limits</h2>
 * Arities {@code d} are 2 to 65536; buffer, batch and chunk sizes at most 2^24 elements. Beyond that, every queue
 * computes the memory its parameters imply for the given number of threads before it allocates anything (heaps of
 * 1024 initial elements, per-thread buffers, OBIM's worst case of partly filled chunks) and refuses a
 * configuration that needs more than half of the maximum heap ({@link Runtime#maxMemory()}), naming the
 * parameter, the memory it needs and the values that would fit. So {@code mq:c=1000000} or
 * {@code obim:chunk=100000000} fail with an {@link IllegalArgumentException}, not an {@link OutOfMemoryError}.
 */
public final class PriorityQueues {
    private PriorityQueues() {
    }

    /** The implementation names accepted by {@link #create}, exact ones first. */
    public static List<String> names() {
        return List.of("heap", "skiplist", "pbq", "mq", "mq-tl", "smq", "obim");
    }

    /** The coarse-locked d-ary heap (exact). */
    public static ConcurrentPriorityQueue lockedHeap(int arity) {
        Checks.arity("arity (d)", arity);
        return new LockedHeapQueue(arity);
    }

    /** A queue on {@code ConcurrentSkipListMap} (exact). */
    public static ConcurrentPriorityQueue skipList() {
        return new SkipListQueue();
    }

    /** An adapter over {@code PriorityBlockingQueue} (exact). */
    public static ConcurrentPriorityQueue priorityBlockingQueue() {
        return new BlockingQueueAdapter();
    }

    /** A MultiQueue of {@code config.queuesPerThread() * threads} heaps (relaxed). */
    public static ConcurrentPriorityQueue multiQueue(int threads, MultiQueueConfig config, long seed) {
        Checks.atLeast("threads", threads, 1);
        return new MultiQueue(threads, config, seed);
    }

    /** A stealing MultiQueue with one heap per thread (relaxed). */
    public static ConcurrentPriorityQueue stealingMultiQueue(int threads, StealingConfig config, long seed) {
        Checks.atLeast("threads", threads, 1);
        return new StealingMultiQueue(threads, config, seed);
    }

    /**
     * An OBIM queue (relaxed): buckets of {@code priority >> delta}, {@code chunkSize} elements per chunk.
     *
     * @throws IllegalArgumentException if {@code delta} is outside [0, 62], {@code chunkSize} outside [1, 2^24], or
     *                                  one handle's worst-case chunks do not fit half of the maximum heap
     */
    public static ConcurrentPriorityQueue obim(int delta, int chunkSize) {
        return new ObimQueue(delta, chunkSize);
    }

    /**
     * Creates a queue from a specification (see the class documentation) sized for {@code threads} threads.
     *
     * @throws IllegalArgumentException on an unknown name or key, a malformed value or an out-of-range parameter
     */
    public static ConcurrentPriorityQueue create(String spec, int threads, long seed) {
        if (spec == null || spec.isBlank()) {
            throw new IllegalArgumentException("empty queue specification; known queues: " + String.join(", ", names()));
        }
        Checks.atLeast("threads", threads, 1);
        int colon = spec.indexOf(':');
        String name = (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
        Params p = new Params(spec, colon < 0 ? "" : spec.substring(colon + 1));
        try {
            return createNamed(name, p, threads, seed);
        } catch (IllegalArgumentException e) {
            if (e.getMessage() != null && e.getMessage().contains("'" + spec + "'")) {
                throw e;
            }
            throw new IllegalArgumentException("invalid queue specification '" + spec + "': " + e.getMessage(), e);
        }
    }

    private static ConcurrentPriorityQueue createNamed(String name, Params p, int threads, long seed) {
        String spec = p.spec;
        ConcurrentPriorityQueue q;
        switch (name) {
            case "heap":
                q = lockedHeap(p.intValue("d", 4));
                break;
            case "skiplist":
                q = skipList();
                break;
            case "pbq":
                q = priorityBlockingQueue();
                break;
            case "mq":
            case "mq-tl": {
                MultiQueueConfig base = name.equals("mq") ? MultiQueueConfig.CLASSIC : MultiQueueConfig.TEMPORAL_LOCALITY;
                q = multiQueue(threads, new MultiQueueConfig(
                        p.intValue("c", base.queuesPerThread()),
                        p.intValue("d", base.arity()),
                        p.intValue("stick", base.stickiness()),
                        p.intValue("ibuf", base.insertBuffer()),
                        p.intValue("dbuf", base.deleteBuffer())), seed);
                break;
            }
            case "smq": {
                StealingConfig base = StealingConfig.DEFAULT;
                q = stealingMultiQueue(threads, new StealingConfig(
                        p.intValue("d", base.arity()),
                        p.doubleValue("psteal", base.pSteal()),
                        p.intValue("batch", base.batch())), seed);
                break;
            }
            case "obim":
                q = new ObimQueue(p.intValue("delta", ObimQueue.DEFAULT_DELTA),
                        p.intValue("chunk", ObimQueue.DEFAULT_CHUNK), threads);
                break;
            default:
                throw new IllegalArgumentException("unknown queue '" + name + "' in '" + spec
                        + "'; known queues: " + String.join(", ", names()));
        }
        p.rejectUnused(name);
        return q;
    }

    /** key=value pairs of a specification, tracking which keys were read so unknown ones can be rejected. */
    private static final class Params {
        private final String spec;
        private final Map<String, String> values = new LinkedHashMap<>();

        Params(String spec, String text) {
            this.spec = spec;
            if (text.isBlank()) {
                return;
            }
            for (String part : text.split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0 || eq == part.length() - 1) {
                    throw new IllegalArgumentException("malformed parameter '" + part.trim() + "' in '" + spec
                            + "'; expected key=value");
                }
                String key = part.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                if (values.put(key, part.substring(eq + 1).trim()) != null) {
                    throw new IllegalArgumentException("parameter '" + key + "' given twice in '" + spec + "'");
                }
            }
        }

        int intValue(String key, int def) {
            String v = values.remove(key);
            if (v == null) {
                return def;
            }
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter '" + key + "' in '" + spec + "' must be an integer, got '" + v + "'");
            }
        }

        double doubleValue(String key, double def) {
            String v = values.remove(key);
            if (v == null) {
                return def;
            }
            try {
                return Double.parseDouble(v);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("parameter '" + key + "' in '" + spec + "' must be a number, got '" + v + "'");
            }
        }

        void rejectUnused(String name) {
            if (!values.isEmpty()) {
                throw new IllegalArgumentException("unknown parameter(s) " + values.keySet() + " for queue '" + name
                        + "' in '" + spec + "'");
            }
        }
    }
}
