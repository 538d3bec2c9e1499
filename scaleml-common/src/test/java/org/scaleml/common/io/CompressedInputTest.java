package org.scaleml.common.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CompressedInputTest {
    private static final byte[] TEXT = "p sp 2 1\na 1 2 3\n".getBytes(StandardCharsets.US_ASCII);

    /** A made-up format with a 3-byte magic, decoded by dropping the magic. */
    private static final Compression TOY = Compression.of("toy", new byte[] {'T', 'O', 'Y'}, in -> {
        in.skipNBytes(3);
        return in;
    }, e -> false, e -> null);

    private static final CompressedInput OPENER = new CompressedInput(List.of(Compression.GZIP, TOY,
            Compression.BZIP2, Compression.ZSTD, Compression.ZIP));

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bytes)) {
            gz.write(data);
        }
        return bytes.toByteArray();
    }

    private static byte[] read(CompressedInput opener, byte[] data) throws IOException {
        CompressedInput.Opened o = opener.open(new ByteArrayInputStream(data), TextScannerTest.errors());
        try (InputStream in = o.in()) {
            return in.readAllBytes();
        }
    }

    @Test
    void detectsByMagicBytesNotByName(@TempDir Path dir) throws IOException {
        Path plainNamedGz = dir.resolve("plain.gz");
        Files.write(plainNamedGz, TEXT);
        Path gzNamedTxt = dir.resolve("packed.txt");
        Files.write(gzNamedTxt, gzip(TEXT));
        for (Path p : new Path[] {plainNamedGz, gzNamedTxt}) {
            CompressedInput.Opened o = OPENER.open(p, TextScannerTest.errors());
            try (InputStream in = o.in()) {
                assertThat(in.readAllBytes()).isEqualTo(TEXT);
            }
            assertThat(o.compression()).isSameAs(p == plainNamedGz ? Compression.PLAIN : Compression.GZIP);
        }
        byte[] toy = new byte[TEXT.length + 3];
        toy[0] = 'T';
        toy[1] = 'O';
        toy[2] = 'Y';
        System.arraycopy(TEXT, 0, toy, 3, TEXT.length);
        assertThat(read(OPENER, toy)).isEqualTo(TEXT);
        assertThat(read(OPENER, new byte[0])).isEmpty();
        assertThat(read(OPENER, new byte[] {0x1f})).containsExactly(0x1f);
    }

    @Test
    void refusedFormatsNameTheDecodableOnes() {
        assertThatThrownBy(() -> read(OPENER, "BZh91AY&SY".getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(InputFormatException.class)
                .hasMessage("in.txt: bzip2-compressed input is not supported; use plain text, gzip or toy");
        assertThatThrownBy(() -> read(OPENER, new byte[] {0x28, (byte) 0xb5, 0x2f, (byte) 0xfd, 0}))
                .hasMessage("in.txt: zstd-compressed input is not supported; use plain text, gzip or toy");
        assertThatThrownBy(() -> read(OPENER, new byte[] {'P', 'K', 3, 4, 0}))
                .hasMessage("in.txt: zip-compressed input is not supported; use plain text, gzip or toy");
    }

    @Test
    void gzipOnlyReadsOtherMagicsAsPlainText() throws IOException {
        byte[] bz = "BZh9".getBytes(StandardCharsets.US_ASCII);
        assertThat(read(CompressedInput.GZIP_ONLY, bz)).isEqualTo(bz);
        assertThat(read(CompressedInput.GZIP_ONLY, gzip(TEXT))).isEqualTo(TEXT);
    }

    @Test
    void corruptHeaderAndTruncatedDataGoToTheErrorPolicy() throws IOException {
        assertThatThrownBy(() -> read(OPENER, new byte[] {0x1f, (byte) 0x8b, 8}))
                .isInstanceOf(InputFormatException.class)
                .hasMessageStartingWith("in.txt: truncated or corrupt gzip data (");
        byte[] gz = gzip("x 1\n".repeat(10_000).getBytes(StandardCharsets.US_ASCII));
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        CompressedInput.Opened o = OPENER.open(new ByteArrayInputStream(cut), TextScannerTest.errors());
        try (TextScanner<IOException> sc = new TextScanner<>(o, TextScannerTest.errors())) {
            assertThatThrownBy(() -> {
                while (sc.readLine() != null) {
                    // read to the cut
                }
            }).isInstanceOf(InputFormatException.class)
                    .hasMessageMatching("in\\.txt:\\d+: truncated or corrupt gzip data \\(.*\\)");
        }
    }
}
