package org.scaleml.common.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class InputFormatExceptionTest {
    @Test
    void messageIsFileNameLineAndDetailOnOnePrintableLine() {
        InputFormatException e = new InputFormatException(Path.of("a", "b.gr"), 17, "bad \u001b[31m token");
        assertThat(e).isInstanceOf(IOException.class)
                .hasMessage("b.gr:17: bad \\u001b[31m token");
        assertThat(e.file()).isEqualTo(Path.of("a", "b.gr"));
        assertThat(e.line()).isEqualTo(17);
        assertThat(e.detail()).isEqualTo("bad \\u001b[31m token");
    }

    @Test
    void lineZeroAndAnonymousStreams() {
        assertThat(new InputFormatException(Path.of("x.txt"), 0, "empty")).hasMessage("x.txt: empty");
        assertThat(new InputFormatException(null, 3, "oops")).hasMessage("<input>:3: oops");
        assertThat(InputFormatException.fileName(null)).isEqualTo("<input>");
    }

    @Test
    void subclassesAddTheirOwnPositionAndKeepTheCause() {
        IOException cause = new IOException("inner");
        class AtOffset extends InputFormatException {
            AtOffset(long offset) {
                super(Path.of("img.idx"), 0, "byte offset " + offset, "ends early", cause);
            }
        }
        assertThat(new AtOffset(16)).hasMessage("img.idx: byte offset 16: ends early").hasCause(cause);
    }
}
