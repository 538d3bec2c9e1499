package org.scaleml.graph;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.scaleml.common.FuzzSupport;
import org.scaleml.common.io.TextScanner;

/**
 * Coverage-guided fuzz targets for the graph readers. Each input is read as a stream (plain, gzip or xz, as
 * sniffed); the reader must return a graph or throw {@link GraphFormatException} with a one-line {@code
 * file:line: reason} message, allocate within a budget, and not hang. Any other exception is a finding.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code GraphReaderFuzzTestInputs/<method>/}; the {@code
 * fuzz} profile fuzzes one target (see docs/FUZZING.md).
 */
class GraphReaderFuzzTest {
    /**
     * Allocation allowed per input: a header may size the first allocation up to 4M entries (the documented cap),
     * and the arrays grow with the data; 64 bytes per input byte covers edge lists and CSR arrays.
     */
    private static long budget(byte[] data) {
        return (256L << 20) + 64L * data.length;
    }

    private static void read(byte[] data, GraphFormat format, String name, ReadOptions options) throws Exception {
        Path file = Path.of(name);
        FuzzSupport.withinAllocation(budget(data), () -> {
            try {
                CsrGraph g = GraphReader.read(new ByteArrayInputStream(data), file, format, options);
                if (g.nodes() < 0 || g.edges() < 0) {
                    throw new AssertionError("negative size: " + g.nodes() + " nodes, " + g.edges() + " edges");
                }
                // a valid file may declare many isolated nodes: the offsets and the id map are per node
                return 32L * (g.nodes() + 1L);
            } catch (GraphFormatException e) {
                FuzzSupport.assertCleanMessage(e.getMessage(), name, e);
                return 0;
            }
        });
    }

    /** Uses the first input byte to pick options, so that every combination is reached. */
    private static ReadOptions options(byte[] data) {
        int b = data.length == 0 ? 0 : data[0];
        return ReadOptions.defaults().withSymmetrize((b & 1) != 0).withDropSelfLoops((b & 2) != 0)
                .withDeduplicate((b & 4) != 0).withAllowNegativeWeights((b & 8) != 0);
    }

    @FuzzTest(maxDuration = "60s")
    void dimacs(byte[] data) throws Exception {
        read(data, GraphFormat.DIMACS, "fuzz.gr", options(data));
    }

    @FuzzTest(maxDuration = "60s")
    void pace(byte[] data) throws Exception {
        read(data, GraphFormat.PACE, "fuzz.gr", options(data));
    }

    @FuzzTest(maxDuration = "60s")
    void snap(byte[] data) throws Exception {
        read(data, GraphFormat.SNAP, "fuzz.txt", options(data));
    }

    @FuzzTest(maxDuration = "60s")
    void mtx(byte[] data) throws Exception {
        read(data, GraphFormat.MTX, "fuzz.mtx", options(data));
    }

    @FuzzTest(maxDuration = "60s")
    void dimacsCoordinates(byte[] data) throws Exception {
        Path file = Path.of("fuzz.co");
        FuzzSupport.withinAllocation(budget(data), () -> {
            try (TextScanner<IOException> sc = GraphText.open(new ByteArrayInputStream(data), file)) {
                return 16L * DimacsReader.readCoordinates(sc).size();
            } catch (GraphFormatException e) {
                FuzzSupport.assertCleanMessage(e.getMessage(), "fuzz.co", e);
                return 0;
            }
        });
    }
}
