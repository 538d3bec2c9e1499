package org.scaleml.comm.transport;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * The frame layer of {@link TcpTransport}: what follows a successful handshake on a connection, in both
 * directions. All integers are big-endian (network byte order).
 *
 * <pre>
 *   data frame     [int32 tag][int32 length, 0 .. maxFrameBytes][length payload bytes]
 *   abort frame    [int32 n, 0 .. 1024][int32 -1][n bytes: UTF-8 reason]
 *   close frame    [int32 0][int32 -2]
 * </pre>
 *
 * A negative length marks a control frame; its tag field carries the length of the control payload. Any other
 * negative length, a data length above the receiver's {@code maxFrameBytes}, an abort reason longer than 1024
 * bytes or a close frame with a non-zero first field is a protocol error: the receiver marks the peer failed and
 * closes the connection. Lengths are checked before anything is allocated. There is no checksum (TCP's is relied
 * upon) and no padding.
 */
final class FrameCodec {
    /** Bytes of a frame header. */
    static final int HEADER_BYTES = 8;
    /** Length field of an abort frame. */
    static final int ABORT = -1;
    /** Length field of a close frame. */
    static final int CLOSE = -2;
    /** Longest abort reason on the wire, in bytes. */
    static final int MAX_REASON_BYTES = 1024;

    private FrameCodec() {
    }

    /**
     * Checks a received header. Returns null if it is a valid data, abort or close header, else a message naming
     * the violation.
     */
    static String checkHeader(int tag, int length, int maxFrameBytes) {
        if (length >= 0) {
            return length <= maxFrameBytes ? null
                    : "frame length " + length + " (tag " + tag + ") exceeds the limit of " + maxFrameBytes + " bytes";
        }
        if (length == ABORT) {
            return tag >= 0 && tag <= MAX_REASON_BYTES ? null
                    : "abort frame with a reason of " + tag + " bytes (at most " + MAX_REASON_BYTES + ")";
        }
        if (length == CLOSE) {
            return tag == 0 ? null : "close frame with a non-zero first field " + tag;
        }
        return "unknown control frame type " + length + " (tag field " + tag + ")";
    }

    /** Writes a data frame header into {@code out}. */
    static void putDataHeader(ByteBuffer out, int tag, int length) {
        out.putInt(tag).putInt(length);
    }

    /** A whole abort frame carrying {@code reason}, cut to {@value #MAX_REASON_BYTES} bytes at a character. */
    static byte[] abortFrame(String reason) {
        byte[] text = utf8Prefix(reason == null ? "" : reason, MAX_REASON_BYTES);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + text.length);
        b.putInt(text.length).putInt(ABORT).put(text);
        return b.array();
    }

    /** A whole close frame. */
    static byte[] closeFrame() {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(0).putInt(CLOSE).array();
    }

    /**
     * Decodes an abort reason for messages and log lines: malformed UTF-8 becomes replacement characters and
     * control characters (line breaks included) become Java-style escapes (a backslash, {@code u}, four hex
     * digits), so a peer cannot forge log lines.
     */
    static String decodeReason(byte[] b) {
        String s = new String(b, StandardCharsets.UTF_8);
        StringBuilder out = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isISOControl(c)) {
                if (out == null) {
                    out = new StringBuilder(s.length() + 16).append(s, 0, i);
                }
                out.append(String.format("\\u%04x", (int) c));
            } else if (out != null) {
                out.append(c);
            }
        }
        return out == null ? s : out.toString();
    }

    private static byte[] utf8Prefix(String s, int maxBytes) {
        CharsetEncoder enc = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer out = ByteBuffer.allocate(maxBytes);
        enc.encode(CharBuffer.wrap(s), out, true); // stops at a character boundary when full
        enc.flush(out);
        out.flip();
        byte[] b = new byte[out.remaining()];
        out.get(b);
        return b;
    }
}
