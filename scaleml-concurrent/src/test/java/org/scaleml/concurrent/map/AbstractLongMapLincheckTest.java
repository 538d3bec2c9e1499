package org.scaleml.concurrent.map;

import java.util.Map;
import java.util.TreeMap;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.scaleml.concurrent.map.ConcurrentLongMap.KeyResult;

/**
 * Linearizability of a thread-safe {@link ConcurrentLongMap} against a sequential {@link TreeMap}, with Lincheck's
 * model checker and its stress strategy, over the linearizable operations: {@code get}, {@code put},
 * {@code putIfAbsent}, {@code remove}, {@code ceiling} and {@code floor}. Keys range over a handful of values so that
 * operations collide; the generated ends of the range stand for {@code Long.MIN_VALUE} and {@code Long.MAX_VALUE}.
 * One subclass per implementation (and per configuration that takes other paths, such as tiny C-IST leaves that
 * split and rebuild within a few operations).
 *
 * <p>The default configurations are small so that each test takes seconds; the larger ones carry the
 * {@code stress} tag.
 */
public abstract class AbstractLongMapLincheckTest {
    private final ConcurrentLongMap map = LongMaps.create(spec());

    /** Specification of the map under test. */
    protected abstract String spec();

    /** Generated values -3..3 become keys; the ends are the extreme longs. */
    static long key(int k) {
        return k == -3 ? Long.MIN_VALUE : k == 3 ? Long.MAX_VALUE : k;
    }

    @Operation
    public long get(@Param(gen = IntGen.class, conf = "-3:3") int k) {
        return map.get(key(k));
    }

    @Operation
    public long put(@Param(gen = IntGen.class, conf = "-3:3") int k, @Param(gen = IntGen.class, conf = "1:3") int v) {
        return map.put(key(k), v);
    }

    @Operation
    public long putIfAbsent(@Param(gen = IntGen.class, conf = "-3:3") int k,
                            @Param(gen = IntGen.class, conf = "1:3") int v) {
        return map.putIfAbsent(key(k), v);
    }

    @Operation
    public long remove(@Param(gen = IntGen.class, conf = "-3:3") int k) {
        return map.remove(key(k));
    }

    @Operation
    public String ceiling(@Param(gen = IntGen.class, conf = "-3:3") int k) {
        KeyResult out = new KeyResult();
        return map.ceiling(key(k), out) ? out.key + "=" + out.value : "none";
    }

    @Operation
    public String floor(@Param(gen = IntGen.class, conf = "-3:3") int k) {
        KeyResult out = new KeyResult();
        return map.floor(key(k), out) ? out.key + "=" + out.value : "none";
    }

    /** The sequential specification. */
    public static class Model {
        private final TreeMap<Long, Long> m = new TreeMap<>();

        private static long or(Long v) {
            return v == null ? ConcurrentLongMap.NO_VALUE : v;
        }

        private static String entry(Map.Entry<Long, Long> e) {
            return e == null ? "none" : e.getKey() + "=" + e.getValue();
        }

        public long get(int k) {
            return or(m.get(key(k)));
        }

        public long put(int k, int v) {
            return or(m.put(key(k), (long) v));
        }

        public long putIfAbsent(int k, int v) {
            return or(m.putIfAbsent(key(k), (long) v));
        }

        public long remove(int k) {
            return or(m.remove(key(k)));
        }

        public String ceiling(int k) {
            return entry(m.ceilingEntry(key(k)));
        }

        public String floor(int k) {
            return entry(m.floorEntry(key(k)));
        }
    }

    @Test
    public void modelChecking() {
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(8)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    public void stress() {
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(8)
                .invocationsPerIteration(250)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(3)
                .actorsAfter(2)
                .check(getClass());
    }

    @Test
    @Tag("stress")
    public void modelCheckingLarge() {
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(100)
                .invocationsPerIteration(5000)
                .threads(3)
                .actorsPerThread(4)
                .actorsBefore(4)
                .actorsAfter(3)
                .check(getClass());
    }

    @Test
    @Tag("stress")
    public void stressLarge() {
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(200)
                .invocationsPerIteration(10_000)
                .threads(4)
                .actorsPerThread(5)
                .check(getClass());
    }
}
