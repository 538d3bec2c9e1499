package org.scaleml.concurrent.uf;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.scaleml.common.SpecOptions;
import org.scaleml.concurrent.uf.LockFreeUnionFind.Compaction;
import org.scaleml.concurrent.uf.LockFreeUnionFind.Link;

/**
 * Creates every {@link ConcurrentUnionFind} from a textual specification, so that benchmarks, graph algorithms
 * and the command line switch variant with one flag.
 *
 * <h2>Specification syntax</h2>
 * {@code name} or {@code name:key=value,key=value}:
 * <ul>
 *   <li>{@code uf} (lock-free, [1] Alistarh, Fedorov, Koval, OPODIS 2019):
 *     <ul>
 *       <li>{@code link=index|rank}: hang the lower root under the higher one, ordered by a pseudo-random
 *           permutation of the ids fixed by the seed ({@code index}, default) or by rank packed with the parent
 *           ({@code rank}, at most 2^27 elements)</li>
 *       <li>{@code compact=none|splitting|halving|compression} (default {@code halving})</li>
 *       <li>{@code write=cas|plain}: compaction stores by CAS (default) or by plain release stores (racy but
 *           benign: they only ever replace a parent by an ancestor)</li>
 *       <li>{@code early=true|false}: early recognition in {@code union} (default false; not with
 *           {@code compact=compression})</li>
 *       <li>{@code immediate=true|false}: the immediate-parent check in {@code union} (default false)</li>
 *     </ul></li>
 *   <li>{@code uf-seq}: the sequential reference, union by size and full compression; <b>not thread-safe</b></li>
 *   <li>{@code uf-lock}: union by size under locks; {@code stripes=K} locks chosen by root, 1 to 65536
 *       (default 1: one lock)</li>
 * </ul>
 * Example: {@code uf:link=rank,compact=splitting,write=plain,early=true}. Bad names, keys or values throw
 * {@link IllegalArgumentException} naming what is wrong and what is accepted.
 *
 * <h2>Limits</h2>
 * At most {@link #MAX_ELEMENTS} elements (2^27 with {@code link=rank}). Before allocating, the factory computes
 * the memory the arrays need (4 or 8 bytes per element) and refuses more than half of the maximum heap
 * ({@link Runtime#maxMemory()}) with an {@link IllegalArgumentException} that names the size that would fit.
 */
public final class UnionFinds {
    /** Most elements of any union-find: the largest Java array length that allocates everywhere. */
    public static final int MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final int MAX_STRIPES = 1 << 16;

    private UnionFinds() {
    }

    /** The implementation names accepted by {@link #create}. */
    public static List<String> names() {
        return List.of("uf", "uf-seq", "uf-lock");
    }

    /**
     * A representative set of specifications, the one benchmarks and tests run by default: the sequential and
     * locked baselines, then every linking and compaction of {@code uf}, then the two {@code union}
     * optimizations and plain writes on the default variant.
     */
    public static List<String> variants() {
        List<String> specs = new ArrayList<>(List.of("uf-seq", "uf-lock", "uf-lock:stripes=64"));
        for (String link : List.of("index", "rank")) {
            for (String compact : List.of("none", "splitting", "halving", "compression")) {
                specs.add("uf:link=" + link + ",compact=" + compact);
            }
        }
        specs.add("uf:write=plain");
        specs.add("uf:early=true");
        specs.add("uf:immediate=true");
        specs.add("uf:link=rank,compact=splitting,early=true,immediate=true,write=plain");
        return specs;
    }

    /** Whether the specification names a structure that may be used by several threads at once. */
    public static boolean isThreadSafe(String spec) {
        return !name(spec).equals("uf-seq");
    }

    /**
     * Creates a union-find over the elements {@code 0 .. n-1} from a specification (see the class documentation).
     *
     * @param seed fixes the random priorities of {@code link=index}; ignored by the others
     * @throws IllegalArgumentException on an unknown name, key or value, a bad {@code n}, or arrays that do not fit
     *                                  half of the maximum heap
     */
    public static ConcurrentUnionFind create(String spec, int n, long seed) {
        SpecOptions o = SpecOptions.parse(spec, "union-find", names());
        ConcurrentUnionFind uf;
        switch (o.name()) {
            case "uf": {
                Link link = link(o);
                Compaction compact = choice(o, "compact", Compaction.HALVING, Compaction.values());
                boolean casWrites = o.choice("write", "cas", "cas", "plain").equals("cas");
                boolean early = flag(o, "early");
                boolean immediate = flag(o, "immediate");
                o.noneLeft();
                int max = link == Link.RANK ? LockFreeUnionFind.MAX_RANKED : MAX_ELEMENTS;
                checkSize(spec, n, max, 4);
                try {
                    uf = new LockFreeUnionFind(n, link, compact, early, immediate, casWrites, seed);
                } catch (IllegalArgumentException e) {
                    throw o.invalid(e.getMessage());
                }
                break;
            }
            case "uf-seq":
                o.noneLeft();
                checkSize(spec, n, MAX_ELEMENTS, 8);
                uf = new SequentialUnionFind(n);
                break;
            case "uf-lock": {
                int stripes = o.integer("stripes", 1, 1, MAX_STRIPES);
                o.noneLeft();
                checkSize(spec, n, MAX_ELEMENTS, 8);
                uf = new LockedUnionFind(n, stripes);
                break;
            }
            default:
                throw new IllegalStateException("a known name without a case: " + o.name());
        }
        return uf;
    }

    private static String name(String spec) {
        int colon = spec.indexOf(':');
        return (colon < 0 ? spec : spec.substring(0, colon)).trim().toLowerCase(Locale.ROOT);
    }

    private static void checkSize(String spec, int n, int max, int bytesPerElement) {
        if (n < 0 || n > max) {
            throw new IllegalArgumentException("'" + spec + "' holds 0 to " + max + " elements, got " + n);
        }
        long limit = Runtime.getRuntime().maxMemory() / 2;
        long bytes = (long) n * bytesPerElement;
        if (bytes > limit) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "'%s' with %d elements needs %d MiB (%d bytes per element), more than half of the maximum heap "
                            + "of %d MiB; at most %d elements fit (or raise -Xmx)",
                    spec, n, bytes >> 20, bytesPerElement, Runtime.getRuntime().maxMemory() >> 20,
                    limit / bytesPerElement));
        }
    }

    /** The {@code link} option; {@code size} is refused with the reason. */
    private static Link link(SpecOptions o) {
        try {
            return choice(o, "link", Link.INDEX, Link.values());
        } catch (IllegalArgumentException e) {
            if (e.getMessage().endsWith("got 'size'")) {
                throw new IllegalArgumentException(e.getMessage() + " (link by size is offered by uf-seq and uf-lock "
                        + "only: a lock-free link cannot validate a size)", e);
            }
            throw e;
        }
    }

    /** An enum option, by the lower-case names of {@link LockFreeUnionFind#name}. */
    private static <E extends Enum<E>> E choice(SpecOptions o, String key, E fallback, E[] values) {
        String[] allowed = Arrays.stream(values).map(LockFreeUnionFind::name).toArray(String[]::new);
        String v = o.choice(key, LockFreeUnionFind.name(fallback), allowed);
        return values[Arrays.asList(allowed).indexOf(v)];
    }

    private static boolean flag(SpecOptions o, String key) {
        return o.choice(key, "false", "true", "false").equals("true");
    }
}
