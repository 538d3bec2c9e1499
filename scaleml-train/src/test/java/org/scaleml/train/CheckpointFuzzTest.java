package org.scaleml.train;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;
import org.scaleml.common.FuzzSupport;
import org.scaleml.train.Checkpoint.CheckpointException;

/**
 * Coverage-guided fuzz target for {@link Checkpoint#decode}: it must return a checkpoint or throw {@link
 * CheckpointException} with a one-line message that starts with the file name, allocate within a budget (no length
 * field may size an array before its data), and not hang. Any other exception is a finding.
 *
 * <p>A random file almost never passes the CRC32C check, so when the input's first byte is odd the target drops it
 * and appends the correct CRC to the rest: the fuzzer then explores the fields behind the check.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code CheckpointFuzzTestInputs/decode/}; the {@code fuzz}
 * profile fuzzes it (see docs/FUZZING.md).
 */
class CheckpointFuzzTest {
    /** The bound on array lengths the reader is given (a model's parameter count). */
    private static final int MAX_FLOATS = 1000;

    static byte[] withCrc(byte[] body) {
        CRC32C crc = new CRC32C();
        crc.update(body);
        byte[] all = Arrays.copyOf(body, body.length + 8);
        ByteBuffer.wrap(all, body.length, 8).putLong(crc.getValue());
        return all;
    }

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] data) throws Exception {
        byte[] file = data.length > 0 && (data[0] & 1) != 0 ? withCrc(Arrays.copyOfRange(data, 1, data.length)) : data;
        FuzzSupport.withinAllocation((4L << 20) + 64L * data.length, () -> {
            try {
                Checkpoint c = Checkpoint.decode(file, "step-7.rank-0.ckpt", MAX_FLOATS);
                if (c.params().length > MAX_FLOATS) {
                    throw new AssertionError("parameters longer than the bound: " + c.params().length);
                }
            } catch (CheckpointException e) {
                FuzzSupport.assertCleanMessage(e.getMessage(), "step-7.rank-0.ckpt", e);
            }
            return 0;
        });
    }

    @Test
    void aTextFieldThatIsNotModifiedUtf8IsADamagedCheckpoint() {
        ByteBuffer b = ByteBuffer.allocate(64);
        b.put("SCALEMLC".getBytes(StandardCharsets.US_ASCII)).putInt(2).putShort((short) 2).put((byte) 0xff)
                .put((byte) 'x');
        byte[] file = withCrc(Arrays.copyOf(b.array(), b.position()));
        assertThatThrownBy(() -> Checkpoint.decode(file, "step-1.rank-0.ckpt", MAX_FLOATS))
                .isInstanceOf(CheckpointException.class)
                .hasMessage("step-1.rank-0.ckpt: damaged (a text field is not valid modified UTF-8)");
    }
}
