package org.scaleml.comm.codec;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz target for the decoders of every registered codec (the example specification of each, and
 * error feedback around TopK). {@link GradientCodec#decode} and {@link GradientCodec#decodeAdd} of arbitrary bytes
 * must either succeed or throw {@link CodecFormatException} with a one-line message; no other exception, no
 * allocation in proportion to a payload field, no hang.
 *
 * <p>Input layout: byte 0 picks the codec, bytes 1-2 the element count {@code n} (0..4095) the receiver expects,
 * byte 3's low bit the mode, the rest the payload. In mode 1 the target writes a correct header (version, the
 * codec's id, {@code n}) and seals the checksum over the rest as the body, so the fuzzer explores the body
 * decoders behind the CRC; in mode 0 the rest is the whole payload, header included.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code CodecFuzzTestInputs/decode/}; the {@code fuzz}
 * profile fuzzes it (see docs/FUZZING.md).
 */
class CodecFuzzTest {
    private static final List<GradientCodec> CODECS = codecs();
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private static List<GradientCodec> codecs() {
        List<GradientCodec> l = new java.util.ArrayList<>();
        for (Codecs.Entry e : Codecs.entries()) {
            l.add(Codecs.create(e.example(), 1));
        }
        l.add(Codecs.create("ef:topk:ratio=0.1", 1));
        return l;
    }

    @FuzzTest(maxDuration = "60s")
    void decode(byte[] data) {
        if (data.length < 4) {
            return;
        }
        GradientCodec c = CODECS.get((data[0] & 0xff) % CODECS.size());
        int n = ((data[1] & 0xff) | (data[2] & 0xff) << 8) & 0xfff;
        byte[] payload;
        if ((data[3] & 1) != 0) {
            payload = new byte[Wire.HEADER_BYTES + data.length - 4];
            Wire.begin(payload, 0, c.id(), n);
            System.arraycopy(data, 4, payload, Wire.HEADER_BYTES, data.length - 4);
            Wire.seal(payload, 0, payload.length);
        } else {
            payload = Arrays.copyOfRange(data, 4, data.length);
        }
        float[] dst = new float[n + 2];
        long budget = (1L << 20) + 64L * (payload.length + n);
        for (int attempt = 0; ; attempt++) { // a second time if over: class loading allocates on this thread too
            long before = THREADS.getCurrentThreadAllocatedBytes();
            decodeOne(c, payload, dst, n, false);
            decodeOne(c, payload, dst, n, true);
            long used = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (before < 0 || used <= budget) {
                break;
            }
            if (attempt == 1) {
                throw new AssertionError(c.spec() + ": decoding allocated " + used + " bytes, over " + budget);
            }
        }
    }

    private static void decodeOne(GradientCodec c, byte[] payload, float[] dst, int n, boolean add) {
        // at an offset, so that a decoder that forgets srcOff or dstOff is caught
        byte[] src = new byte[payload.length + 3];
        System.arraycopy(payload, 0, src, 3, payload.length);
        dst[0] = 12345f;
        dst[n + 1] = 54321f;
        try {
            if (add) {
                c.decodeAdd(src, 3, payload.length, dst, 1, n);
            } else {
                c.decode(src, 3, payload.length, dst, 1, n);
            }
        } catch (CodecFormatException e) {
            String m = e.getMessage();
            if (m == null || m.isBlank() || m.chars().anyMatch(Character::isISOControl)) {
                throw new AssertionError(c.spec() + ": unclear message: " + m, e);
            }
        }
        if (dst[0] != 12345f || dst[n + 1] != 54321f) {
            throw new AssertionError(c.spec() + ": decode wrote outside dst[1, n + 1)");
        }
    }
}
