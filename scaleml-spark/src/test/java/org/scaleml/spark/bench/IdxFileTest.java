package org.scaleml.spark.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxFileTest {
    @TempDir
    Path dir;

    private Path gzip(String name, byte[] content) throws IOException {
        Path file = dir.resolve(name);
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(content);
        }
        return file;
    }

    private static byte[] idx(int magic, int[] dims, int dataBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        for (int i = 0; i < dataBytes; i++) {
            out.writeByte(i * 37);
        }
        return bytes.toByteArray();
    }

    @Test
    void readsImagesScaledAndLabels() throws IOException {
        Path images = gzip("img.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {3, 2, 2}, 12));
        Path labels = gzip("lab.gz", new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 9, 0, 5});

        IdxFile.Images img = IdxFile.readImages(images);
        assertThat(img.count()).isEqualTo(3);
        assertThat(img.pixelsPerImage()).isEqualTo(4);
        double[] second = img.scaled(1);
        assertThat(second[0]).isEqualTo(((4 * 37) & 0xff) / 255.0);
        assertThat(IdxFile.readLabels(labels)).containsExactly(9, 0, 5);
    }

    @Test
    void namesWrongMagicAndKind() throws IOException {
        Path labels = gzip("lab.gz", idx(IdxFile.LABELS_MAGIC, new int[] {4}, 4));
        assertThatThrownBy(() -> IdxFile.readImages(labels))
                .isInstanceOf(IdxFormatException.class)
                .hasMessageContaining("lab.gz")
                .hasMessageContaining("0x00000801 (this is a label file)");
    }

    @Test
    void reportsTruncatedData() throws IOException {
        Path images = gzip("img.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {2, 28, 28}, 1000));
        assertThatThrownBy(() -> IdxFile.readImages(images))
                .hasMessageContaining("data ends after 1000 of 1568 bytes");
    }

    @Test
    void reportsTruncatedHeaderTrailingBytesAndBadDimensions() throws IOException {
        Path shortHeader = gzip("h.gz", new byte[] {0, 0, 8, 3, 0, 0});
        assertThatThrownBy(() -> IdxFile.readImages(shortHeader)).hasMessageContaining("ends inside the header");
        Path trailing = gzip("t.gz", idx(IdxFile.LABELS_MAGIC, new int[] {2}, 3));
        assertThatThrownBy(() -> IdxFile.readLabels(trailing)).hasMessageContaining("trailing bytes");
        Path zero = gzip("z.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {5, 0, 28}, 0));
        assertThatThrownBy(() -> IdxFile.readImages(zero)).hasMessageContaining("row count in the header is 0");
    }

    @Test
    void refusesHugeHeaderWithoutAllocating() throws IOException {
        Path huge = gzip("huge.gz", idx(IdxFile.IMAGES_MAGIC, new int[] {Integer.MAX_VALUE, 1000, 1000}, 0));
        assertThatThrownBy(() -> IdxFile.readImages(huge)).hasMessageContaining("more than the limit");
    }

    @Test
    void reportsMissingAndNonGzipFiles() throws IOException {
        assertThatThrownBy(() -> IdxFile.readImages(dir.resolve("absent.gz"))).hasMessageContaining("no such file");
        Path plain = dir.resolve("plain");
        Files.write(plain, idx(IdxFile.LABELS_MAGIC, new int[] {1}, 1));
        assertThatThrownBy(() -> IdxFile.readLabels(plain)).hasMessageContaining("not a gzip file");
    }

    @Test
    void pairCheckNamesCountMismatchAndBadLabel() {
        IdxFile.Images images = new IdxFile.Images(2, 28, 28, new byte[2 * 784]);
        Path file = Path.of("labels.gz");
        assertThatThrownBy(() -> MlpBaseline.checkPair(file, images, new int[] {1}))
                .hasMessageContaining("holds 1 labels but its image file holds 2 images");
        assertThatThrownBy(() -> MlpBaseline.checkPair(file, images, new int[] {1, 10}))
                .hasMessageContaining("label 1 is 10, expected 0..9");
    }
}
