package org.scaleml.spark.bench;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads gzip-compressed IDX files, the format of Fashion-MNIST: images (magic {@code 0x00000803}: count, rows,
 * columns) and labels (magic {@code 0x00000801}: count), all sizes big-endian 32-bit, data unsigned bytes.
 *
 * <p>Every problem is an {@link IdxFormatException} whose message names the file and what is wrong: a missing
 * file, data that is not gzip, a wrong magic number (for instance a label file given as images), a zero or
 * negative dimension, more than {@link #MAX_BYTES} bytes of data, data that ends early (with how many bytes
 * arrived and how many were expected) and trailing bytes. The data buffer is sized from the header only after
 * the bound check, so a lying header cannot make the reader allocate more than {@link #MAX_BYTES}.
 *
 * <p>Stateless; safe to call from any thread.
 */
final class IdxFile {
    /** Magic number of an IDX label file (unsigned bytes, one dimension). */
    static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an IDX image file (unsigned bytes, three dimensions). */
    static final int IMAGES_MAGIC = 0x00000803;
    /** Largest data size accepted (1 GiB; Fashion-MNIST's training images are 47 MB). */
    static final long MAX_BYTES = 1L << 30;

    private IdxFile() {
    }

    /** The images of one IDX file: {@code count} images of {@code rows x columns} unsigned-byte pixels. */
    record Images(int count, int rows, int columns, byte[] pixels) {
        int pixelsPerImage() {
            return rows * columns;
        }

        /** Image {@code i} with pixels scaled to {@code [0, 1]} (value / 255). */
        double[] scaled(int i) {
            int n = pixelsPerImage();
            double[] out = new double[n];
            int base = i * n;
            for (int p = 0; p < n; p++) {
                out[p] = (pixels[base + p] & 0xff) / 255.0;
            }
            return out;
        }
    }

    /** Reads an IDX image file (gzip). */
    static Images readImages(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, IMAGES_MAGIC, "image");
            int count = readDimension(in, file, "image count");
            int rows = readDimension(in, file, "row count");
            int columns = readDimension(in, file, "column count");
            long size = (long) count * rows * columns;
            byte[] pixels = readBody(in, file, size);
            return new Images(count, rows, columns, pixels);
        }
    }

    /** Reads an IDX label file (gzip); each label is {@code 0..255}. */
    static int[] readLabels(Path file) throws IOException {
        try (DataInputStream in = open(file)) {
            readMagic(in, file, LABELS_MAGIC, "label");
            int count = readDimension(in, file, "label count");
            byte[] body = readBody(in, file, count);
            int[] labels = new int[count];
            for (int i = 0; i < count; i++) {
                labels[i] = body[i] & 0xff;
            }
            return labels;
        }
    }

    private static DataInputStream open(Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IdxFormatException(file, "no such file");
        }
        try {
            return new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw, 1 << 16), 1 << 16));
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new IdxFormatException(file, "not a gzip file (" + e.getMessage() + ")");
        }
    }

    private static void readMagic(DataInputStream in, Path file, int expected, String kind) throws IOException {
        int magic = readInt(in, file, "magic number");
        if (magic != expected) {
            String hint = magic == IMAGES_MAGIC ? " (this is an image file)"
                    : magic == LABELS_MAGIC ? " (this is a label file)" : "";
            throw new IdxFormatException(file, String.format(
                    "magic number is 0x%08x%s, expected 0x%08x for an IDX %s file", magic, hint, expected, kind));
        }
    }

    private static int readDimension(DataInputStream in, Path file, String what) throws IOException {
        int value = readInt(in, file, what);
        if (value <= 0) {
            throw new IdxFormatException(file, what + " in the header is " + value + ", expected a positive number");
        }
        return value;
    }

    private static int readInt(DataInputStream in, Path file, String what) throws IOException {
        try {
            return in.readInt();
        } catch (EOFException e) {
            throw new IdxFormatException(file, "file ends inside the header (reading the " + what + ")");
        } catch (ZipException e) {
            throw new IdxFormatException(file, "corrupt gzip data (" + e.getMessage() + ")");
        }
    }

    private static byte[] readBody(DataInputStream in, Path file, long size) throws IOException {
        if (size > MAX_BYTES) {
            throw new IdxFormatException(file, "header declares " + size + " bytes of data, more than the limit of "
                    + MAX_BYTES);
        }
        byte[] body = new byte[(int) size];
        int got = 0;
        try {
            while (got < body.length) {
                int n = in.read(body, got, body.length - got);
                if (n < 0) {
                    throw new IdxFormatException(file, "data ends after " + got + " of " + size
                            + " bytes the header declares (truncated file?)");
                }
                got += n;
            }
            if (in.read() >= 0) {
                throw new IdxFormatException(file, "trailing bytes after the " + size + " bytes the header declares");
            }
        } catch (ZipException | EOFException e) {
            throw new IdxFormatException(file, "corrupt gzip data after " + got + " bytes (" + e.getMessage() + ")");
        }
        return body;
    }
}
