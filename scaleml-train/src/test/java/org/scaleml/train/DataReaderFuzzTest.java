package org.scaleml.train;

import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.scaleml.common.FuzzSupport;
import org.scaleml.train.data.CsvReader;
import org.scaleml.train.data.DatasetFormatException;
import org.scaleml.train.data.IdxReader;
import org.scaleml.train.data.LibsvmReader;

/**
 * Coverage-guided fuzz targets for the data-set readers: IDX (images and labels, plain or gzip), LIBSVM and CSV. Each
 * input is written to a file and read; the reader must return a data set or throw {@link DatasetFormatException}
 * with a one-line {@code file:line: reason} or {@code file: byte offset N: reason} message, allocate within a
 * budget (a header's sizes must not allocate before the data arrives), and not hang. Any other exception is a
 * finding.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code DataReaderFuzzTestInputs/<method>/}; the {@code fuzz}
 * profile fuzzes one target (see docs/FUZZING.md).
 */
class DataReaderFuzzTest {
    /** 16 MiB (buffers, the first data block) plus 64 bytes per input byte. */
    private static long budget(byte[] data) {
        return (16L << 20) + 64L * data.length;
    }

    private interface Reader {
        void read(Path file) throws Exception;
    }

    private static void check(byte[] data, String name, Reader reader) throws Exception {
        Path file = FuzzSupport.file(name, data);
        FuzzSupport.withinAllocation(budget(data), () -> {
            try {
                reader.read(file);
            } catch (DatasetFormatException e) {
                FuzzSupport.assertCleanMessage(e.getMessage(), name, e);
            }
            return 0;
        });
    }

    /** The same bytes as an image file and as a label file. */
    @FuzzTest(maxDuration = "60s")
    void idx(byte[] data) throws Exception {
        check(data, "fuzz-images-idx3-ubyte", IdxReader::readImages);
        check(data, "fuzz-labels-idx1-ubyte", IdxReader::readLabels);
    }

    @FuzzTest(maxDuration = "60s")
    void libsvm(byte[] data) throws Exception {
        check(data, "fuzz.libsvm", LibsvmReader::read);
    }

    /** CSV with the header detected; the first byte picks the label column (first or last). */
    @FuzzTest(maxDuration = "60s")
    void csv(byte[] data) throws Exception {
        CsvReader.Options o = CsvReader.Options.defaults()
                .withLabelColumn(data.length > 0 && (data[0] & 1) != 0 ? "last" : "first");
        check(data, "fuzz.csv", f -> CsvReader.read(f, o));
    }
}
