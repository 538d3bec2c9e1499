package org.scaleml.common;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PrintableTest {

    @Test
    void plainTextIsReturnedAsIs() {
        String s = "graph.gr:12: bad arc 'a b' (\u00e9\u4e2d\ud83d\ude00)";
        assertThat(Printable.escape(s)).isSameAs(s);
        assertThat(Printable.escape(null)).isNull();
        assertThat(Printable.escape("")).isEmpty();
    }

    @Test
    void controlFormatAndSeparatorsAreEscaped() {
        assertThat(Printable.escape("a\nb\tc\u001b[31m")).isEqualTo("a\\u000ab\\u0009c\\u001b[31m");
        assertThat(Printable.escape("\u007f\u0085\u009b")).isEqualTo("\\u007f\\u0085\\u009b");
        assertThat(Printable.escape("x\u202ey\u200b")).isEqualTo("x\\u202ey\\u200b");
        assertThat(Printable.escape("\u2028\u2029")).isEqualTo("\\u2028\\u2029");
        assertThat(Printable.escape("p\ue000")).isEqualTo("p\\ue000");
    }

    @Test
    void unpairedSurrogatesAreEscapedPairedOnesKept() {
        assertThat(Printable.escape("a\ud83d")).isEqualTo("a\\ud83d");
        assertThat(Printable.escape("\ude00b")).isEqualTo("\\ude00b");
        assertThat(Printable.escape("\ude00\ud83d")).isEqualTo("\\ude00\\ud83d");
        assertThat(Printable.escape("\n\ud83d\ude00")).isEqualTo("\\u000a\ud83d\ude00");
    }
}
