package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {
    @TempDir
    Path dir;

    @Test
    void libsvmWithTestFileSharesLabelsAndWidensFeatures() throws IOException {
        Path tr = dir.resolve("set");
        Files.writeString(tr, "+1 1:1 2:1\n-1 2:1\n-1 1:2\n");
        Files.writeString(dir.resolve("set.t"), "0 4:1\n1 1:1\n");
        Datasets.TrainTest tt = Datasets.load(tr.toString());
        assertThat(tt.train().size()).isEqualTo(3);
        assertThat(tt.test().size()).isEqualTo(2);
        assertThat(tt.train().features()).isEqualTo(4);
        assertThat(tt.test().features()).isEqualTo(4);
        assertThat(tt.test().labels()).containsExactly(0, 1);
    }

    @Test
    void seededSplitWithoutTestFile() throws IOException {
        Path p = dir.resolve("d.csv");
        StringBuilder b = new StringBuilder("y,x\n");
        for (int i = 0; i < 100; i++) {
            b.append(i % 3).append(',').append(i).append('\n');
        }
        Files.writeString(p, b);
        Datasets.TrainTest a = Datasets.load(p.toString());
        Datasets.TrainTest again = Datasets.load(p.toString());
        Datasets.TrainTest other = Datasets.load(p.toString(), 7);
        assertThat(a.train().size()).isEqualTo(80);
        assertThat(a.test().size()).isEqualTo(20);
        assertThat(a.train().dense()).containsExactly(again.train().dense());
        assertThat(a.train().dense()).isNotEqualTo(other.train().dense());
        Set<Float> all = new HashSet<>();
        for (float v : a.train().dense()) {
            all.add(v);
        }
        for (float v : a.test().dense()) {
            assertThat(all.add(v)).as("disjoint").isTrue();
        }
        assertThat(all).hasSize(100);
        // file order kept inside each part
        float[] x = a.train().dense();
        for (int i = 1; i < x.length; i++) {
            assertThat(x[i]).isGreaterThan(x[i - 1]);
        }
    }

    @Test
    void formatSniffedWithoutExtension() throws IOException {
        Path csv = dir.resolve("noext");
        Files.writeString(csv, "1,2\n0,3\n1,4\n0,5\n1,6\n");
        assertThat(Datasets.load(csv.toString()).train().isSparse()).isFalse();
        Path svm = dir.resolve("svm");
        Files.writeString(svm, "# header comment, with a comma\n1 1:2\n0 1:3\n1 1:4\n0 1:5\n1 1:6\n");
        assertThat(Datasets.load(svm.toString()).train().isSparse()).isTrue();
        Path neither = dir.resolve("neither");
        Files.writeString(neither, "1 2 3\n");
        assertThatThrownBy(() -> Datasets.load(neither.toString())).hasMessageContaining("cannot tell the format");
    }

    @Test
    void idxDirectory() throws IOException {
        IdxReaderTest t = new IdxReaderTest();
        t.dir = dir;
        Path[] tr = t.writePair(true, "x");
        Files.move(tr[0], dir.resolve("train-images-idx3-ubyte.gz"));
        Files.move(tr[1], dir.resolve("train-labels-idx1-ubyte.gz"));
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), IdxReaderTest.idx(IdxReader.IMAGES_MAGIC,
                new int[] {2, 2, 3}, IdxReaderTest.pixels(12)));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), IdxReaderTest.idx(IdxReader.LABELS_MAGIC,
                new int[] {2}, new byte[] {0, 1}));
        Datasets.TrainTest tt = Datasets.load(dir.toString());
        assertThat(tt.train().size()).isEqualTo(5);
        assertThat(tt.test().size()).isEqualTo(2);
        assertThat(tt.test().classes()).isEqualTo(tt.train().classes()).isEqualTo(4);
        assertThat(tt.test().shape()).containsExactly(1, 2, 3);
        Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertThatThrownBy(() -> Datasets.load(dir.toString()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("missing IDX file(s) [t10k-labels-idx1-ubyte[.gz]]");
    }

    @Test
    void nothingFoundListsWhereItLooked() {
        assertThatThrownBy(() -> Datasets.load(dir.resolve("nope").toString()))
                .isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("no such file or directory")
                .hasMessageContaining("fashion-mnist");
        List<Path> c = Datasets.candidates("mnist", Path.of("/a/b/c"));
        assertThat(c).containsExactly(Path.of("/usr/share/datasets/mnist"), Path.of("/a/b/shared/data/mnist"),
                Path.of("/a/shared/data/mnist"), Path.of("/shared/data/mnist"));
    }

    @Test
    void knownNameFindsSharedData() throws IOException {
        Path fm = TestData.shared("fashion-mnist");
        assumeTrue(fm != null && Files.exists(fm.resolve("t10k-labels-idx1-ubyte.gz")), "fashion-mnist absent");
        boolean reachable = Datasets.candidates("fashion-mnist", Path.of("").toAbsolutePath()).stream()
                .anyMatch(p -> p.equals(fm.toAbsolutePath().normalize()))
                || Files.isDirectory(Path.of("/usr/share/datasets/fashion-mnist"));
        assumeTrue(reachable, "shared data not on the search path from here");
        Datasets.TrainTest tt = Datasets.load("fashion-mnist");
        assertThat(tt.test().size()).isEqualTo(10000);
        assertThat(tt.train().name()).isEqualTo("fashion-mnist/train");
        assertThat(Arrays.stream(tt.test().labels()).max().getAsInt()).isEqualTo(9);
    }
}
