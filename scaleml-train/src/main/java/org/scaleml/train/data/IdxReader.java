package org.scaleml.train.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST: label files (magic {@code 0x00000801}, one dimension)
 * and image files (magic {@code 0x00000803}, three dimensions: count, rows, columns), plain or gzip-compressed.
 * Compression is detected from the gzip magic bytes {@code 1f 8b}, not from the file name.
 *
 * <p><b>Validation.</b> Every problem is a {@link DatasetFormatException} naming the file and the byte offset
 * (uncompressed, for gzip input): a wrong magic number (including a label file passed as images and vice versa),
 * an element type other than unsigned byte, a wrong dimension count, a zero dimension or one above
 * {@link #MAX_DIMENSION}, more than {@link #MAX_ELEMENTS} elements, data that ends before the dimensions say
 * (the message gives the offset where it ended and how many bytes were expected), trailing bytes after the data,
 * corrupt gzip data, and label and image files whose counts differ.
 *
 * <p><b>Memory.</b> Nothing is allocated from the header alone beyond what the checks allow: the dimensions are
 * bounded first; for a plain file the expected length is compared with the file size before any data buffer
 * exists; for a gzip file the byte buffer grows (doubling from 1 MiB) only as data actually arrives, so a
 * lying header in a tiny file costs at most a few MiB.
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class IdxReader {
    /*
     * Format (big-endian): bytes 0-1 are zero, byte 2 is the element type (0x08 = unsigned byte, the only type
     * MNIST uses and the only one accepted here), byte 3 the number of dimensions d; then d 32-bit sizes; then
     * the product of the sizes in elements, row-major. We read the header with readFully-style loops so an early
     * end names the offset reached, then the body into a byte[] (see Memory above), then convert: pixels through
     * a 256-entry table to b / 255f, labels to b & 0xff (so a label is < 256 by construction).
     */

    /** Magic number of an IDX label file: unsigned bytes, one dimension. */
    public static final int LABELS_MAGIC = 0x00000801;
    /** Magic number of an IDX image file: unsigned bytes, three dimensions. */
    public static final int IMAGES_MAGIC = 0x00000803;
    /** Largest size accepted for any one dimension. */
    public static final int MAX_DIMENSION = 1 << 28;
    /** Largest number of elements (bytes of data) accepted in one file: the Java array limit. */
    public static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private static final float[] PIXEL = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            PIXEL[i] = i / 255f;
        }
    }

    private IdxReader() {
    }

    /** The pixels of an IDX image file, scaled to {@code [0, 1]}, row-major per image. */
    public record Images(int count, int rows, int columns, float[] pixels) {
        /** Pixels per image. */
        public int pixelsPerImage() {
            return rows * columns;
        }
    }

    /** Bytes before the first label of an IDX label file: magic and count. */
    static final int LABELS_HEADER = 8;

    /**
     * Reads an image file and its label file into a dense data set of shape {@code {1, rows, columns}}.
     *
     * <p>Classes: labels are class indices. With {@code classes > 0} the data set has exactly that many classes
     * and every label must be below it. With {@code classes == 0} the count is inferred as the largest label plus
     * one, and every class below it must have at least one example: a stray byte (say 200 in a file of digits
     * 0..9) is reported instead of silently making a model of 201 classes. Either error names the label file and
     * the byte offset of the offending label (the uncompressed offset for gzip input).
     *
     * @param classes the declared class count (at least 2), or 0 to infer it as above
     * @throws DatasetFormatException if either file is malformed, their counts differ, or a label does not fit
     */
    public static Dataset read(String name, Path images, Path labels, int classes) throws IOException {
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("classes must be 0 (inferred) or at least 2, got " + classes);
        }
        Images img = readImages(images);
        int[] lab = readLabels(labels);
        if (lab.length != img.count()) {
            throw DatasetFormatException.atOffset(labels, 4, "holds " + lab.length + " labels but the image file "
                    + images.getFileName() + " holds " + img.count() + " images", null);
        }
        int k = classes > 0 ? checkDeclared(labels, lab, classes) : inferClasses(labels, lab);
        return Dataset.dense(name, img.pixels(), lab, img.pixelsPerImage(), k, 1, img.rows(), img.columns());
    }

    /** As {@link #read(String, Path, Path, int)} with the classes inferred. */
    public static Dataset read(String name, Path images, Path labels) throws IOException {
        return read(name, images, labels, 0);
    }

    private static int checkDeclared(Path file, int[] lab, int classes) throws DatasetFormatException {
        for (int i = 0; i < lab.length; i++) {
            if (lab[i] >= classes) {
                throw DatasetFormatException.atOffset(file, LABELS_HEADER + (long) i, "label " + lab[i] + " of "
                        + "example " + i + " is not one of the " + classes + " classes 0 to " + (classes - 1), null);
            }
        }
        return classes;
    }

    private static int inferClasses(Path file, int[] lab) throws DatasetFormatException {
        int[] count = new int[256];
        int max = 0;
        int maxAt = -1;
        for (int i = 0; i < lab.length; i++) {
            count[lab[i]]++;
            if (lab[i] > max || maxAt < 0) {
                max = lab[i];
                maxAt = i;
            }
        }
        int missing = 0;
        int firstMissing = -1;
        for (int c = 0; c < max; c++) {
            if (count[c] == 0) {
                missing++;
                firstMissing = firstMissing < 0 ? c : firstMissing;
            }
        }
        if (missing > 0) {
            throw DatasetFormatException.atOffset(file, LABELS_HEADER + (long) maxAt, "label " + max + " of "
                    + "example " + maxAt + " would make " + (max + 1) + " classes, but " + missing + " of the "
                    + "classes below it (the first: " + firstMissing + ") have no example; a damaged label, or "
                    + "give the class count explicitly", null);
        }
        return Math.max(max + 1, 2);
    }

    /** Reads an IDX image file (magic {@code 0x00000803}); pixels are scaled to {@code [0, 1]}. */
    public static Images readImages(Path file) throws IOException {
        int[] dims = new int[3];
        byte[] raw = readRaw(file, IMAGES_MAGIC, dims);
        float[] px = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            px[i] = PIXEL[raw[i] & 0xff];
        }
        return new Images(dims[0], dims[1], dims[2], px);
    }

    /** Reads an IDX label file (magic {@code 0x00000801}); every label is in {@code [0, 256)}. */
    public static int[] readLabels(Path file) throws IOException {
        byte[] raw = readRaw(file, LABELS_MAGIC, new int[1]);
        int[] lab = new int[raw.length];
        for (int i = 0; i < raw.length; i++) {
            lab[i] = raw[i] & 0xff;
        }
        return lab;
    }

    /** Reads header and body; writes the dimensions into {@code dims} (whose length is the dimension count). */
    private static byte[] readRaw(Path file, int magic, int[] dims) throws IOException {
        long fileSize = Files.size(file);
        try (InputStream in = Datasets.open(file)) {
            boolean gz = in instanceof GZIPInputStream;
            Counter c = new Counter(in, file);
            int m = c.readInt();
            if (m != magic) {
                throw DatasetFormatException.atOffset(file, 0, String.format("bad magic number 0x%08x, expected "
                        + "0x%08x (%s)%s", m, magic, describe(magic), hint(m, magic)), null);
            }
            long elements = 1;
            StringBuilder shape = new StringBuilder();
            for (int i = 0; i < dims.length; i++) {
                long at = c.position();
                int d = c.readInt();
                if (d <= 0 || d > MAX_DIMENSION) {
                    throw DatasetFormatException.atOffset(file, at, "dimension " + i + " is " + (d & 0xffffffffL)
                            + ", expected 1.." + MAX_DIMENSION, null);
                }
                dims[i] = d;
                elements *= d;
                if (elements > MAX_ELEMENTS) {
                    throw DatasetFormatException.atOffset(file, at, "dimensions up to " + i + " hold " + elements
                            + " elements, more than the limit " + MAX_ELEMENTS, null);
                }
                shape.append(i == 0 ? "" : " x ").append(d);
            }
            int header = 4 + 4 * dims.length;
            long expected = header + elements;
            String what = "expected " + expected + " bytes (" + header + "-byte header + " + shape + " bytes)";
            if (!gz && fileSize < expected) {
                throw DatasetFormatException.atOffset(file, fileSize, "data ends early: " + what, null);
            }
            byte[] buf = new byte[(int) Math.min(elements, 1 << 20)];
            int n = 0;
            try {
                while (n < elements) {
                    if (n == buf.length) {
                        buf = Arrays.copyOf(buf, (int) Math.min(elements, 2L * buf.length));
                    }
                    int r = in.read(buf, n, buf.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                if (n < elements) {
                    throw DatasetFormatException.atOffset(file, header + (long) n, "data ends early"
                            + (gz ? " (uncompressed offset)" : "") + ": " + what, null);
                }
                if (in.read() >= 0) {
                    throw DatasetFormatException.atOffset(file, expected, "trailing bytes after the data: " + what,
                            null);
                }
            } catch (EOFException | ZipException e) {
                throw DatasetFormatException.atOffset(file, header + (long) n, "gzip data "
                        + (e instanceof EOFException ? "ends early" : "is corrupt (" + e.getMessage() + ")")
                        + " (uncompressed offset): " + what, e);
            }
            return buf;
        }
    }

    private static String describe(int magic) {
        return magic == IMAGES_MAGIC ? "IDX images: unsigned bytes, 3 dimensions"
                : "IDX labels: unsigned bytes, 1 dimension";
    }

    private static String hint(int found, int expected) {
        if (found == LABELS_MAGIC || found == IMAGES_MAGIC) {
            return found == IMAGES_MAGIC ? "; this is an IDX image file" : "; this is an IDX label file";
        }
        if ((found & 0xffff0000) == 0 && (found & 0xff00) != 0x0800) {
            return String.format("; element type 0x%02x is not unsigned byte (0x08)", (found >> 8) & 0xff);
        }
        if ((found & 0xffff0000) == 0) {
            return "; " + (found & 0xff) + " dimensions where " + (expected & 0xff) + " are expected";
        }
        return "; not an IDX file (or a wrongly named one)";
    }

    /** Big-endian header reader that tracks the offset. */
    private static final class Counter {
        private final InputStream in;
        private final Path file;
        private long pos;

        Counter(InputStream in, Path file) {
            this.in = in;
            this.file = file;
        }

        long position() {
            return pos;
        }

        int readInt() throws IOException {
            int v = 0;
            for (int i = 0; i < 4; i++) {
                int b;
                try {
                    b = in.read();
                } catch (EOFException | ZipException e) {
                    throw DatasetFormatException.atOffset(file, pos, "gzip data ends early or is corrupt inside "
                            + "the header", e);
                }
                if (b < 0) {
                    throw DatasetFormatException.atOffset(file, pos, "file ends inside the header", null);
                }
                v = (v << 8) | b;
                pos++;
            }
            return v;
        }
    }
}
