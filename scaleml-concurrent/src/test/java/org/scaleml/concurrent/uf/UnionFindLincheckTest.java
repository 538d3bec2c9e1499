package org.scaleml.concurrent.uf;

import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.StressOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Linearizability of every thread-safe union-find variant against the sequential disjoint-set specification, with
 * Lincheck's model checker and its stress strategy, on 5 elements. {@code find} is not a function of the
 * partition, so it is checked through {@link Target#findIsMember}: the element it returns must be in the set of
 * its argument. The configurations are small (about a second per variant and strategy).
 */
public class UnionFindLincheckTest {
    static final int ELEMENTS = 5;

    /** The variant the next {@link Target} instances are built from (Lincheck builds one per invocation). */
    static volatile String spec = "uf";

    static java.util.List<String> variants() {
        return UnionFinds.variants().stream().filter(UnionFinds::isThreadSafe).toList();
    }

    /** The structure under test, as Lincheck drives it. */
    public static class Target {
        private final ConcurrentUnionFind uf = UnionFinds.create(spec, ELEMENTS, 17);

        @Operation
        public boolean union(@Param(gen = IntGen.class, conf = "0:4") int x, @Param(gen = IntGen.class, conf = "0:4") int y) {
            return uf.union(x, y);
        }

        @Operation
        public boolean sameSet(@Param(gen = IntGen.class, conf = "0:4") int x, @Param(gen = IntGen.class, conf = "0:4") int y) {
            return uf.sameSet(x, y);
        }

        @Operation
        public boolean findIsMember(@Param(gen = IntGen.class, conf = "0:4") int x) {
            return uf.sameSet(uf.find(x), x);
        }
    }

    /** The sequential specification. */
    public static class Model {
        private final SequentialUnionFind uf = new SequentialUnionFind(ELEMENTS);

        public boolean union(int x, int y) {
            return uf.union(x, y);
        }

        public boolean sameSet(int x, int y) {
            return uf.sameSet(x, y);
        }

        public boolean findIsMember(int x) {
            return true;
        }
    }

    @ParameterizedTest
    @MethodSource("variants")
    public void modelChecking(String variant) {
        spec = variant;
        new ModelCheckingOptions()
                .sequentialSpecification(Model.class)
                .iterations(5)
                .invocationsPerIteration(100)
                .threads(2)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .check(Target.class);
    }

    @ParameterizedTest
    @MethodSource("variants")
    public void stress(String variant) {
        spec = variant;
        new StressOptions()
                .sequentialSpecification(Model.class)
                .iterations(6)
                .invocationsPerIteration(200)
                .threads(3)
                .actorsPerThread(3)
                .actorsBefore(2)
                .actorsAfter(1)
                .check(Target.class);
    }
}
