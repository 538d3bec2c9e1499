package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LibsvmReaderTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void hugeFeatureIndicesAreRefusedAtTheirLineBeforeSizingAnything() throws IOException {
        Path max = write("max.svm", "1 1:1\n0 2147483647:1\n");
        assertThatThrownBy(() -> LibsvmReader.read(max)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("max.svm:2").hasMessageContaining("2147483647")
                .hasMessageContaining("limit of " + LibsvmReader.DEFAULT_MAX_FEATURES).hasMessageContaining(
                        "--max-features");
        Path over = write("over.svm", "1 1:1\n0 2147483648:1\n");
        assertThatThrownBy(() -> LibsvmReader.read(over)).isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("over.svm:2").hasMessageContaining("bad feature index");
        Path big = write("big.svm", "1 1:1\n0 40:1\n");
        assertThatThrownBy(() -> LibsvmReader.read(big, null, 0, 39)).hasMessageContaining("big.svm:2")
                .hasMessageContaining("limit of 39");
        assertThat(LibsvmReader.read(big, null, 0, 40).data().features()).isEqualTo(40);
    }

    @Test
    void readsSparseRowsCommentsAndBlankLines() throws IOException {
        Path p = write("small.svm", """
                # a comment line
                +1 1:0.5 3:2 # trailing comment
                -1 2:-1.25e1

                -1 qid:7 1:1 2:2 4:4
                +1
                """);
        Dataset d = LibsvmReader.read(p);
        assertThat(d.isSparse()).isTrue();
        assertThat(d.size()).isEqualTo(4);
        assertThat(d.features()).isEqualTo(4);
        assertThat(d.classes()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(1, 0, 0, 1);
        assertThat(d.rowStart()).containsExactly(0, 2, 3, 6, 6);
        assertThat(d.columns()).containsExactly(0, 2, 1, 0, 1, 3);
        assertThat(d.values()).containsExactly(0.5f, 2f, -12.5f, 1f, 2f, 4f);
        float[] row = new float[4];
        d.copyRow(0, row, 0);
        assertThat(row).containsExactly(0.5f, 0f, 2f, 0f);
    }

    @Test
    void labelMapping() throws IOException {
        assertThat(LibsvmReader.read(write("zo", "0 1:1\n1 1:1\n1 2:1\n")).labels()).containsExactly(0, 1, 1);
        LibsvmReader.Result r = LibsvmReader.read(write("multi", "3 1:1\n-2 1:1\n10 1:1\n3 2:1\n"), null, 0);
        assertThat(r.labels().classes()).isEqualTo(3);
        assertThat(r.data().labels()).containsExactly(1, 0, 2, 1);
        assertThat(r.labels().label(2)).isEqualTo(10.0);
        // a test file with a subset of the classes keeps the training mapping
        LibsvmReader.Result t = LibsvmReader.read(write("multi.t", "10 1:1\n"), r.labels(), 5);
        assertThat(t.data().labels()).containsExactly(2);
        assertThat(t.data().classes()).isEqualTo(3);
        assertThat(t.data().features()).isEqualTo(5);
        assertThatThrownBy(() -> LibsvmReader.read(write("unknown.t", "1 1:1\n4 1:1\n"), r.labels(), 0))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("unknown.t:1: label 1 is not in the given label map");
        assertThatThrownBy(() -> LibsvmReader.read(write("one", "7 1:1\n7 1:2\n")))
                .hasMessageContaining("one: only 1 distinct label (7)");
    }

    @Test
    void gzipInput() throws IOException {
        Path p = dir.resolve("z.svm");
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
            o.write("+1 2:1\n-1 1:3\n".getBytes(StandardCharsets.US_ASCII));
        }
        Dataset d = LibsvmReader.read(p);
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.features()).isEqualTo(2);
    }

    @Test
    void malformedLinesNameFileAndLine() throws IOException {
        String ok = "+1 1:1\n# c\n";
        assertError(ok + "+1 1:1 x:2\n", "bad.svm:3: bad feature index 'x'");
        assertError(ok + "+1 0:1\n", "bad.svm:3: feature index 0 must be >= 1");
        assertError(ok + "+1 -3:1\n", "bad.svm:3: feature index -3 must be >= 1");
        assertError(ok + "+1 3:1 2:1\n", "bad.svm:3: feature index 2 does not increase (it follows 3)");
        assertError(ok + "+1 3:1 3:1\n", "bad.svm:3: feature index 3 does not increase");
        assertError(ok + "+1 3\n", "bad.svm:3: token '3' has no ':'");
        assertError(ok + "+1 3:abc\n", "bad.svm:3: bad value of feature 3 'abc'");
        assertError(ok + "+1 3:NaN\n", "bad.svm:3: bad value of feature 3 'NaN'");
        assertError(ok + "+1 3:1e99\n", "bad.svm:3: value of feature 3 '1e99' overflows a float");
        assertError(ok + "one 3:1\n", "bad.svm:3: bad label 'one'");
        assertError("# nothing\n\n", "bad.svm: no examples");
        Path p = write("wide.t", "+1 1:1\n-1 124:1\n");
        assertThatThrownBy(() -> LibsvmReader.read(p, null, 123))
                .hasMessage("wide.t:2: feature index 124 exceeds the feature count 123");
    }

    private void assertError(String text, String message) throws IOException {
        Path p = write("bad.svm", text);
        assertThatThrownBy(() -> LibsvmReader.read(p))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void realA9a() throws IOException {
        Path a9a = TestData.shared("libsvm/a9a");
        assumeTrue(a9a != null && Files.exists(a9a.resolveSibling("a9a.t")), "shared/data/libsvm/a9a absent");
        Datasets.TrainTest tt = Datasets.load(a9a.toString());
        assertThat(tt.train().size()).isEqualTo(32561);
        assertThat(tt.test().size()).isEqualTo(16281);
        assertThat(tt.train().features()).isEqualTo(123);
        assertThat(tt.test().features()).isEqualTo(123);
        assertThat(tt.train().classes()).isEqualTo(2);
        assertThat(tt.test().classes()).isEqualTo(2);
        // the positive class (+1, income > 50K) is about a quarter of a9a
        long pos = java.util.Arrays.stream(tt.train().labels()).filter(l -> l == 1).count();
        assertThat(pos).isEqualTo(7841);
        // some copies of a9a.t never use index 123 (the copy here does, once); either way the pair agrees
        assertThat(LibsvmReader.read(a9a.resolveSibling("a9a.t")).features()).isBetween(122, 123);
    }

    @Test
    void controlBytesQuotedFromTheFileAreEscapedInTheMessage() throws IOException {
        Path f = write("ctl.svm", "1 1:1\n0 21\u0000\u0007 2:1\n");
        assertThatThrownBy(() -> LibsvmReader.read(f)).isInstanceOf(DatasetFormatException.class)
                .hasMessage("ctl.svm:2: token '21\\u0000\\u0007' has no ':' (expected index:value)");
    }
}
