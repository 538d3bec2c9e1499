package org.scaleml.bp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinaryImageTest {
    @TempDir
    Path dir;

    @Test
    void aTruncatedPngIsRefusedAtEveryCutPoint() throws Exception {
        byte[] px = new byte[20 * 12];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) ((i / 3 + i / 20) % 2);
        }
        BinaryImage img = BinaryImage.of(20, 12, px);
        Path whole = dir.resolve("whole.png");
        img.writePng(whole);
        assertThat(BinaryImage.readPng(whole, 128).pixels()).isEqualTo(px);
        byte[] all = Files.readAllBytes(whole);
        // every cut before the final chunk's type: the image data or its end marker is missing (ImageIO.read
        // returned a partly black image for cuts inside the data)
        for (int keep = 1; keep <= all.length - 8; keep++) {
            Path cut = Files.write(dir.resolve("cut.png"), Arrays.copyOf(all, keep));
            assertThatThrownBy(() -> BinaryImage.readPng(cut, 128)).as("cut at " + keep)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith(cut.toString() + ": ");
        }
    }
}
