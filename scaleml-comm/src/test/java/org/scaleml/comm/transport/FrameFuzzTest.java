package org.scaleml.comm.transport;

import java.nio.ByteBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Coverage-guided fuzz target for the frame layer's parsing functions ({@link FrameCodec}), in process: the input is
 * a received byte stream, cut into frames as the TCP reader does (in integrity mode NONE, i.e. without trailers: a
 * fuzzed trailer would only exercise the MAC's rejection, which {@code TcpFrameFuzzTest} covers). Every header {@link FrameCodec#checkHeader}
 * accepts must size its payload within the documented bounds (so the reader's allocation is bounded), every refused
 * one must get a one-line reason, and an abort reason must decode to a printable line whatever its bytes. An abort
 * frame built from any reason must parse back within the limits.
 *
 * <p>The TCP reader itself ({@code TcpLink}) and the handshake ({@code PeerAuth}) read from a socket channel and
 * cannot run without one; {@code TcpFrameFuzzTest} covers them over loopback with generated streams.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code FrameFuzzTestInputs/frames/}; the {@code fuzz} profile
 * fuzzes it (see docs/FUZZING.md).
 */
class FrameFuzzTest {
    private static final int MAX_FRAME = 1 << 16;

    @FuzzTest(maxDuration = "60s")
    void frames(byte[] data) {
        ByteBuffer b = ByteBuffer.wrap(data);
        while (b.remaining() >= FrameCodec.HEADER_BYTES) {
            int tag = b.getInt();
            int len = b.getInt();
            String bad = FrameCodec.checkHeader(tag, len, MAX_FRAME);
            if (bad != null) {
                if (bad.isBlank() || bad.chars().anyMatch(Character::isISOControl)) {
                    throw new AssertionError("unclear refusal: " + bad);
                }
                return; // the reader closes the connection here
            }
            if (len == FrameCodec.CLOSE) {
                return;
            }
            if (len == FrameCodec.HEARTBEAT) {
                continue; // no payload: the next header follows
            }
            boolean abort = len == FrameCodec.ABORT;
            int size = abort ? tag : len;
            if (size < 0 || size > (abort ? FrameCodec.MAX_REASON_BYTES : MAX_FRAME)) {
                throw new AssertionError("accepted header sizes a payload of " + size + " bytes (tag " + tag
                        + ", length " + len + ")");
            }
            byte[] payload = new byte[Math.min(size, b.remaining())];
            b.get(payload);
            if (abort) {
                String reason = FrameCodec.decodeReason(payload);
                if (reason.chars().anyMatch(Character::isISOControl)) {
                    throw new AssertionError("control character in a decoded abort reason: " + reason);
                }
                byte[] frame = FrameCodec.abortFrame(new String(payload, java.nio.charset.StandardCharsets.UTF_8));
                ByteBuffer f = ByteBuffer.wrap(frame);
                int n = f.getInt();
                if (FrameCodec.checkHeader(n, f.getInt(), MAX_FRAME) != null || n != frame.length - 8) {
                    throw new AssertionError("an abort frame built from a received reason does not parse back");
                }
                return;
            }
        }
    }
}
