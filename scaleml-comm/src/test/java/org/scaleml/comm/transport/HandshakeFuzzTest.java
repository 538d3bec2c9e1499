package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Test;

/**
 * Coverage-guided fuzz targets for both sides of the handshake ({@link PeerAuth#serverHandshake} and
 * {@link PeerAuth#clientHandshake}), in process: the input is what the other side sends, served through a
 * {@link PeerAuth.Channel} over byte arrays. Each side must authenticate the peer or refuse it with a
 * {@link PeerAuth.HandshakeException} whose message is one printable line, or see the input end
 * ({@link EOFException}); nothing else may escape, and the messages are fixed-size, so nothing is sized by the input.
 * Above all, a side must never accept a peer whose proof was not computed from the secret.
 *
 * <p>Random bytes almost never carry a valid proof, so the first input byte steers the target: bit 0 set means the
 * target writes the correct proof into the peer's message (computed from the transcript, as a peer knowing the
 * secret would), so the fuzzer explores the steps after the proof; bits 1-2 pick the integrity mode of this side.
 * Success is a finding unless the proof was patched in.
 *
 * <p>{@code ./mvnw verify} replays the stored inputs in {@code HandshakeFuzzTestInputs/server/} and {@code .../client/};
 * the {@code fuzz} profile fuzzes them (see docs/FUZZING.md).
 */
class HandshakeFuzzTest {
    private static final byte[] SECRET = "a fuzzing secret of 32 bytes....".getBytes(StandardCharsets.US_ASCII);
    private static final int SIZE = 4;

    /** A channel whose reads come from {@code in}; writes are recorded. */
    private static class BytesChannel implements PeerAuth.Channel {
        final ByteBuffer in;
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean sealed;

        BytesChannel(byte[] input) {
            in = ByteBuffer.wrap(input);
        }

        @Override
        public void readExact(ByteBuffer dst, long deadline) throws IOException {
            if (in.remaining() < dst.remaining()) {
                dst.put(in);
                throw new EOFException("end of input");
            }
            int start = dst.position();
            ByteBuffer slice = in.slice(in.position(), dst.remaining());
            in.position(in.position() + dst.remaining());
            dst.put(slice);
            afterRead(dst, start);
        }

        /** Lets a target patch what was just read (bytes {@code start} to {@code dst.position()}). */
        void afterRead(ByteBuffer dst, int start) {
        }

        @Override
        public void writeExact(ByteBuffer src, long deadline) {
            byte[] b = new byte[src.remaining()];
            src.get(b);
            out.write(b, 0, b.length);
        }

        @Override
        public void setSeals(FrameSeal send, FrameSeal receive) {
            assertThat(send.trailerBytes()).isEqualTo(receive.trailerBytes());
            sealed = true;
        }

        byte[] written() {
            return out.toByteArray();
        }
    }

    private static TcpConfig.Integrity mode(byte flags) {
        TcpConfig.Integrity[] all = TcpConfig.Integrity.values();
        return all[((flags & 0xff) >>> 1) % all.length];
    }

    private static void assertCleanRefusal(PeerAuth.HandshakeException e) {
        String m = e.getMessage();
        if (m == null || m.isBlank() || m.chars().anyMatch(Character::isISOControl)) {
            throw new AssertionError("unclear refusal: " + m, e);
        }
    }

    /** What a side did with an input: accepted the peer (its rank, or 0 for a server), refused it, or ran out. */
    static final int REFUSED = -1;
    static final int ENDED = -2;

    /** Rank 1 of 4 serves a connection whose client sends {@code data} (after the flag byte); rank 3 is connected. */
    @FuzzTest(maxDuration = "60s")
    void server(byte[] data) {
        runServer(data);
    }

    /** The server target; returns the accepted rank, {@link #REFUSED} or {@link #ENDED}. */
    static int runServer(byte[] data) {
        if (data.length == 0) {
            return ENDED;
        }
        boolean patch = (data[0] & 1) != 0;
        TcpConfig.Integrity mode = mode(data[0]);
        int self = 1;
        BytesChannel ch = new BytesChannel(Arrays.copyOfRange(data, 1, data.length)) {
            private final byte[] hello = new byte[PeerAuth.HELLO_BYTES];
            private int helloBytes;

            @Override
            void afterRead(ByteBuffer dst, int start) {
                if (helloBytes < PeerAuth.HELLO_BYTES) { // the hello arrives in two reads
                    int n = Math.min(dst.position() - start, PeerAuth.HELLO_BYTES - helloBytes);
                    dst.get(start, hello, helloBytes, n);
                    helloBytes += n;
                    return;
                }
                if (patch && dst.capacity() == PeerAuth.PROOF_MSG_BYTES) {
                    ByteBuffer h = ByteBuffer.wrap(hello);
                    int client = h.getInt(12);
                    int integrity = h.getInt(20);
                    byte[] nc = Arrays.copyOfRange(hello, 24, 24 + PeerAuth.NONCE_BYTES);
                    byte[] ns = Arrays.copyOfRange(written(), 12, 12 + PeerAuth.NONCE_BYTES);
                    dst.put(start + 4, PeerAuth.proof(SECRET, (byte) 'C', PeerAuth.PROTOCOL_VERSION, SIZE, client,
                            self, integrity, nc, ns));
                }
            }
        };
        try {
            int peer = PeerAuth.serverHandshake(ch, self, SIZE, SECRET, mode, r -> r == 3, r -> true, Long.MAX_VALUE);
            if (!patch || peer <= self || peer >= SIZE || peer == 3 || !ch.sealed) {
                throw new AssertionError("accepted rank " + peer + (patch ? "" : " without a valid proof"));
            }
            return peer;
        } catch (PeerAuth.HandshakeException e) {
            assertCleanRefusal(e);
            return REFUSED;
        } catch (EOFException e) {
            return ENDED; // the input ended: the reader would close the connection
        } catch (IOException e) {
            throw new AssertionError("unexpected I/O failure", e);
        }
    }

    /** Rank 2 of 4 connects to rank 0, whose replies are {@code data} (after the flag byte). */
    @FuzzTest(maxDuration = "60s")
    void client(byte[] data) {
        runClient(data);
    }

    /** The client target; returns 0 if it authenticated the server, else {@link #REFUSED} or {@link #ENDED}. */
    static int runClient(byte[] data) {
        if (data.length == 0) {
            return ENDED;
        }
        boolean patch = (data[0] & 1) != 0;
        TcpConfig.Integrity mode = mode(data[0]);
        int self = 2;
        int server = 0;
        BytesChannel ch = new BytesChannel(Arrays.copyOfRange(data, 1, data.length)) {
            @Override
            void afterRead(ByteBuffer dst, int start) {
                // the reply's rest (nonce and proof) is read in one piece ending at REPLY_BYTES
                if (patch && dst.capacity() == PeerAuth.REPLY_BYTES && dst.position() == PeerAuth.REPLY_BYTES) {
                    byte[] hello = written();
                    int integrity = ByteBuffer.wrap(hello).getInt(20);
                    byte[] nc = Arrays.copyOfRange(hello, 24, 24 + PeerAuth.NONCE_BYTES);
                    byte[] ns = new byte[PeerAuth.NONCE_BYTES];
                    dst.get(12, ns);
                    dst.put(12 + PeerAuth.NONCE_BYTES, PeerAuth.proof(SECRET, (byte) 'S', PeerAuth.PROTOCOL_VERSION,
                            SIZE, self, server, integrity, nc, ns));
                }
            }
        };
        try {
            PeerAuth.clientHandshake(ch, self, server, SIZE, SECRET, mode, Long.MAX_VALUE, Long.MAX_VALUE);
            if (!patch || !ch.sealed) {
                throw new AssertionError("authenticated a server" + (patch ? " without sealing" : " without a valid proof"));
            }
            return 0;
        } catch (PeerAuth.HandshakeException e) {
            assertCleanRefusal(e);
            return REFUSED;
        } catch (EOFException e) {
            return ENDED;
        } catch (IOException e) {
            throw new AssertionError("unexpected I/O failure", e);
        }
    }

    // ------------------------------------------------------------------------------------------------ the targets' own checks

    /** A valid client transcript with the proof patched in is accepted; unpatched, it is refused; cut, it ends. */
    @Test
    void theServerTargetAcceptsOnlyAPatchedProof() {
        for (TcpConfig.Integrity m : TcpConfig.Integrity.values()) {
            byte flags = (byte) (m.ordinal() << 1);
            ByteBuffer b = ByteBuffer.allocate(1 + PeerAuth.HELLO_BYTES + PeerAuth.PROOF_MSG_BYTES);
            b.put((byte) (flags | 1)).putInt(PeerAuth.MAGIC).putInt(PeerAuth.PROTOCOL_VERSION).putInt(SIZE).putInt(2)
                    .putInt(1).putInt(m.wireCode()).put(new byte[PeerAuth.NONCE_BYTES]).putInt(PeerAuth.OK);
            byte[] valid = b.array();
            assertThat(runServer(valid)).as(m.toString()).isEqualTo(2);
            byte[] unpatched = valid.clone();
            unpatched[0] = flags;
            assertThat(runServer(unpatched)).as(m.toString()).isEqualTo(REFUSED);
            assertThat(runServer(Arrays.copyOf(valid, valid.length - 1))).isEqualTo(ENDED);
        }
    }

    /** A valid server reply with the proof patched in authenticates the server; unpatched, it is refused. */
    @Test
    void theClientTargetAcceptsOnlyAPatchedProof() {
        ByteBuffer b = ByteBuffer.allocate(1 + PeerAuth.REPLY_BYTES + PeerAuth.RESULT_BYTES);
        b.put((byte) 1).putInt(PeerAuth.MAGIC).putInt(PeerAuth.PROTOCOL_VERSION).putInt(PeerAuth.OK)
                .put(new byte[PeerAuth.NONCE_BYTES + PeerAuth.PROOF_BYTES]).putInt(PeerAuth.OK);
        assertThat(runClient(b.array())).isZero();
        byte[] unpatched = b.array().clone();
        unpatched[0] = 0;
        assertThat(runClient(unpatched)).isEqualTo(REFUSED);
    }
}
