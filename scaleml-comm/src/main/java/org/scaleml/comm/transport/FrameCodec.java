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
 *   data frame       [int32 tag][int32 length, 0 .. maxFrameBytes][length payload bytes][trailer]
 *   abort frame      [int32 n, 0 .. 1024][int32 -1][n bytes: UTF-8 reason][trailer]
 *   close frame      [int32 0][int32 -2][trailer]
 *   heartbeat frame  [int32 0][int32 -3][trailer]
 *
 *   trailer, by the integrity mode agreed in the handshake ({@link TcpConfig.Integrity}):
 *     MAC     16 bytes: the first 16 bytes of HMAC-SHA256(K, int64 seq || header || payload)
 *     CRC32C   4 bytes: CRC32C(int64 seq || header || payload)
 *     NONE     nothing
 * </pre>
 * {@code header} is the frame's 8 header bytes as sent, {@code payload} what follows them (the reason of an abort,
 * nothing for close and heartbeat). {@code seq} counts the frames sent on the connection in that direction, every
 * type included, starting at 0; it is not sent, each side counts. {@code K} is the direction's session key from the
 * handshake ({@link PeerAuth}): a different key per direction and per connection, so a frame cannot be reflected
 * back to its sender or moved to another connection, and the counter makes a replayed, reordered or dropped frame
 * fail the check. A 16-byte tag (128 bits) keeps forgery out of reach; CRC32C only detects accidents.
 *
 * <p>A negative length marks a control frame; its tag field carries the length of the control payload. Any other
 * negative length, a data length above the receiver's {@code maxFrameBytes}, an abort reason longer than 1024
 * bytes or a close or heartbeat frame with a non-zero first field is a protocol error: the receiver marks the peer
 * failed and closes the connection. Lengths are checked before anything is allocated; a frame is acted on
 * (delivered, or its abort or close obeyed) only after its trailer checked out, and a trailer that does not check
 * out fails the peer ("frame N from rank P failed its integrity check"). A heartbeat carries nothing: it only shows
 * that the peer is alive, and is sent by a connection that has sent nothing else for a while. There is no padding.
 */
final class FrameCodec {
    /** Bytes of a frame header. */
    static final int HEADER_BYTES = 8;
    /** Length field of an abort frame. */
    static final int ABORT = -1;
    /** Length field of a close frame. */
    static final int CLOSE = -2;
    /** Length field of a heartbeat frame. */
    static final int HEARTBEAT = -3;
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
        if (length == HEARTBEAT) {
            return tag == 0 ? null : "heartbeat frame with a non-zero first field " + tag;
        }
        return "unknown control frame type " + length + " (tag field " + tag + ")";
    }

    /** Writes a data frame header into {@code out}. */
    static void putDataHeader(ByteBuffer out, int tag, int length) {
        out.putInt(tag).putInt(length);
    }

    /** An abort frame (without its trailer) carrying {@code reason}, cut to {@value #MAX_REASON_BYTES} bytes at a character. */
    static byte[] abortFrame(String reason) {
        byte[] text = utf8Prefix(reason == null ? "" : reason, MAX_REASON_BYTES);
        ByteBuffer b = ByteBuffer.allocate(HEADER_BYTES + text.length);
        b.putInt(text.length).putInt(ABORT).put(text);
        return b.array();
    }

    /** A whole close frame (without its trailer). */
    static byte[] closeFrame() {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(0).putInt(CLOSE).array();
    }

    /** A whole heartbeat frame (without its trailer). */
    static byte[] heartbeatFrame() {
        return ByteBuffer.allocate(HEADER_BYTES).putInt(0).putInt(HEARTBEAT).array();
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
