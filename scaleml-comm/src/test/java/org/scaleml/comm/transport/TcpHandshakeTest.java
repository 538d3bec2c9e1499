package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.transport.TcpTestSupport.MAGIC;
import static org.scaleml.comm.transport.TcpTestSupport.assertNoTcpThreads;
import static org.scaleml.comm.transport.TcpTestSupport.fastConfig;
import static org.scaleml.comm.transport.TcpTestSupport.inThread;
import static org.scaleml.comm.transport.TcpTestSupport.join;
import static org.scaleml.comm.transport.TcpTestSupport.newSecret;
import static org.scaleml.comm.transport.TcpTestSupport.onFreePorts;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.comm.transport.TcpTestSupport.LogCapture;
import org.scaleml.comm.transport.TcpTestSupport.RawPeer;
import org.scaleml.comm.transport.TcpTestSupport.Reply;

class TcpHandshakeTest {
    private static final byte[] NONCE = new byte[32];

    @AfterEach
    void noThreadsLeft() throws InterruptedException {
        assertNoTcpThreads();
    }

    @Test
    void aWrongSecretIsRefusedAndBothSidesSayWhy() throws Exception {
        TcpConfig cfg = fastConfig().connectTimeout(Duration.ofMillis(1500)).build();
        // The client waits up to 30 s: failing well before that shows it gave up on the refusal, not on a timeout
        // (a margin that holds on a loaded machine).
        TcpConfig patient = fastConfig().connectTimeout(Duration.ofSeconds(30)).build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> server = inThread("rank0",
                        () -> TcpTransport.connect(0, addrs, newSecret(), cfg));
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> TcpTransport.connect(1, addrs, newSecret(), patient))
                        .isExactlyInstanceOf(CommException.class)
                        .hasMessageContaining("rank 1: handshake with rank 0 at " + addrs.get(0))
                        .hasMessageContaining("wrong secret");
                assertThat(System.nanoTime() - t0).as("the client fails at once, not at the connect timeout")
                        .isLessThan(TimeUnit.SECONDS.toNanos(15));
                assertThatThrownBy(() -> join(server, 10)).isInstanceOf(CommTimeoutException.class)
                        .hasMessageContaining("rank 0: rank 1 did not connect")
                        .hasMessageContaining("refused meanwhile")
                        .hasMessageContaining("the secrets differ");
                return null;
            });
            assertThat(log.await("WARNING rank 0: refused a connection from /127.0.0.1:", "claims rank 1",
                    "the secrets differ")).isNotNull();
        }
    }

    @Test
    void aClientWithAWrongProofIsRefusedAndTheListenerServesTheRealPeer() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                try (RawPeer impostor = RawPeer.open(addrs.get(0))) {
                    impostor.hello(MAGIC, TcpTestSupport.VERSION, 2, 1, 0, NONCE);
                    Reply r = impostor.readReply();
                    assertThat(r.status()).isZero();
                    impostor.proof(0, TcpTestSupport.hmac(newSecret(), 'C', TcpTestSupport.VERSION, 2, 1, 0, NONCE, r.nonce()));
                    assertThat(impostor.readResult()).isEqualTo(6);
                    assertThat(impostor.closedByPeerWithin(2000)).isTrue();
                }
                try (TcpTransport t1 = TcpTransport.connect(1, addrs, secret, cfg); TcpTransport t0 = join(f0, 10)) {
                    t1.send(0, 3, new byte[] {9});
                    assertThat(t0.receive(1, 3)).containsExactly(9);
                }
                return null;
            });
            assertThat(log.await("refused a connection", "claims rank 1", "proof does not match our secret"))
                    .isNotNull();
        }
    }

    @Test
    void garbageAndAStalledClientAreRefusedWhileOthersAreServed() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().handshakeTimeout(Duration.ofMillis(300)).build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                try (RawPeer http = RawPeer.open(addrs.get(0)); RawPeer stalled = RawPeer.open(addrs.get(0))) {
                    http.sendRaw("GET / HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    stalled.sendRaw(new byte[] {0x53, 0x4D, 0x4C}); // three bytes of a magic, then nothing
                    Reply r = http.readReply();
                    assertThat(r.magic()).isEqualTo(MAGIC);
                    assertThat(r.status()).isEqualTo(1);
                    assertThat(http.closedByPeerWithin(2000)).isTrue();
                    assertThat(stalled.closedByPeerWithin(3000)).as("a stalled handshake is dropped").isTrue();
                }
                try (TcpTransport t1 = TcpTransport.connect(1, addrs, secret, cfg); TcpTransport t0 = join(f0, 10)) {
                    t0.send(1, 0, new byte[] {1});
                    assertThat(t1.receive(0, 0)).containsExactly(1);
                }
                return null;
            });
            assertThat(log.await("refused a connection from /127.0.0.1:", "not a ScaleML handshake",
                    "0x474554202f204854")).isNotNull();
            assertThat(log.await("refused a connection from /127.0.0.1:", "handshake failed",
                    "SocketTimeoutException")).isNotNull();
        }
    }

    @Test
    void outOfRangeWrongDirectionAndWrongJobClaimsAreRefused() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                // {job size, client rank, server rank, expected status}
                int[][] claims = {{2, 7, 0, 4}, {2, -1, 0, 4}, {2, 0, 0, 4}, {2, 1, 1, 4}, {3, 1, 0, 3}};
                for (int[] c : claims) {
                    try (RawPeer p = RawPeer.open(addrs.get(0))) {
                        p.hello(MAGIC, TcpTestSupport.VERSION, c[0], c[1], c[2], NONCE);
                        Reply r = p.readReply();
                        assertThat(r.status()).as("status for claim %s", java.util.Arrays.toString(c))
                                .isEqualTo(c[3]);
                        assertThat(r.proof()).as("nothing is proven to a refused peer").isEqualTo(new byte[32]);
                        assertThat(p.closedByPeerWithin(2000)).isTrue();
                    }
                }
                try (TcpTransport t1 = TcpTransport.connect(1, addrs, secret, cfg); TcpTransport t0 = join(f0, 10)) {
                    t0.send(1, 0, new byte[] {1});
                    assertThat(t1.receive(0, 0)).containsExactly(1);
                }
                return null;
            });
            assertThat(log.await("it claims rank 7, out of range 0..1")).isNotNull();
            assertThat(log.await("it claims rank -1, out of range 0..1")).isNotNull();
            assertThat(log.await("it claims rank 0, but only ranks above 0 connect to rank 0")).isNotNull();
            assertThat(log.await("expected rank 1 at this address; this is rank 0")).isNotNull();
            assertThat(log.await("a job of 3 ranks; this job has 2")).isNotNull();
        }
    }

    @Test
    void aDuplicateRankIsRefusedAndTheFrameFormatIsAsDocumented() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(3, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                try (RawPeer one = RawPeer.authenticated(addrs.get(0), 3, 1, 0, secret)) {
                    try (RawPeer again = RawPeer.open(addrs.get(0))) {
                        again.hello(MAGIC, TcpTestSupport.VERSION, 3, 1, 0, NONCE);
                        assertThat(again.readReply().status()).isEqualTo(5);
                    }
                    try (RawPeer two = RawPeer.authenticated(addrs.get(0), 3, 2, 0, secret)) {
                        TcpTransport t0 = join(f0, 10);
                        try {
                            t0.send(1, 42, new byte[] {1, 2, 3});
                            TcpTestSupport.Frame f = one.readFrame();
                            assertThat(f.tag()).isEqualTo(42);
                            assertThat(f.payload()).containsExactly(1, 2, 3);
                            two.sendFrame(-5, "hi".getBytes(StandardCharsets.UTF_8));
                            assertThat(t0.receive(2, -5)).isEqualTo("hi".getBytes(StandardCharsets.UTF_8));
                            t0.abort("x");
                            TcpTestSupport.RawFrame abort = one.readAnyFrame();
                            assertThat(abort.tag()).as("abort: reason length").isEqualTo(1);
                            assertThat(abort.length()).as("abort: type").isEqualTo(-1);
                            assertThat(abort.payload()).containsExactly('x');
                            t0.close();
                            assertThat(two.readAnyFrame().length()).as("the abort ...").isEqualTo(-1);
                            TcpTestSupport.RawFrame close = two.readAnyFrame();
                            assertThat(close.tag()).as("close: first field").isZero(); // ... then the close frame
                            assertThat(close.length()).as("close: type").isEqualTo(-2);
                            assertThat(two.in.read()).as("then end of stream").isEqualTo(-1);
                        } finally {
                            t0.close();
                        }
                    }
                }
                return null;
            });
            assertThat(log.await("it claims rank 1, which is already connected")).isNotNull();
        }
    }

    @Test
    void twoAuthenticatedConnectionsForOneRankGetOneAcceptanceAndOneDuplicateRefusal() throws Exception {
        // Both connections pass the HELLO check (no rank is reserved before a proof); the first proof reserves rank 1
        // at once, so the second is refused in RESULT, whether or not the first is published yet.
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(3, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                try (RawPeer first = RawPeer.open(addrs.get(0)); RawPeer second = RawPeer.open(addrs.get(0))) {
                    byte[] n1 = new byte[32];
                    byte[] n2 = new byte[32];
                    n2[0] = 1;
                    first.hello(MAGIC, TcpTestSupport.VERSION, 3, 1, 0, n1);
                    second.hello(MAGIC, TcpTestSupport.VERSION, 3, 1, 0, n2);
                    Reply r1 = first.readReply();
                    Reply r2 = second.readReply();
                    assertThat(r1.status()).isZero();
                    assertThat(r2.status()).as("no rank is reserved before a proof").isZero();
                    first.proof(0, TcpTestSupport.transcript(secret, "scaleml-tcp-auth", 'C', TcpTestSupport.VERSION,
                            3, 1, 0, TcpTestSupport.MAC, n1, r1.nonce()));
                    assertThat(first.readResult()).isZero();
                    second.proof(0, TcpTestSupport.transcript(secret, "scaleml-tcp-auth", 'C', TcpTestSupport.VERSION,
                            3, 1, 0, TcpTestSupport.MAC, n2, r2.nonce()));
                    assertThat(second.readResult()).as("duplicate, in RESULT").isEqualTo(5);
                    // rank 2 completes the job (rank 0's acceptor runs until then, so it did not cut the second)
                    try (RawPeer two = RawPeer.authenticated(addrs.get(0), 3, 2, 0, secret)) {
                        join(f0, 10).close();
                    }
                }
                return null;
            });
            assertThat(log.await("it claims rank 1, which is already connected")).isNotNull();
        }
    }

    @Test
    void anotherProtocolVersionIsRefusedOnEitherSide() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().connectTimeout(Duration.ofSeconds(3)).build();
        try (LogCapture log = new LogCapture()) {
            // a listener of this build, clients of other versions
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                for (int v : new int[] {1, 3}) {
                    try (RawPeer p = RawPeer.open(addrs.get(0))) {
                        p.hello(MAGIC, v, 2, 1, 0, NONCE);
                        Reply r = p.readReply();
                        assertThat(r.status()).isEqualTo(2);
                        assertThat(r.version()).as("the listener says which version it speaks").isEqualTo(2);
                    }
                }
                try (TcpTransport t1 = TcpTransport.connect(1, addrs, secret, cfg); TcpTransport t0 = join(f0, 10)) {
                    assertThat(t0.size()).isEqualTo(t1.size());
                }
                return null;
            });
            assertThat(log.await("it speaks protocol version 3, this rank speaks 2")).isNotNull();
            assertThat(log.await("it speaks protocol version 1, this rank speaks 2")).isNotNull();
        }
        // a client of this build, listeners that answer in other ways
        Object[][] servers = {
            {new int[] {MAGIC, 3, 2}, "refused by the peer: it speaks protocol version 3, this rank speaks 2"},
            {new int[] {MAGIC, 1, 0}, "the peer answered in protocol version 1"},
            {new int[] {0x48545450, 0x2f312e31, 0x20343030}, "the peer is not a ScaleML transport"}};
        for (Object[] s : servers) {
            int[] reply = (int[]) s[0];
            onFreePorts(2, addrs -> {
                try (ServerSocket fake = new ServerSocket()) {
                    fake.bind(addrs.get(0));
                    CompletableFuture<Void> serve = inThread("fake", () -> {
                        try (Socket c = fake.accept()) {
                            new DataInputStream(c.getInputStream()).readFully(new byte[56]);
                            DataOutputStream o = new DataOutputStream(c.getOutputStream());
                            for (int x : reply) {
                                o.writeInt(x);
                            }
                            o.write(new byte[64]);
                            o.flush();
                            Thread.sleep(200);
                        }
                        return null;
                    });
                    assertThatThrownBy(() -> TcpTransport.connect(1, addrs, secret, cfg))
                            .isExactlyInstanceOf(CommException.class)
                            .hasMessageContaining("rank 1: handshake with rank 0")
                            .hasMessageContaining((String) s[1]);
                    join(serve, 5);
                }
                return null;
            });
        }
    }

    @Test
    void ranksWithDifferentIntegrityModesRefuseEachOther() throws Exception {
        byte[] secret = newSecret();
        TcpConfig mac = fastConfig().connectTimeout(Duration.ofSeconds(3)).build();
        TcpConfig crc = mac.toBuilder().integrity(TcpConfig.Integrity.CRC32C).build();
        try (LogCapture log = new LogCapture()) {
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, mac));
                assertThatThrownBy(() -> TcpTransport.connect(1, addrs, secret, crc))
                        .isExactlyInstanceOf(CommException.class)
                        .hasMessageContaining("rank 1: handshake with rank 0")
                        .hasMessageContaining("refused by the peer: it uses frame integrity MAC, this rank uses CRC32C"
                                + " (set the same integrity on every rank)");
                // a raw client asking for an unknown mode is refused with status 7 and told the server's mode
                try (RawPeer p = RawPeer.open(addrs.get(0))) {
                    p.hello(MAGIC, TcpTestSupport.VERSION, 2, 1, 0, 9, NONCE);
                    Reply r = p.readReply();
                    assertThat(r.status()).isEqualTo(7);
                    assertThat(r.nonce()[3]).as("the server's mode code").isEqualTo((byte) TcpTestSupport.MAC);
                    assertThat(r.proof()).as("nothing is proven to a refused peer").isEqualTo(new byte[32]);
                }
                assertThatThrownBy(() -> join(f0, 10)).isInstanceOf(CommTimeoutException.class);
                return null;
            });
            assertThat(log.await("refused a connection", "claims rank 1 and uses frame integrity CRC32C; this rank"
                    + " uses MAC")).isNotNull();
            assertThat(log.await("uses frame integrity code 9")).isNotNull();
        }
    }

    @Test
    void everyIntegrityModeCarriesFramesBothWaysAndRawPeersOfEachModeFollowTheDocumentedTrailer() throws Exception {
        for (TcpConfig.Integrity mode : TcpConfig.Integrity.values()) {
            byte[] secret = newSecret();
            TcpConfig cfg = fastConfig().integrity(mode).build();
            int code = mode == TcpConfig.Integrity.MAC ? TcpTestSupport.MAC
                    : mode == TcpConfig.Integrity.CRC32C ? TcpTestSupport.CRC32C : TcpTestSupport.NONE;
            onFreePorts(2, addrs -> {
                CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
                try (RawPeer one = RawPeer.authenticated(addrs.get(0), 2, 1, 0, secret, code);
                        TcpTransport t0 = join(f0, 10)) {
                    byte[] big = new byte[700_000]; // several copy buffers
                    new java.util.SplittableRandom(3).nextBytes(big);
                    CompletableFuture<Void> sending = inThread("rank0-send", () -> {
                        for (int i = 0; i < 3; i++) {
                            t0.send(1, i, big);
                        }
                        return null;
                    });
                    for (int i = 0; i < 3; i++) {
                        one.sendFrame(10 + i, big);
                    }
                    for (int i = 0; i < 3; i++) {
                        TcpTestSupport.Frame f = one.readFrame(); // checks the trailer of the documented mode
                        assertThat(f.tag()).as("%s", mode).isEqualTo(i);
                        assertThat(f.payload()).as("%s", mode).isEqualTo(big);
                        assertThat(t0.receive(1, 10 + i)).as("%s", mode).isEqualTo(big);
                    }
                    join(sending, 10);
                }
                return null;
            });
        }
    }

    // ------------------------------------------------------------------------------------------------ secrets

    @Test
    void theSecretComesFromTheEnvironmentAsHexTextOrFile(@TempDir Path dir) throws Exception {
        String hex = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";
        assertThat(PeerAuth.secretFromEnvironment(Map.of("SCALEML_SECRET", hex)))
                .isEqualTo(HexFormat.of().parseHex(hex));
        assertThat(PeerAuth.secretFromEnvironment(Map.of("SCALEML_SECRET", "correct horse battery staple")))
                .isEqualTo("correct horse battery staple".getBytes(StandardCharsets.UTF_8));
        Path hexFile = dir.resolve("secret.hex");
        Files.writeString(hexFile, hex.toUpperCase() + "\n");
        ownerOnly(hexFile);
        assertThat(PeerAuth.secretFromEnvironment(Map.of("SCALEML_SECRET_FILE", hexFile.toString())))
                .isEqualTo(HexFormat.of().parseHex(hex));
        Path binFile = dir.resolve("secret.bin");
        byte[] bin = newSecret();
        bin[0] = (byte) 0xFF; // not hex text
        bin[bin.length - 1] = 1;
        Files.write(binFile, bin);
        ownerOnly(binFile);
        assertThat(PeerAuth.secretFromEnvironment(Map.of("SCALEML_SECRET_FILE", binFile.toString()))).isEqualTo(bin);

        assertThatThrownBy(() -> PeerAuth.secretFromEnvironment(Map.of())).isInstanceOf(CommException.class)
                .hasMessageContaining("no shared secret").hasMessageContaining("SCALEML_SECRET ")
                .hasMessageContaining("SCALEML_SECRET_FILE");
        assertThatThrownBy(() -> PeerAuth.secretFromEnvironment(Map.of("SCALEML_SECRET", "short")))
                .isInstanceOf(CommException.class).hasMessageContaining("has 5 bytes; at least 16");
        assertThatThrownBy(() -> PeerAuth.secretFromEnvironment(
                Map.of("SCALEML_SECRET", hex, "SCALEML_SECRET_FILE", hexFile.toString())))
                .isInstanceOf(CommException.class).hasMessageContaining("set only one");
        assertThatThrownBy(() -> PeerAuth.secretFromEnvironment(
                Map.of("SCALEML_SECRET_FILE", dir.resolve("missing").toString())))
                .isInstanceOf(CommException.class).hasMessageContaining("cannot read the secret file")
                .hasMessageContaining("missing");
    }

    private static void ownerOnly(Path p) throws java.io.IOException {
        try {
            Files.setPosixFilePermissions(p, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not POSIX: nothing to restrict
        }
    }

    @Test
    void theImplementationsProofIsTheDocumentedOne() {
        byte[] secret = newSecret();
        byte[] nc = newSecret();
        byte[] ns = newSecret();
        for (char role : new char[] {'S', 'C'}) {
            assertThat(PeerAuth.proof(secret, (byte) role, 2, 4, 3, 1, 1, nc, ns))
                    .isEqualTo(TcpTestSupport.hmac(secret, role, 2, 4, 3, 1, nc, ns));
        }
        assertThat(PeerAuth.proof(secret, (byte) 'S', 2, 4, 3, 1, 1, nc, ns))
                .isNotEqualTo(PeerAuth.proof(secret, (byte) 'C', 2, 4, 3, 1, 1, nc, ns));
        assertThat(PeerAuth.proof(secret, (byte) 'S', 2, 4, 3, 1, 1, nc, ns))
                .as("the integrity mode is bound").isNotEqualTo(PeerAuth.proof(secret, (byte) 'S', 2, 4, 3, 1, 2, nc, ns));
        for (char dir : new char[] {'c', 's'}) {
            for (int mode : new int[] {0, 1, 2}) {
                assertThat(PeerAuth.sessionKey(secret, (byte) dir, 4, 3, 1, mode, nc, ns)).as("key %s %d", dir, mode)
                        .isEqualTo(TcpTestSupport.transcript(secret, "scaleml-tcp-keys", dir, 2, 4, 3, 1, mode, nc,
                                ns));
            }
        }
        assertThat(PeerAuth.sessionKey(secret, (byte) 'c', 4, 3, 1, 1, nc, ns))
                .isNotEqualTo(PeerAuth.sessionKey(secret, (byte) 's', 4, 3, 1, 1, nc, ns));
    }
}
