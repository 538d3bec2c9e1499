package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.transport.TcpTestSupport.assertNoTcpThreads;
import static org.scaleml.comm.transport.TcpTestSupport.connectAll;
import static org.scaleml.comm.transport.TcpTestSupport.fastConfig;
import static org.scaleml.comm.transport.TcpTestSupport.inThread;
import static org.scaleml.comm.transport.TcpTestSupport.join;
import static org.scaleml.comm.transport.TcpTestSupport.newSecret;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpTransportTest {
    private static final int[] SIZES = {0, 1, 1000, 1 << 20};
    private static final int[] TAGS = {5, -9};
    private static final int ROUNDS = 2;

    private final List<TcpTransport> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws InterruptedException {
        open.forEach(TcpTransport::close);
        open.clear();
        assertNoTcpThreads();
    }

    private List<TcpTransport> job(int n, TcpConfig cfg) throws Exception {
        List<TcpTransport> ts = connectAll(n, newSecret(), cfg);
        open.addAll(ts);
        return ts;
    }

    /** Payload of frame number {@code seq} from {@code from} to {@code to} with {@code tag}. */
    private static byte[] payload(int from, int to, int tag, int seq, int size) {
        byte[] b = new byte[size];
        new SplittableRandom(((long) from << 48) ^ ((long) to << 32) ^ ((long) tag << 16) ^ seq).nextBytes(b);
        return b;
    }

    @ParameterizedTest(name = "{0} ranks")
    @ValueSource(ints = {1, 2, 3, 4})
    void allToAllFramesArriveIntactAndInOrderPerSenderAndTag(int n) throws Exception {
        List<TcpTransport> ts = job(n, fastConfig().build());
        List<CompletableFuture<Void>> ranks = new ArrayList<>();
        for (TcpTransport t : ts) {
            ranks.add(inThread("rank-" + t.rank(), () -> {
                // one sending thread per tag, so sends to the same peer run concurrently
                List<CompletableFuture<Void>> senders = new ArrayList<>();
                for (int tag : TAGS) {
                    senders.add(inThread("send-" + t.rank() + "-" + tag, () -> {
                        int seq = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            for (int size : SIZES) {
                                for (int to = 0; to < n; to++) {
                                    byte[] b = payload(t.rank(), to, tag, seq, size + 3);
                                    t.send(to, tag, b, 3, size); // an offset, to check it is honoured
                                }
                                seq++;
                            }
                        }
                        return null;
                    }));
                }
                for (int from = 0; from < n; from++) {
                    for (int tag : TAGS) {
                        int seq = 0;
                        for (int round = 0; round < ROUNDS; round++) {
                            for (int size : SIZES) {
                                byte[] got = t.receive(from, tag);
                                byte[] want = Arrays.copyOfRange(payload(from, t.rank(), tag, seq, size + 3), 3, size + 3);
                                assertThat(got).as("rank %d: frame %d from %d, tag %d", t.rank(), seq, from, tag)
                                        .isEqualTo(want);
                                seq++;
                            }
                        }
                    }
                }
                for (CompletableFuture<Void> s : senders) {
                    join(s, 30);
                }
                return null;
            }));
        }
        for (CompletableFuture<Void> r : ranks) {
            join(r, 40);
        }
        for (TcpTransport t : ts) {
            assertThat(t.size()).isEqualTo(n);
            assertThat(t.timeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(5));
        }
    }

    @Test
    void closeIsIdempotentStopsEveryThreadAndLaterCallsThrow() throws Exception {
        List<TcpTransport> ts = job(3, fastConfig().build());
        ts.get(0).send(1, 1, new byte[] {1, 2});
        assertThat(ts.get(1).receive(0, 1)).containsExactly(1, 2);
        assertThat(TcpTestSupport.tcpThreads()).contains("scaleml-tcp-r0-from-r1", "scaleml-tcp-r2-from-r1")
                .noneMatch(s -> s.endsWith("-accept"));
        for (TcpTransport t : ts) {
            t.close();
            t.close();
        }
        assertNoTcpThreads();
        TcpTransport t0 = ts.get(0);
        assertThatThrownBy(() -> t0.send(1, 1, new byte[1])).isInstanceOf(CommException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> t0.receive(1, 1)).isInstanceOf(CommException.class).hasMessageContaining("closed");
        t0.abort("after close"); // does nothing
    }

    @Test
    void receiveTimesOutAndArgumentsAreChecked() throws Exception {
        List<TcpTransport> ts = job(2, fastConfig().maxFrameBytes(1000).build());
        TcpTransport t = ts.get(0);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> t.receive(1, 3, TimeUnit.MILLISECONDS.toNanos(100)))
                .isInstanceOf(CommTimeoutException.class).hasMessageContaining("rank 0").hasMessageContaining("rank 1")
                .hasMessageContaining("100 ms");
        assertThat(System.nanoTime() - t0).isBetween(TimeUnit.MILLISECONDS.toNanos(100), TimeUnit.SECONDS.toNanos(3));
        assertThatThrownBy(() -> t.send(1, 0, new byte[1001])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit of 1000");
        assertThatThrownBy(() -> t.send(2, 0, new byte[1])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no rank 2");
        assertThatThrownBy(() -> t.receive(-1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> t.send(1, 0, new byte[4], 2, 3)).isInstanceOf(IndexOutOfBoundsException.class);
        t.send(1, 0, new byte[1000]); // exactly the limit is fine
        assertThat(ts.get(1).receive(0, 0)).hasSize(1000);
    }

    @Test
    void abortReachesEveryPeerAtOnce() throws Exception {
        List<TcpTransport> ts = job(3, fastConfig().timeout(Duration.ofSeconds(10)).build());
        CompletableFuture<byte[]> waiting = inThread("waiter", () -> ts.get(0).receive(2, 4));
        Thread.sleep(50);
        long t0 = System.nanoTime();
        ts.get(2).abort("loss is NaN");
        assertThatThrownBy(() -> join(waiting, 5)).isInstanceOf(PeerFailedException.class)
                .hasMessageContaining("peer 2 failed: aborted: loss is NaN")
                .satisfies(e -> assertThat(((PeerFailedException) e).peer()).isEqualTo(2));
        assertThatThrownBy(() -> ts.get(1).receive(2, 4)).isInstanceOf(PeerFailedException.class)
                .hasMessageContaining("aborted: loss is NaN");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThatThrownBy(() -> ts.get(0).send(2, 4, new byte[1])).isInstanceOf(PeerFailedException.class);
        // the others still talk
        ts.get(0).send(1, 4, new byte[] {7});
        assertThat(ts.get(1).receive(0, 4)).containsExactly(7);
    }

    @Test
    void aClosedPeersFramesStayReceivableThenItFailsFast() throws Exception {
        List<TcpTransport> ts = job(2, fastConfig().timeout(Duration.ofSeconds(10)).build());
        for (int i = 0; i < 3; i++) {
            ts.get(1).send(0, 8, new byte[] {(byte) i});
        }
        ts.get(1).close();
        for (int i = 0; i < 3; i++) {
            assertThat(ts.get(0).receive(0 + 1, 8)).containsExactly(i);
        }
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ts.get(0).receive(1, 8)).isInstanceOf(PeerFailedException.class)
                .hasMessageContaining("peer 1 failed: closed its endpoint");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThatThrownBy(() -> ts.get(0).send(1, 8, new byte[1])).isInstanceOf(PeerFailedException.class);
    }

    @Test
    void aSendToAPeerThatStopsReadingIsBoundedByTheTimeout() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = fastConfig().timeout(Duration.ofMillis(500)).socketBufferBytes(64 << 10).build();
        TcpTestSupport.onFreePorts(2, addrs -> {
            CompletableFuture<TcpTransport> f = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
            try (TcpTestSupport.RawPeer peer = TcpTestSupport.RawPeer.authenticated(addrs.get(0), 2, 1, 0, secret)) {
                TcpTransport t = join(f, 10);
                open.add(t);
                peer.socket.setReceiveBufferSize(64 << 10);
                long t0 = System.nanoTime();
                assertThatThrownBy(() -> t.send(1, 1, new byte[16 << 20])).isInstanceOf(CommTimeoutException.class)
                        .hasMessageContaining("sending to rank 1 timed out after 500 ms")
                        .hasMessageContaining("the connection is closed");
                long took = System.nanoTime() - t0;
                assertThat(took).isBetween(TimeUnit.MILLISECONDS.toNanos(450), TimeUnit.SECONDS.toNanos(3));
                assertThatThrownBy(() -> t.send(1, 1, new byte[1])).isInstanceOf(PeerFailedException.class)
                        .hasMessageContaining("timed out");
                assertThatThrownBy(() -> t.receive(1, 1)).isInstanceOf(PeerFailedException.class);
            } catch (Exception | Error e) {
                f.thenAccept(TcpTransport::close);
                throw e;
            }
            return null;
        });
    }

    @Test
    void addressesAndConfig() {
        List<InetSocketAddress> lo = TcpConfig.loopbackAddresses(3, 7000);
        assertThat(lo).extracting(InetSocketAddress::getPort).containsExactly(7000, 7001, 7002);
        assertThat(lo.get(0).getAddress().isLoopbackAddress()).isTrue();
        List<InetSocketAddress> parsed = TcpConfig.parseAddresses("node1:7000, 10.0.0.2:7001,[::1]:7002");
        assertThat(parsed).extracting(InetSocketAddress::getHostString).containsExactly("node1", "10.0.0.2", "::1");
        assertThat(parsed).extracting(InetSocketAddress::getPort).containsExactly(7000, 7001, 7002);
        assertThatThrownBy(() -> TcpConfig.parseAddresses("a:1,b")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("address 1").hasMessageContaining("\"b\"");
        assertThatThrownBy(() -> TcpConfig.parseAddresses("a:70000")).isInstanceOf(IllegalArgumentException.class);
        TcpConfig c = TcpConfig.defaults();
        assertThat(c.timeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(c.maxFrameBytes()).isEqualTo(256 << 20);
        assertThat(c.toBuilder().maxFrameBytes(5).build().maxFrameBytes()).isEqualTo(5);
        assertThatThrownBy(() -> TcpConfig.builder().timeout(Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpTransport.connect(3, lo, newSecret())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TcpTransport.connect(0, lo, new byte[15])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 bytes");
    }

    @Test
    void connectTimesOutNamingTheMissingRank() throws Exception {
        TcpConfig cfg = fastConfig().connectTimeout(Duration.ofMillis(400)).build();
        byte[] secret = newSecret();
        TcpTestSupport.onFreePorts(3, addrs -> {
            long t0 = System.nanoTime();
            // rank 1 alone: rank 0 never starts, rank 2 never connects
            assertThatThrownBy(() -> TcpTransport.connect(1, addrs, secret, cfg))
                    .isInstanceOf(CommTimeoutException.class)
                    .hasMessageContaining("rank 1: could not connect to rank 0")
                    .hasMessageContaining("within 400 ms");
            assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(3));
            assertThatThrownBy(() -> TcpTransport.connect(0, addrs, secret, cfg))
                    .isInstanceOf(CommTimeoutException.class)
                    .hasMessageContaining("rank 0: ranks [1, 2] did not connect");
            return null;
        });
    }
}
