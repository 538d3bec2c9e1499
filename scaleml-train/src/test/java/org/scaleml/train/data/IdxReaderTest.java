package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {
    @TempDir
    Path dir;

    static byte[] idx(int magic, int[] dims, byte[] data) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + data.length);
        b.putInt(magic);
        for (int d : dims) {
            b.putInt(d);
        }
        b.put(data);
        return b.array();
    }

    static byte[] gzip(byte[] raw) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (OutputStream o = new GZIPOutputStream(bos)) {
            o.write(raw);
        }
        return bos.toByteArray();
    }

    static byte[] pixels(int n) {
        byte[] px = new byte[n];
        for (int i = 0; i < n; i++) {
            px[i] = (byte) (i * 37);
        }
        return px;
    }

    /** Writes a small image/label pair (5 images of 2x3, labels 0..3) and returns {images, labels}. */
    Path[] writePair(boolean gz, String prefix) throws IOException {
        byte[] img = idx(IdxReader.IMAGES_MAGIC, new int[] {5, 2, 3}, pixels(30));
        byte[] lab = idx(IdxReader.LABELS_MAGIC, new int[] {5}, new byte[] {3, 0, 1, 2, 1});
        Path pi = dir.resolve(prefix + "images" + (gz ? ".gz" : ""));
        Path pl = dir.resolve(prefix + "labels" + (gz ? ".gz" : ""));
        Files.write(pi, gz ? gzip(img) : img);
        Files.write(pl, gz ? gzip(lab) : lab);
        return new Path[] {pi, pl};
    }

    @Test
    void roundTripPlainAndGzip() throws IOException {
        for (boolean gz : new boolean[] {false, true}) {
            Path[] p = writePair(gz, gz ? "z" : "p");
            Dataset d = IdxReader.read("t", p[0], p[1]);
            assertThat(d.size()).isEqualTo(5);
            assertThat(d.features()).isEqualTo(6);
            assertThat(d.shape()).containsExactly(1, 2, 3);
            assertThat(d.classes()).isEqualTo(4);
            assertThat(d.labels()).containsExactly(3, 0, 1, 2, 1);
            byte[] px = pixels(30);
            for (int i = 0; i < 30; i++) {
                assertThat(d.dense()[i]).isEqualTo((px[i] & 0xff) / 255f);
            }
            for (float v : d.dense()) {
                assertThat(v).isBetween(0f, 1f);
            }
        }
    }

    @Test
    void gzipDetectedByMagicNotName() throws IOException {
        byte[] lab = idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 255 - 256});
        Path p = dir.resolve("labels-without-gz-suffix");
        Files.write(p, gzip(lab));
        assertThat(IdxReader.readLabels(p)).containsExactly(1, 2, 255);
        Path q = dir.resolve("plain.gz");
        Files.write(q, lab);
        assertThat(IdxReader.readLabels(q)).containsExactly(1, 2, 255);
    }

    @Test
    void minClassesWidensTestSet() throws IOException {
        Path[] p = writePair(false, "m");
        assertThat(IdxReader.read("t", p[0], p[1], 10).classes()).isEqualTo(10);
    }

    @Test
    void truncatedPlainFileNamesOffsetAndExpectedLength() throws IOException {
        byte[] img = idx(IdxReader.IMAGES_MAGIC, new int[] {5, 2, 3}, pixels(30));
        Path p = dir.resolve("short-images");
        Files.write(p, Arrays.copyOf(img, 16 + 17));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("short-images")
                .hasMessageContaining("byte offset 33")
                .hasMessageContaining("ends early")
                .hasMessageContaining("expected 46 bytes")
                .hasMessageContaining("5 x 2 x 3");
    }

    @Test
    void truncatedGzipFileNamesUncompressedOffset() throws IOException {
        byte[] img = idx(IdxReader.IMAGES_MAGIC, new int[] {5, 2, 3}, pixels(30));
        Path p = dir.resolve("short-images.gz");
        Files.write(p, gzip(Arrays.copyOf(img, 16 + 10)));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("short-images.gz: byte offset 26")
                .hasMessageContaining("expected 46 bytes");
        // a cut gzip stream (compressed bytes missing) is reported too, not as a raw EOFException
        byte[] z = gzip(img);
        Path q = dir.resolve("cut.gz");
        Files.write(q, Arrays.copyOf(z, z.length - 12));
        assertThatThrownBy(() -> IdxReader.readImages(q))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("cut.gz: byte offset")
                .hasMessageContaining("ends early");
    }

    @Test
    void truncatedHeader() throws IOException {
        Path p = dir.resolve("hdr");
        Files.write(p, new byte[] {0, 0, 8, 3, 0, 0});
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .hasMessageContaining("hdr: byte offset 6")
                .hasMessageContaining("ends inside the header");
    }

    @Test
    void badMagic() throws IOException {
        Path p = dir.resolve("labels-as-images");
        Files.write(p, idx(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> IdxReader.readImages(p))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("labels-as-images: byte offset 0")
                .hasMessageContaining("bad magic number 0x00000801, expected 0x00000803")
                .hasMessageContaining("IDX label file");
        Path q = dir.resolve("text");
        Files.writeString(q, "hello world, not idx");
        assertThatThrownBy(() -> IdxReader.readLabels(q))
                .hasMessageContaining("bad magic number")
                .hasMessageContaining("not an IDX file");
        Path r = dir.resolve("floats");
        Files.write(r, idx(0x00000d01, new int[] {1}, new byte[] {0, 0, 0, 0}));
        assertThatThrownBy(() -> IdxReader.readLabels(r))
                .hasMessageContaining("element type 0x0d is not unsigned byte");
    }

    @Test
    void badDimensionsFailBeforeAllocating() throws IOException {
        Path zero = dir.resolve("zero");
        Files.write(zero, idx(IdxReader.IMAGES_MAGIC, new int[] {5, 0, 3}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(zero))
                .hasMessageContaining("zero: byte offset 8")
                .hasMessageContaining("dimension 1 is 0");
        Path neg = dir.resolve("neg");
        Files.write(neg, idx(IdxReader.IMAGES_MAGIC, new int[] {-1, 28, 28}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(neg))
                .hasMessageContaining("neg: byte offset 4")
                .hasMessageContaining("dimension 0 is 4294967295");
        Path huge = dir.resolve("huge");
        Files.write(huge, idx(IdxReader.IMAGES_MAGIC, new int[] {1 << 20, 1 << 10, 1 << 10}, new byte[0]));
        assertThatThrownBy(() -> IdxReader.readImages(huge))
                .hasMessageContaining("huge: byte offset 12")
                .hasMessageContaining("more than the limit");
        // plausible dims but a tiny gzip file: the buffer grows only with data, and the error is the offset
        Path lying = dir.resolve("lying.gz");
        Files.write(lying, gzip(idx(IdxReader.IMAGES_MAGIC, new int[] {60000, 1000, 30}, pixels(100))));
        assertThatThrownBy(() -> IdxReader.readImages(lying))
                .hasMessageContaining("byte offset 116")
                .hasMessageContaining("expected 1800000016 bytes");
    }

    @Test
    void trailingBytesAndCountMismatch() throws IOException {
        Path t = dir.resolve("trailing");
        byte[] lab = idx(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2, 3});
        Files.write(t, lab);
        assertThatThrownBy(() -> IdxReader.readLabels(t))
                .hasMessageContaining("trailing: byte offset 10")
                .hasMessageContaining("trailing bytes");
        Path[] p = writePair(false, "c");
        Path l4 = dir.resolve("four-labels");
        Files.write(l4, idx(IdxReader.LABELS_MAGIC, new int[] {4}, new byte[] {1, 2, 3, 0}));
        assertThatThrownBy(() -> IdxReader.read("t", p[0], l4))
                .hasMessageContaining("four-labels")
                .hasMessageContaining("4 labels")
                .hasMessageContaining("5 images");
    }

    @Test
    void realFashionMnist() throws IOException {
        Path dirFm = TestData.shared("fashion-mnist");
        assumeTrue(dirFm != null && Files.exists(dirFm.resolve("train-images-idx3-ubyte.gz")),
                "shared/data/fashion-mnist absent");
        Datasets.TrainTest tt = Datasets.load(dirFm.toString());
        assertThat(tt.train().size()).isEqualTo(60000);
        assertThat(tt.test().size()).isEqualTo(10000);
        assertThat(tt.train().features()).isEqualTo(784);
        assertThat(tt.test().features()).isEqualTo(784);
        assertThat(tt.train().classes()).isEqualTo(10);
        assertThat(tt.test().classes()).isEqualTo(10);
        assertThat(tt.train().shape()).containsExactly(1, 28, 28);
        int[] counts = new int[10];
        for (int l : tt.train().labels()) {
            counts[l]++;
        }
        assertThat(counts).containsOnly(6000); // Fashion-MNIST is balanced
    }

    @Test
    void aStrayLabelAboveTheClassesIsAnErrorNamingItsOffset() throws IOException {
        byte[] img = idx(IdxReader.IMAGES_MAGIC, new int[] {5, 2, 3}, pixels(30));
        // labels 0..2 and one stray 200: inferring would make a model of 201 classes
        byte[] lab = idx(IdxReader.LABELS_MAGIC, new int[] {5}, new byte[] {0, 1, 2, (byte) 200, 1});
        Path pi = dir.resolve("s-images");
        Path pl = dir.resolve("s-labels");
        Files.write(pi, img);
        Files.write(pl, lab);
        assertThatThrownBy(() -> IdxReader.read("t", pi, pl))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("s-labels: byte offset 11: label 200 of example 3 would make 201 classes")
                .hasMessageContaining("the first: 3");
        // a declared count: labels must lie below it, and the error names the offset too
        assertThatThrownBy(() -> IdxReader.read("t", pi, pl, 10))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("s-labels: byte offset 11: label 200 of example 3 is not one of the 10 "
                        + "classes 0 to 9");
        assertThat(IdxReader.read("t", pi, pl, 201).classes()).isEqualTo(201); // declared: accepted as it is
        // gzip input: the uncompressed offset
        Path gz = dir.resolve("s-labels.gz");
        Files.write(gz, gzip(lab));
        assertThatThrownBy(() -> IdxReader.read("t", pi, gz, 10)).hasMessageContaining("byte offset 11");
    }

    @Test
    void testSetLabelsAndImageSizesMustFitTheTrainingSet() throws IOException {
        Path d = dir.resolve("idx");
        Files.createDirectories(d);
        Files.write(d.resolve("train-images-idx3-ubyte"), idx(IdxReader.IMAGES_MAGIC, new int[] {4, 2, 6},
                pixels(48)));
        Files.write(d.resolve("train-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {4},
                new byte[] {0, 1, 2, 1}));
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 2, 6},
                pixels(24)));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {2},
                new byte[] {1, 3}));
        // a test label the training set does not have: refused, not a silently wider model
        assertThatThrownBy(() -> Datasets.loadIdxDirectory(d, "x"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith("t10k-labels-idx1-ubyte: byte offset 9: label 3 of example 1 is not one "
                        + "of the 3 classes");
        assertThat(Datasets.loadIdxDirectory(d, "x", 4).train().classes()).isEqualTo(4);
        // same pixel count, other size: refused when loading, before any model is built
        Files.write(d.resolve("t10k-images-idx3-ubyte"), idx(IdxReader.IMAGES_MAGIC, new int[] {2, 3, 4},
                pixels(24)));
        Files.write(d.resolve("t10k-labels-idx1-ubyte"), idx(IdxReader.LABELS_MAGIC, new int[] {2},
                new byte[] {1, 2}));
        assertThatThrownBy(() -> Datasets.loadIdxDirectory(d, "x"))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageContaining("t10k-images-idx3-ubyte: byte offset 8: images are 3 x 4 pixels, the "
                        + "training images (train-images-idx3-ubyte) 2 x 6");
    }
}
