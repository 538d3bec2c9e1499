package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.transport.TcpTestSupport.assertNoTcpThreads;
import static org.scaleml.comm.transport.TcpTestSupport.fastConfig;
import static org.scaleml.comm.transport.TcpTestSupport.inThread;
import static org.scaleml.comm.transport.TcpTestSupport.join;
import static org.scaleml.comm.transport.TcpTestSupport.newSecret;
import static org.scaleml.comm.transport.TcpTestSupport.onFreePorts;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.scaleml.comm.transport.TcpTestSupport.Frame;
import org.scaleml.comm.transport.TcpTestSupport.LogCapture;
import org.scaleml.comm.transport.TcpTestSupport.RawPeer;

/**
 * After a valid handshake, a raw peer (rank 2 of 3) sends malformed or hostile bytes to rank 0. Rank 0 must mark it
 * failed with a clear message, keep the frames it sent before, allocate nothing for a refused length, never deliver
 * a frame whose integrity trailer does not check out, and keep working with rank 1; nothing hangs. Frames meant to
 * be valid carry the trailer of the documented MAC mode (the default), computed by the raw peer.
 */
class TcpFrameFuzzTest {
    private static final int MAX_FRAME = 1 << 20;
    private static final TcpConfig CONFIG = fastConfig().maxFrameBytes(MAX_FRAME).build();

    @AfterEach
    void noThreadsLeft() throws InterruptedException {
        assertNoTcpThreads();
    }

    /** What the attack does to the raw connection after its bytes. */
    enum After {
        CLOSE, KEEP_OPEN, RESET
    }

    interface Probe {
        void check(TcpTransport t0, RawPeer attacker) throws Exception;
    }

    /**
     * Sets up ranks 0 and 1 (real) and rank 2 (raw, connected to both), sends one valid frame from rank 2 to rank 0,
     * then {@code attack} on that connection, runs {@code probe}, and checks that ranks 0 and 1 still talk.
     */
    private static void attack(byte[] attack, After after, Probe probe) throws Exception {
        attack(p -> attack, after, probe);
    }

    /** {@link #attack(byte[], After, Probe)} with bytes made by the attacker (e.g. sealed with its session key). */
    private static void attack(java.util.function.Function<RawPeer, byte[]> attack, After after, Probe probe)
            throws Exception {
        byte[] secret = newSecret();
        onFreePorts(3, addrs -> {
            CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, CONFIG));
            CompletableFuture<TcpTransport> f1 = inThread("rank1", () -> TcpTransport.connect(1, addrs, secret, CONFIG));
            try (RawPeer to0 = RawPeer.authenticated(addrs.get(0), 3, 2, 0, secret);
                    RawPeer to1 = RawPeer.authenticated(addrs.get(1), 3, 2, 1, secret);
                    TcpTransport t0 = join(f0, 10);
                    TcpTransport t1 = join(f1, 10)) {
                to0.sendFrame(Integer.MIN_VALUE, new byte[] {1, 2, 3}); // a valid frame before the attack
                if (after == After.RESET) {
                    to0.socket.setSoLinger(true, 0);
                }
                to0.sendRaw(attack.apply(to0));
                if (after == After.CLOSE) {
                    to0.socket.shutdownOutput();
                } else if (after == After.RESET) {
                    to0.socket.close();
                }
                assertThat(t0.receive(2, Integer.MIN_VALUE)).as("a frame sent before the attack")
                        .containsExactly(1, 2, 3);
                probe.check(t0, to0);
                byte[] big = new byte[100_000];
                new SplittableRandom(1).nextBytes(big);
                t0.send(1, 11, big);
                t1.send(0, 12, big);
                assertThat(t1.receive(0, 11)).as("rank 0 still sends to rank 1").isEqualTo(big);
                assertThat(t0.receive(1, 12)).as("rank 0 still receives from rank 1").isEqualTo(big);
                to1.sendFrame(13, new byte[] {4});
                assertThat(t1.receive(2, 13)).as("rank 1 still hears rank 2: the failure is rank 0's link only")
                        .containsExactly(4);
            } catch (Exception | Error e) {
                f0.thenAccept(TcpTransport::close);
                f1.thenAccept(TcpTransport::close);
                throw e;
            }
            return null;
        });
    }

    /** Asserts that rank 0 marks rank 2 failed quickly, with a message containing {@code expected}. */
    private static Probe failsWith(String expected) {
        return (t0, attacker) -> {
            long t = System.nanoTime();
            assertThatThrownBy(() -> t0.receive(2, 99)).isInstanceOf(PeerFailedException.class)
                    .hasMessageContaining("rank 0: peer 2 failed: ").hasMessageContaining(expected)
                    .hasMessageNotContaining("OutOfMemoryError");
            assertThat(System.nanoTime() - t).as("failure seen within").isLessThan(TimeUnit.SECONDS.toNanos(2));
            assertThatThrownBy(() -> t0.send(2, 1, new byte[1])).isInstanceOf(PeerFailedException.class);
            if (!attacker.socket.isClosed()) {
                assertThat(attacker.closedByPeerWithin(2000)).as("rank 0 closed the connection").isTrue();
            }
        };
    }

    private static byte[] header(int first, int second, byte[] rest) {
        return ByteBuffer.allocate(8 + rest.length).putInt(first).putInt(second).put(rest).array();
    }

    /** The frame {@code header(first, second, rest)} with its valid trailer, as the attacker's next frame. */
    private static java.util.function.Function<RawPeer, byte[]> sealed(int first, int second, byte[] rest) {
        return p -> p.sealed(header(first, second, rest));
    }

    static Stream<Arguments> hostileStreams() {
        return Stream.of(
                Arguments.of("length 2^31-1", header(3, Integer.MAX_VALUE, new byte[16]), After.KEEP_OPEN,
                        "protocol error: frame length 2147483647 (tag 3) exceeds the limit of 1048576 bytes"),
                Arguments.of("length 1.5 GiB, which -Xmx2g could allocate", header(4, 0x6000_0000, new byte[0]),
                        After.KEEP_OPEN, "frame length 1610612736 (tag 4) exceeds the limit"),
                Arguments.of("one byte over the limit", header(5, MAX_FRAME + 1, new byte[0]), After.KEEP_OPEN,
                        "frame length 1048577 (tag 5) exceeds the limit of 1048576 bytes"),
                Arguments.of("unknown control frame", header(0, -7, new byte[0]), After.KEEP_OPEN,
                        "protocol error: unknown control frame type -7"),
                Arguments.of("abort reason too long", header(5000, -1, new byte[0]), After.KEEP_OPEN,
                        "protocol error: abort frame with a reason of 5000 bytes"),
                Arguments.of("abort reason negative", header(-3, -1, new byte[0]), After.KEEP_OPEN,
                        "protocol error: abort frame with a reason of -3 bytes"),
                Arguments.of("close frame with a non-zero field", header(1, -2, new byte[0]), After.KEEP_OPEN,
                        "protocol error: close frame with a non-zero first field 1"),
                Arguments.of("truncated payload", header(9, 1000, new byte[10]), After.CLOSE,
                        "connection closed inside a frame with tag 9 (10 of 1000 payload bytes): truncated frame"),
                Arguments.of("truncated header", new byte[5], After.CLOSE,
                        "connection closed inside a frame header (5 of 8 bytes): truncated frame"),
                Arguments.of("truncated abort", header(10, -1, new byte[3]), After.CLOSE,
                        "connection closed inside an abort frame (3 of 10 payload bytes)"),
                Arguments.of("end of stream", new byte[0], After.CLOSE, "connection closed without a close frame"),
                Arguments.of("reset", new byte[0], After.RESET, "connection lost: "),
                Arguments.of("heartbeat with a non-zero field", header(2, -3, new byte[0]), After.KEEP_OPEN,
                        "protocol error: heartbeat frame with a non-zero first field 2"),
                Arguments.of("truncated trailer", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] f = p.sealed(header(7, 2, new byte[] {1, 2}));
                    return java.util.Arrays.copyOf(f, f.length - 5);
                }, After.CLOSE, "connection closed inside the integrity trailer of frame 1 (11 of 16 bytes)"),
                Arguments.of("a valid abort", sealed(4, -1, "oops".getBytes(StandardCharsets.UTF_8)),
                        After.KEEP_OPEN, "aborted: oops"),
                Arguments.of("an abort reason cannot forge log lines",
                        sealed(9, -1, "a\nWARNING".getBytes(StandardCharsets.UTF_8)), After.KEEP_OPEN,
                        "aborted: a\\u000aWARNING"),
                Arguments.of("a valid close", sealed(0, -2, new byte[0]), After.KEEP_OPEN, "closed its endpoint"),
                Arguments.of("a valid heartbeat, then end of stream", sealed(0, -3, new byte[0]), After.CLOSE,
                        "connection closed without a close frame"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileStreams")
    @SuppressWarnings("unchecked")
    void aHostileStreamFailsThatPeerOnly(String name, Object bytes, After after, String expected) throws Exception {
        if (bytes instanceof byte[]) {
            attack((byte[]) bytes, after, failsWith(expected));
        } else {
            attack((java.util.function.Function<RawPeer, byte[]>) bytes, after, failsWith(expected));
        }
    }

    // ------------------------------------------------------------------------------------------------ integrity

    static Stream<Arguments> tamperedFrames() {
        byte[] payload = new byte[300];
        new SplittableRandom(5).nextBytes(payload);
        byte[] frame = header(21, payload.length, payload);
        return Stream.of(
                Arguments.of("one payload byte flipped", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] f = p.sealed(frame);
                    f[8 + 123] ^= 0x10;
                    return f;
                }, "frame 1 from rank 2 failed its integrity check (MAC; corrupted, forged, replayed or out of order:"
                        + " tag 21, 300 bytes); not delivered, connection closed"),
                Arguments.of("one trailer byte flipped", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] f = p.sealed(frame);
                    f[f.length - 1] ^= 1;
                    return f;
                }, "frame 1 from rank 2 failed its integrity check"),
                Arguments.of("the tag changed", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] f = p.sealed(frame);
                    f[3] = 22;
                    return f;
                }, "frame 1 from rank 2 failed its integrity check (MAC; corrupted, forged, replayed or out of order:"
                        + " tag 22"),
                Arguments.of("the first frame replayed", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] first = header(Integer.MIN_VALUE, 3, new byte[] {1, 2, 3}); // as sent by attack()
                    byte[] t = TcpTestSupport.trailer(TcpTestSupport.MAC, p.sendKey, 0, first, 0, first.length);
                    return ByteBuffer.allocate(first.length + t.length).put(first).put(t).array();
                }, "frame 1 from rank 2 failed its integrity check"),
                Arguments.of("a frame skipped (dropped)", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    p.sealed(frame); // frame 1 never reaches the wire
                    return p.sealed(frame);
                }, "frame 1 from rank 2 failed its integrity check"),
                Arguments.of("an abort forged without the key", (java.util.function.Function<RawPeer, byte[]>) p -> {
                    byte[] f = header(4, -1, "oops".getBytes(StandardCharsets.UTF_8));
                    return ByteBuffer.allocate(f.length + 16).put(f).put(new byte[16]).array();
                }, "frame 1 from rank 2 failed its integrity check (MAC; corrupted, forged, replayed or out of order:"
                        + " an abort)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("tamperedFrames")
    void aFrameFailingItsIntegrityCheckIsNeverDeliveredAndFailsThePeer(String name,
            java.util.function.Function<RawPeer, byte[]> bytes, String expected) throws Exception {
        try (LogCapture log = new LogCapture()) {
            attack(bytes, After.KEEP_OPEN, (t0, attacker) -> {
                failsWith(expected).check(t0, attacker);
                assertThatThrownBy(() -> t0.receive(2, 21, 0)).as("the tampered frame was not delivered")
                        .isInstanceOf(PeerFailedException.class);
                assertThatThrownBy(() -> t0.receive(2, 22, 0)).as("nor under its changed tag")
                        .isInstanceOf(PeerFailedException.class);
            });
            assertThat(log.await("WARNING rank 0: peer 2 (/127.0.0.1:", "failed its integrity check")).isNotNull();
        }
    }

    @Test
    void aProtocolErrorIsLoggedNamingPeerAddressAndReason() throws Exception {
        try (LogCapture log = new LogCapture()) {
            attack(header(3, Integer.MAX_VALUE, new byte[0]), After.KEEP_OPEN, failsWith("protocol error"));
            assertThat(log.await("WARNING rank 0: peer 2 (/127.0.0.1:", ") failed: protocol error: frame length "
                    + "2147483647 (tag 3) exceeds the limit of 1048576 bytes; connection closed")).isNotNull();
        }
    }

    // ------------------------------------------------------------------------------------------------ random streams

    /** The outcome the documented format predicts for a byte stream: frames delivered, then how it ends. */
    record Expected(List<Frame> frames, String end) {
    }

    /**
     * A reference parser written from the frame format in the javadoc: frames with MAC trailers under {@code key},
     * counted from {@code seq}.
     */
    static Expected parse(byte[] stream, byte[] key, long seq) {
        ByteBuffer b = ByteBuffer.wrap(stream);
        List<Frame> frames = new ArrayList<>();
        while (true) {
            if (!b.hasRemaining()) {
                return new Expected(frames, "boundary");
            }
            if (b.remaining() < 8) {
                return new Expected(frames, "truncated");
            }
            int start = b.position();
            int tag = b.getInt();
            int len = b.getInt();
            boolean data = len >= 0 && len <= MAX_FRAME;
            boolean abort = len == -1 && tag >= 0 && tag <= 1024;
            boolean bare = (len == -2 || len == -3) && tag == 0;
            if (!data && !abort && !bare) {
                return new Expected(frames, "protocol error");
            }
            int n = data ? len : abort ? tag : 0;
            if (b.remaining() < n + 16) {
                return new Expected(frames, "truncated");
            }
            byte[] p = new byte[n];
            b.get(p);
            byte[] got = new byte[16];
            b.get(got);
            if (!java.util.Arrays.equals(got, TcpTestSupport.trailer(TcpTestSupport.MAC, key, seq++, stream, start,
                    8 + n))) {
                return new Expected(frames, "failed its integrity check");
            }
            if (abort) {
                return new Expected(frames, "aborted: " + escapeControls(new String(p, StandardCharsets.UTF_8)));
            }
            if (len == -2) {
                return new Expected(frames, "closed its endpoint");
            }
            if (data) {
                frames.add(new Frame(tag, p));
            }
        }
    }

    private static String escapeControls(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(Character.isISOControl(c) ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return b.toString();
    }

    /**
     * Valid frames (small tags and lengths, an occasional control frame or heartbeat) sealed by {@code peer}, then
     * bit flips and a cut: at a random byte or, one time in three, at the end of a frame.
     */
    static byte[] randomStream(SplittableRandom rnd, RawPeer peer) {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        List<Integer> boundaries = new ArrayList<>();
        int frames = rnd.nextInt(1, 12);
        for (int i = 0; i < frames; i++) {
            int kind = rnd.nextInt(20);
            byte[] p = new byte[kind == 0 ? rnd.nextInt(0, 50) : rnd.nextInt(0, 3000)];
            rnd.nextBytes(p);
            ByteBuffer h = ByteBuffer.allocate(8);
            if (kind == 0) {
                h.putInt(p.length).putInt(-1);
            } else if (kind == 1 || kind == 2) {
                h.putInt(0).putInt(kind == 1 ? -2 : -3);
                p = new byte[0];
            } else {
                h.putInt(rnd.nextInt(0, 4)).putInt(p.length);
            }
            s.writeBytes(peer.sealed(ByteBuffer.allocate(8 + p.length).put(h.array()).put(p).array()));
            boundaries.add(s.size());
        }
        byte[] b = s.toByteArray();
        int flips = rnd.nextInt(3) == 0 ? 0 : rnd.nextInt(1, 4);
        for (int i = 0; i < flips; i++) {
            b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        }
        int cut = rnd.nextInt(3) == 0 ? boundaries.get(rnd.nextInt(boundaries.size())) : rnd.nextInt(0, b.length + 1);
        return java.util.Arrays.copyOf(b, cut);
    }

    @Test
    void randomlyDamagedStreamsEndAsTheFormatPredictsAndNeverHang() throws Exception {
        SplittableRandom rnd = new SplittableRandom(20_251_123);
        int[] ends = new int[4];
        java.util.Map<String, Integer> kinds = new java.util.TreeMap<>();
        for (int round = 0; round < 24; round++) {
            boolean close = round % 2 == 0;
            int r = round;
            Expected[] predicted = new Expected[1];
            String[] described = new String[1];
            attack(peer -> {
                long seq = peer.sendSeq;
                byte[] stream = randomStream(rnd, peer);
                predicted[0] = parse(stream, peer.sendKey, seq);
                described[0] = "round " + r + " (" + stream.length + " bytes, " + (close ? "closed" : "kept open")
                        + ", predicted " + predicted[0].end() + " after " + predicted[0].frames().size() + " frames)";
                return stream;
            }, close ? After.CLOSE : After.KEEP_OPEN, (t0, attacker) -> {
                Expected want = predicted[0];
                String desc = described[0];
                for (Frame f : want.frames()) {
                    assertThat(t0.receive(2, f.tag(), TimeUnit.SECONDS.toNanos(2))).as(desc).isEqualTo(f.payload());
                }
                boolean stops = !want.end().equals("boundary") && !want.end().equals("truncated");
                if (stops || close) {
                    String expected = stops ? want.end()
                            : want.end().equals("truncated") ? "truncated frame" : "without a close frame";
                    assertThatThrownBy(() -> t0.receive(2, 99)).as(desc).isInstanceOf(PeerFailedException.class)
                            .hasMessageContaining(expected);
                    ends[stops ? 0 : want.end().equals("truncated") ? 1 : 2]++;
                    kinds.merge(want.end().replaceAll(":.*", ""), 1, Integer::sum);
                } else {
                    // an unfinished frame on an open connection: only the time limit can tell
                    assertThatThrownBy(() -> t0.receive(2, 99, TimeUnit.MILLISECONDS.toNanos(150))).as(desc)
                            .isInstanceOf(CommTimeoutException.class);
                    ends[3]++;
                }
            });
        }
        // the generator reaches every kind of ending (guards against a degenerate fuzzer)
        assertThat(kinds).as("stopping kinds").containsKey("failed its integrity check");
        assertThat(java.util.Arrays.stream(ends).min().getAsInt()).as("fewest of stopped / truncated+closed / boundary+closed / open: %s", java.util.Arrays.toString(ends)).isPositive();
    }
}
