package org.scaleml.concurrent.map;

import java.util.List;
import java.util.Locale;

import org.scaleml.common.SpecOptions;

/**
 * Creates every {@link ConcurrentLongMap} from a textual specification, so that benchmarks, tests and the command
 * line switch implementation with one flag.
 *
 * <h2>Specification syntax</h2>
 * {@code name} or {@code name:key=value,key=value}:
 * <ul>
 *   <li>{@code cist}: the lock-free interpolation search tree with collaborative rebuilding ([1] Brown, Prokopec,
 *       Alistarh, PPoPP 2020):
 *     <ul>
 *       <li>{@code leaf=L}: most keys in one leaf array, 2 to 256 (default {@value #CIST_LEAF}); rebuilt
 *           subtrees fill leaves to half of it</li>
 *       <li>{@code rebuild=F}: a subtree is rebuilt after {@code F} times as many updates as it held keys when it
 *           was built, 0.01 to 100 (default {@value #CIST_REBUILD}: on 1M keys at 2 threads, 0.5 rebuilt the
 *           subtrees of popular keys so often that Zipf 50-25-25 ran at half the speed, and 4 left split leaves in
 *           place so long that uniform 90-5-5 did)</li>
 *     </ul></li>
 *   <li>{@code splay}: the splay-list ([2] Aksenov, Alistarh, Drozdova, Mohtashami, DISC 2020):
 *     <ul>
 *       <li>{@code sample=S}: a lookup updates the access counters (and may move keys up or down) with
 *           probability 1/S, S a power of two from 1 to 65536 (default {@value #SPLAY_SAMPLE})</li>
 *       <li>{@code levels=H}: most index levels, 4 to 62 (default {@value #SPLAY_LEVELS})</li>
 *     </ul></li>
 *   <li>{@code skiplist}: {@link java.util.concurrent.ConcurrentSkipListMap}{@code <Long,Long>} behind the
 *       interface (boxing on every call): the JDK baseline</li>
 *   <li>{@code locked-tree}: a primitive AVL tree on {@code long}/{@code int} arrays under a
 *       {@link java.util.concurrent.locks.StampedLock}; {@code optimistic=true|false}: lookups first try an
 *       optimistic (lock-free, validated) read (default true)</li>
 *   <li>{@code tree-seq}: the same AVL tree without any lock, the sequential reference; <b>not thread-safe</b></li>
 * </ul>
 * Example: {@code cist:leaf=8,rebuild=0.25}. Names and keys are case-insensitive. Bad names, keys or values throw
 * {@link IllegalArgumentException} naming what is wrong and what is accepted.
 */
public final class LongMaps {
    /** Default {@code leaf} of {@code cist}. */
    public static final int CIST_LEAF = 16;
    /** Default {@code rebuild} of {@code cist}. */
    public static final double CIST_REBUILD = 1.0;
    /** Default {@code sample} of {@code splay}. */
    public static final int SPLAY_SAMPLE = 16;
    /** Default {@code levels} of {@code splay}. */
    public static final int SPLAY_LEVELS = 48;

    private LongMaps() {
    }

    /** The implementation names accepted by {@link #create}. */
    public static List<String> names() {
        return List.of("cist", "splay", "skiplist", "locked-tree", "tree-seq");
    }

    /** The default specification of every implementation: what benchmarks run when not told otherwise. */
    public static List<String> variants() {
        return names();
    }

    /** The thread-safe implementations among {@link #variants()}. */
    public static List<String> threadSafeVariants() {
        return variants().stream().filter(LongMaps::isThreadSafe).toList();
    }

    /** Whether the specification names a map that may be used by several threads at once. */
    public static boolean isThreadSafe(String spec) {
        return !name(spec == null ? "" : spec).equals("tree-seq");
    }

    /**
     * Creates an empty map from a specification (see the class documentation).
     *
     * @throws IllegalArgumentException on an empty specification, an unknown name or key, or a bad value
     */
    public static ConcurrentLongMap create(String spec) {
        SpecOptions s = SpecOptions.parse(spec, "map", names());
        ConcurrentLongMap map;
        switch (s.name()) {
            case "cist": {
                int leaf = s.integer("leaf", CIST_LEAF, 2, 256);
                double rebuild = s.real("rebuild", CIST_REBUILD, 0.01, 100);
                s.noneLeft();
                map = new InterpolationSearchTree(leaf, rebuild);
                break;
            }
            case "splay": {
                int sample = s.integer("sample", SPLAY_SAMPLE, 1, 1 << 16);
                if (Integer.bitCount(sample) != 1) {
                    throw s.invalid("sample must be a power of two from 1 to 65536, got '" + sample + "'");
                }
                int levels = s.integer("levels", SPLAY_LEVELS, 4, 62);
                s.noneLeft();
                map = new SplayList(sample, levels);
                break;
            }
            case "skiplist":
                s.noneLeft();
                map = new SkipListLongMap();
                break;
            case "locked-tree": {
                boolean optimistic = s.bool("optimistic", true);
                s.noneLeft();
                map = new LockedTreeMap(optimistic);
                break;
            }
            case "tree-seq":
                s.noneLeft();
                map = new AvlTreeMap();
                break;
            default:
                throw new IllegalStateException("a known name without a case: " + s.name());
        }
        return map;
    }

    private static String name(String spec) {
        int colon = spec.indexOf(':');
        return (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }
}
