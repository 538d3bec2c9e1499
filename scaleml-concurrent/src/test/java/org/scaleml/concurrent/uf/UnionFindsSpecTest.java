package org.scaleml.concurrent.uf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class UnionFindsSpecTest {
    @Test
    void parsesNamesOptionsAndDefaults() {
        assertThat(UnionFinds.create("uf", 4, 1)).hasToString(
                "uf(link=index,compact=halving,early=false,immediate=false,write=cas,n=4)");
        assertThat(UnionFinds.create(" UF:Link=RANK, compact=splitting ,early=true,immediate=true,write=plain", 4, 1))
                .hasToString("uf(link=rank,compact=splitting,early=true,immediate=true,write=plain,n=4)");
        assertThat(UnionFinds.create("uf-seq", 4, 1)).hasToString("uf-seq(n=4)");
        assertThat(UnionFinds.create("uf-lock", 4, 1)).hasToString("uf-lock(stripes=1,n=4)");
        assertThat(UnionFinds.create("uf-lock:stripes=16", 4, 1)).hasToString("uf-lock(stripes=16,n=4)");
        for (String spec : UnionFinds.variants()) {
            assertThat(UnionFinds.create(spec, 8, 1).size()).isEqualTo(8);
        }
        assertThat(UnionFinds.isThreadSafe("uf-seq")).isFalse();
        assertThat(UnionFinds.isThreadSafe("uf:link=rank")).isTrue();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''                                  | empty union-find specification; known: uf, uf-seq, uf-lock",
            "dsu                                 | unknown union-find 'dsu' in 'dsu'; known: uf, uf-seq, uf-lock",
            "uf:link=size                        | link must be one of index, rank, got 'size' (link by size is offered by uf-seq and uf-lock only",
            "uf:compact=full                     | compact must be one of none, splitting, halving, compression, got 'full'",
            "uf:write=lazy                       | write must be one of cas, plain, got 'lazy'",
            "uf:early=yes                        | early must be one of true, false, got 'yes'",
            "uf:link                             | expected key=value, got 'link'",
            "uf:link=rank,link=index             | option 'link' given twice",
            "uf:depth=3                          | unknown option(s) [depth] for 'uf'",
            "uf-seq:link=rank                    | unknown option(s) [link] for 'uf-seq'",
            "uf-lock:stripes=0                   | stripes must be an integer from 1 to 65536, got '0'",
            "uf-lock:stripes=many                | stripes must be an integer from 1 to 65536, got 'many'",
            "uf:compact=compression,early=true   | cannot be combined with early=true",
    })
    void badSpecificationsSayWhatIsWrong(String spec, String message) {
        assertThatThrownBy(() -> UnionFinds.create(spec, 4, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void refusesBadSizesAndArraysBeyondHalfTheHeap() {
        assertThatThrownBy(() -> UnionFinds.create("uf", -1, 1)).hasMessageContaining("holds 0 to");
        assertThatThrownBy(() -> UnionFinds.create("uf:link=rank", (1 << 27) + 1, 1))
                .hasMessageContaining("'uf:link=rank' holds 0 to 134217728 elements");
        long max = Runtime.getRuntime().maxMemory();
        if (max / 2 / 8 < UnionFinds.MAX_ELEMENTS) {
            assertThatThrownBy(() -> UnionFinds.create("uf-seq", UnionFinds.MAX_ELEMENTS, 1))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("more than half of the maximum heap")
                    .hasMessageContaining("elements fit");
        }
    }
}
