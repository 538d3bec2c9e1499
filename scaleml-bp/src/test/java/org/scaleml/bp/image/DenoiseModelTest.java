package org.scaleml.bp.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.io.SharedData;
import org.scaleml.bp.ldpc.FloodingSumProduct;

class DenoiseModelTest {
    /** A 40x32 image: white background, a black rectangle and a black disk. */
    static BinaryImage synthetic() {
        int w = 40;
        int h = 32;
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                boolean rect = x >= 4 && x < 16 && y >= 6 && y < 26;
                boolean disk = (x - 28) * (x - 28) + (y - 16) * (y - 16) <= 64;
                px[y * w + x] = (byte) (rect || disk ? 0 : 1);
            }
        }
        return BinaryImage.of(w, h, px);
    }

    @Test
    void buildsTheDocumentedGrid() {
        BinaryImage img = synthetic();
        DenoiseModel m = DenoiseModel.build(img, 0.8, 1.0);
        FactorGraph g = m.graph();
        int w = img.width();
        int h = img.height();
        assertThat(g.variables()).isEqualTo(w * h);
        assertThat(g.factors()).isEqualTo(w * h + (w - 1) * h + w * (h - 1));
        // unary of a white pixel (0,0)
        assertThat(g.table(0)[1]).isCloseTo(Math.exp(1.0), within(1e-12));
        // first horizontal pair
        assertThat(g.scope(w * h)).containsExactly(0, 1);
        assertThat(g.table(w * h)).containsExactly(Math.exp(0.8), Math.exp(-0.8), Math.exp(-0.8), Math.exp(0.8));
        // first vertical pair
        assertThat(g.scope(w * h + (w - 1) * h)).containsExactly(0, w);
        assertThat(DenoiseModel.evidenceStrength(0.1)).isCloseTo(0.5 * Math.log(9), within(1e-12));
        assertThatThrownBy(() -> DenoiseModel.build(img, Double.NaN, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void flipNoiseHasTheRequestedRateAndIsSeeded() {
        BinaryImage img = synthetic();
        BinaryImage noisy = img.withFlipNoise(0.1, 5);
        assertThat((double) img.differences(noisy) / img.size()).isCloseTo(0.1, within(0.025));
        assertThat(noisy.differences(img.withFlipNoise(0.1, 5))).isZero();
    }

    @Test
    void bpDenoisingRemovesMostNoise(@TempDir Path dir) throws IOException {
        BinaryImage clean = synthetic();
        double p = 0.1;
        BinaryImage noisy = clean.withFlipNoise(p, 42);
        DenoiseModel m = DenoiseModel.build(noisy, 0.9, DenoiseModel.evidenceStrength(p));
        double[][] marg = FloodingSumProduct.marginals(m.graph(), 30);
        BinaryImage denoised = m.toImage(marg);
        int before = clean.differences(noisy);
        int after = clean.differences(denoised);
        System.out.println("denoise 40x32, p=0.1, J=0.9: " + before + " noisy pixels -> " + after + " after BP");
        assertThat(after).isLessThan(before / 3);
        // PNG round trip of the result
        Path png = dir.resolve("denoised.png");
        denoised.writePng(png);
        BinaryImage back = BinaryImage.readPng(png, 128);
        assertThat(back.differences(denoised)).isZero();
    }

    @Test
    void toImageIsMapPerPixel() {
        DenoiseModel m = DenoiseModel.build(BinaryImage.of(2, 1, new byte[] {0, 0}), 1, 1);
        BinaryImage img = m.toImage(new double[][] {{0.2, 0.8}, {0.7, 0.3}});
        assertThat(img.get(0, 0)).isEqualTo(1);
        assertThat(img.get(1, 0)).isEqualTo(0);
        assertThatThrownBy(() -> m.toImage(new double[1][])).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsTheRealHorse() throws IOException {
        Path p = SharedData.file("images", "horse.png");
        assumeTrue(Files.isReadable(p), p + " is absent");
        BinaryImage horse = BinaryImage.readPng(p, 128);
        assertThat(horse.width()).isEqualTo(400);
        assertThat(horse.height()).isEqualTo(328);
        int white = 0;
        for (int i = 0; i < horse.size(); i++) {
            white += horse.get(i);
        }
        double frac = (double) white / horse.size();
        assertThat(frac).isBetween(0.2, 0.95); // a silhouette on a background, not a blank image
        DenoiseModel m = DenoiseModel.build(horse.withFlipNoise(0.1, 1), 1, DenoiseModel.evidenceStrength(0.1));
        assertThat(m.graph().variables()).isEqualTo(400 * 328);
    }

    @Test
    void rejectsNonImages(@TempDir Path dir) throws IOException {
        Path f = dir.resolve("x.png");
        Files.writeString(f, "not a png");
        assertThatThrownBy(() -> BinaryImage.readPng(f, 128)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("x.png");
    }
}
