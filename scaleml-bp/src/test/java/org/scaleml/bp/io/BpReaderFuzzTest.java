package org.scaleml.bp.io;

import java.io.ByteArrayInputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.scaleml.bp.FactorGraph;
import org.scaleml.bp.ldpc.AlistReader;
import org.scaleml.common.FuzzSupport;

/**
 * Coverage-guided fuzz targets for the inference readers: UAI models, evidence, MAR marginals and alist parity-check
 * matrices. Each must return a result or throw {@link ModelFormatException} with a one-line {@code file:line: reason}
 * message, allocate within a budget, and not hang; any other exception is a finding.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code BpReaderFuzzTestInputs/<method>/}; the {@code fuzz}
 * profile fuzzes one target (see docs/FUZZING.md).
 */
class BpReaderFuzzTest {
    /**
     * The model evidence and marginals are checked against: 4 variables of cardinalities 2, 3, 2, 4 and three
     * factors.
     */
    private static final FactorGraph MODEL = model();

    private static FactorGraph model() {
        FactorGraph.Builder b = FactorGraph.builder();
        for (int c : new int[] {2, 3, 2, 4}) {
            b.addVariable(c);
        }
        b.addFactor(new int[] {0, 1}, new double[] {1, 2, 3, 4, 5, 6});
        b.addFactor(new int[] {2}, new double[] {0.5, 0.5});
        b.addFactor(new int[] {1, 3}, new double[] {1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3});
        return b.build();
    }

    /** Declared counts must not size allocations: 32 MiB plus 256 bytes per input byte. */
    private static long budget(byte[] data) {
        return (32L << 20) + 256L * data.length;
    }

    private interface Reader {
        void read(ByteArrayInputStream in, String name);
    }

    private static void check(byte[] data, String name, Reader reader) throws Exception {
        FuzzSupport.withinAllocation(budget(data), () -> {
            try {
                reader.read(new ByteArrayInputStream(data), name);
            } catch (ModelFormatException e) {
                FuzzSupport.assertCleanMessage(e.getMessage(), name, e);
            }
            return 0;
        });
    }

    @FuzzTest(maxDuration = "60s")
    void uai(byte[] data) throws Exception {
        check(data, "fuzz.uai", (in, name) -> UaiReader.readModel(in, name));
    }

    /** Evidence against {@link #MODEL}, or against no model when the input starts with an odd byte. */
    @FuzzTest(maxDuration = "60s")
    void evidence(byte[] data) throws Exception {
        FactorGraph model = data.length > 0 && (data[0] & 1) != 0 ? null : MODEL;
        check(data, "fuzz.evid", (in, name) -> EvidenceReader.read(in, name, model));
    }

    @FuzzTest(maxDuration = "60s")
    void mar(byte[] data) throws Exception {
        check(data, "fuzz.MAR", (in, name) -> MarReader.read(in, name, MODEL));
    }

    @FuzzTest(maxDuration = "60s")
    void alist(byte[] data) throws Exception {
        check(data, "fuzz.alist", (in, name) -> AlistReader.read(in, name));
    }
}
