package org.scaleml.concurrent.map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LongMapsSpecTest {
    @Test
    void parsesNamesOptionsAndDefaults() {
        assertThat(LongMaps.names()).containsExactly("cist", "splay", "skiplist", "locked-tree", "tree-seq");
        assertThat(LongMaps.create("cist").spec()).isEqualTo("cist:leaf=16,rebuild=1.0");
        assertThat(LongMaps.create(" CIST:Leaf=8, rebuild=0.25 ").spec()).isEqualTo("cist:leaf=8,rebuild=0.25");
        assertThat(LongMaps.create("splay").spec()).isEqualTo("splay:sample=16,levels=48");
        assertThat(LongMaps.create("splay:sample=1,levels=8").spec()).isEqualTo("splay:sample=1,levels=8");
        assertThat(LongMaps.create("skiplist").spec()).isEqualTo("skiplist");
        assertThat(LongMaps.create("locked-tree").spec()).isEqualTo("locked-tree:optimistic=true");
        assertThat(LongMaps.create("locked-tree:optimistic=false").spec()).isEqualTo("locked-tree:optimistic=false");
        assertThat(LongMaps.create("tree-seq").spec()).isEqualTo("tree-seq");
        assertThat(LongMaps.isThreadSafe("tree-seq")).isFalse();
        assertThat(LongMaps.isThreadSafe("cist:leaf=4")).isTrue();
        assertThat(LongMaps.threadSafeVariants()).containsExactly("cist", "splay", "skiplist", "locked-tree");
        for (String spec : LongMaps.variants()) {
            assertThat(LongMaps.create(spec).size()).isZero();
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                        | empty map specification; known: cist, splay, skiplist, locked-tree, tree-seq",
            "btree                     | unknown map 'btree' in 'btree'; known: cist, splay, skiplist, locked-tree",
            "cist:leaf=1               | leaf must be an integer from 2 to 256, got '1'",
            "cist:leaf=big             | leaf must be an integer from 2 to 256, got 'big'",
            "cist:rebuild=0            | rebuild must be a number from 0.01 to 100.0, got '0'",
            "cist:leaf                 | expected key=value, got 'leaf'",
            "cist:leaf=4,leaf=8        | option 'leaf' given twice",
            "cist:depth=3              | unknown option(s) [depth] for 'cist'",
            "splay:sample=3            | sample must be a power of two from 1 to 65536, got '3'",
            "splay:levels=100          | levels must be an integer from 4 to 62, got '100'",
            "skiplist:levels=4         | unknown option(s) [levels] for 'skiplist'",
            "locked-tree:optimistic=1  | optimistic must be true or false, got '1'",
            "tree-seq:lock=true        | unknown option(s) [lock] for 'tree-seq'",
    })
    void badSpecificationsSayWhatIsWrong(String spec, String message) {
        assertThatThrownBy(() -> LongMaps.create(spec))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
