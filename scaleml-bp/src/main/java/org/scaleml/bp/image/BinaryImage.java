package org.scaleml.bp.image;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.SplittableRandom;
import javax.imageio.IIOException;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

/**
 * An immutable black-and-white image: {@code width x height} pixels, each 0 (black) or 1 (white), row-major
 * ({@code index = y * width + x}).
 *
 * <p>Reading ({@link #readPng}) goes through {@link ImageIO} (PNG, and any other format it knows), converts each pixel
 * to luminance {@code 0.299 R + 0.587 G + 0.114 B}, composites transparency over white (so a transparent background
 * reads as white), and thresholds: luminance {@code >= threshold} is 1. Writing ({@link #writePng}) produces an 8-bit
 * grayscale PNG with 0 and 255. Thread-safe (immutable); {@link #pixels()} returns a copy.
 */
public final class BinaryImage {
    private final int width;
    private final int height;
    private final byte[] px;

    private BinaryImage(int width, int height, byte[] px) {
        this.width = width;
        this.height = height;
        this.px = px;
    }

    /**
     * An image from 0/1 pixels in row-major order (copied).
     *
     * @throws IllegalArgumentException if a dimension is not positive, the length differs or a pixel is not 0/1
     */
    public static BinaryImage of(int width, int height, byte[] pixels) {
        if (width < 1 || height < 1 || (long) width * height > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("bad image size " + width + "x" + height);
        }
        if (pixels.length != width * height) {
            throw new IllegalArgumentException(pixels.length + " pixels for a " + width + "x" + height + " image");
        }
        for (int i = 0; i < pixels.length; i++) {
            if (pixels[i] != 0 && pixels[i] != 1) {
                throw new IllegalArgumentException("pixel " + i + " is " + pixels[i] + ", not 0 or 1");
            }
        }
        return new BinaryImage(width, height, pixels.clone());
    }

    /** Thresholds a buffered image (see the class comment); {@code threshold} in [0, 256]. */
    public static BinaryImage binarize(BufferedImage img, double threshold) {
        int w = img.getWidth();
        int h = img.getHeight();
        byte[] px = new byte[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int argb = img.getRGB(x, y);
                double a = ((argb >>> 24) & 0xff) / 255.0;
                double lum = 0.299 * ((argb >> 16) & 0xff) + 0.587 * ((argb >> 8) & 0xff) + 0.114 * (argb & 0xff);
                lum = a * lum + (1 - a) * 255;
                px[y * w + x] = (byte) (lum >= threshold ? 1 : 0);
            }
        }
        return new BinaryImage(w, h, px);
    }

    /**
     * Reads an image file and thresholds it. The whole file is decoded, its chunks included, so a truncated or
     * damaged file is refused rather than read as a partial image (ImageIO's {@code ImageIO.read} skips the
     * metadata and can return an image whose missing rows are black).
     *
     * @throws IOException              if the file cannot be read
     * @throws IllegalArgumentException if it is not an image ImageIO can decode, or is truncated or damaged (the
     *                                  message names the file)
     */
    public static BinaryImage readPng(Path file, double threshold) throws IOException {
        BufferedImage img;
        try (var in = Files.newInputStream(file);
             ImageInputStream iis = ImageIO.createImageInputStream(in)) {
            Iterator<ImageReader> readers = iis == null ? null : ImageIO.getImageReaders(iis);
            if (readers == null || !readers.hasNext()) {
                throw new IllegalArgumentException(file + ": not an image format ImageIO can decode");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(iis, true, false); // read the metadata too: it walks every chunk to the end
                img = reader.read(0);
            } catch (IIOException | IndexOutOfBoundsException e) {
                throw new IllegalArgumentException(file + ": truncated or damaged image (" + describe(e) + ")", e);
            } finally {
                reader.dispose();
            }
        }
        return binarize(img, threshold);
    }

    /** The exception's message and its causes', on one line. */
    private static String describe(Throwable e) {
        StringBuilder b = new StringBuilder();
        for (Throwable t = e; t != null && b.length() < 300; t = t.getCause() == t ? null : t.getCause()) {
            if (t.getMessage() != null) {
                b.append(b.length() > 0 ? ": " : "").append(t.getMessage().strip().replaceAll("\\s+", " "));
            }
        }
        return b.length() > 0 ? b.toString() : e.getClass().getSimpleName();
    }

    /** Width in pixels. */
    public int width() {
        return width;
    }

    /** Height in pixels. */
    public int height() {
        return height;
    }

    /** Pixel count. */
    public int size() {
        return px.length;
    }

    /** Pixel at column {@code x}, row {@code y}: 0 or 1. */
    public int get(int x, int y) {
        return px[y * width + x];
    }

    /** Pixel by row-major index. */
    public int get(int index) {
        return px[index];
    }

    /** A copy of the pixels, row-major. */
    public byte[] pixels() {
        return px.clone();
    }

    /**
     * This image with each pixel flipped independently with probability {@code p} (binary symmetric channel noise,
     * for experiments), from a generator seeded with {@code seed}.
     */
    public BinaryImage withFlipNoise(double p, long seed) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("flip probability must be in [0, 1], got " + p);
        }
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = px.clone();
        for (int i = 0; i < out.length; i++) {
            if (r.nextDouble() < p) {
                out[i] ^= 1;
            }
        }
        return new BinaryImage(width, height, out);
    }

    /** Number of pixels that differ from {@code other} (same size required). */
    public int differences(BinaryImage other) {
        if (other.width != width || other.height != height) {
            throw new IllegalArgumentException("sizes differ: " + width + "x" + height + " vs " + other.width + "x"
                    + other.height);
        }
        int d = 0;
        for (int i = 0; i < px.length; i++) {
            d += px[i] != other.px[i] ? 1 : 0;
        }
        return d;
    }

    /** An 8-bit grayscale image, 0 as black and 1 as white. */
    public BufferedImage toBufferedImage() {
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
        byte[] data = new byte[px.length];
        for (int i = 0; i < px.length; i++) {
            data[i] = (byte) (px[i] == 1 ? 255 : 0);
        }
        img.getRaster().setDataElements(0, 0, width, height, data);
        return img;
    }

    /** Writes a grayscale PNG. */
    public void writePng(Path file) throws IOException {
        try (var out = Files.newOutputStream(file)) {
            if (!ImageIO.write(toBufferedImage(), "png", out)) {
                throw new IOException("no PNG writer available");
            }
        }
    }
}
