package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.scaleml.comm.transport.TcpTestSupport.assertNoTcpThreads;
import static org.scaleml.comm.transport.TcpTestSupport.fastConfig;
import static org.scaleml.comm.transport.TcpTestSupport.inThread;
import static org.scaleml.comm.transport.TcpTestSupport.join;
import static org.scaleml.comm.transport.TcpTestSupport.newSecret;
import static org.scaleml.comm.transport.TcpTestSupport.onFreePorts;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.scaleml.comm.transport.TcpPeerDeathTest.Child;
import org.scaleml.comm.transport.TcpTestSupport.RawPeer;

/**
 * The liveness check: a peer whose connection stays open but that sends nothing (stopped with SIGSTOP, or a raw
 * peer that goes silent after authenticating) is marked failed on every rank within the liveness timeout, while
 * ranks that merely do not call the transport for several liveness periods (a long computation) are not.
 */
class TcpLivenessTest {
    private static final long LIVENESS_MILLIS = 1500;
    /** Slack on top of the liveness timeout for a loaded machine. */
    private static final long MARGIN_MILLIS = 3000;
    private static final Pattern DETECTED = Pattern.compile("DETECTED peer=2 at=(\\d+): (.*)");

    @AfterEach
    void noThreadsLeft() throws InterruptedException {
        assertNoTcpThreads();
    }

    private static TcpConfig.Builder livenessConfig() {
        return fastConfig().livenessTimeout(Duration.ofMillis(LIVENESS_MILLIS));
    }

    private static void signal(Process p, String sig) throws Exception {
        Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(p.pid())).inheritIO().start();
        assertThat(k.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(k.exitValue()).as("kill -%s %d", sig, p.pid()).isZero();
    }

    @Test
    void aStoppedProcessIsSeenByEveryOtherRankWithinTheLivenessTimeout() throws Exception {
        byte[] secret = newSecret();
        // every other time limit is far longer than the liveness timeout, so only the liveness check can explain
        // a quick failure (the workers' receive limit is 10 s)
        TcpConfig cfg = TcpConfig.builder().timeout(Duration.ofSeconds(30)).connectTimeout(Duration.ofSeconds(30))
                .livenessTimeout(Duration.ofMillis(LIVENESS_MILLIS)).build();
        String liveness = Long.toString(LIVENESS_MILLIS);
        onFreePorts(3, addrs -> {
            List<Child> children = new ArrayList<>();
            TcpTransport[] self = new TcpTransport[1];
            try {
                // quiet: a worker that fails neither aborts nor closes at once, so rank 0 must detect on its own
                children.add(TcpPeerDeathTest.start(1, addrs, secret, liveness, "quiet"));
                children.add(TcpPeerDeathTest.start(2, addrs, secret, liveness, "quiet"));
                self[0] = TcpPeerDeathTest.connectWatchingChildren(addrs, secret, cfg, children);
                AtomicLong rounds = new AtomicLong();
                CompletableFuture<Throwable> rank0 = inThread("rank0-exchange", () -> {
                    try {
                        TcpWorkerMain.exchange(self[0], 0, 32 << 10, rounds, null);
                        return null;
                    } catch (Throwable e) {
                        return e; // no abort: rank 1 must find out by itself
                    }
                });
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (rounds.get() < 50 && !rank0.isDone() && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                assertThat(rounds.get()).as("rounds before the stop; %s", TcpPeerDeathTest.outputs(children))
                        .isGreaterThanOrEqualTo(50);

                Child victim = children.get(1);
                long stoppedAt = System.currentTimeMillis();
                signal(victim.process, "STOP");
                try {
                    // Rank 0's application may be blocked on rank 1 (a round ahead of it) rather than on rank 2, so
                    // watch rank 0's transport itself: it must mark rank 2 failed by its own liveness check.
                    long watchUntil = stoppedAt + LIVENESS_MILLIS + MARGIN_MILLIS + 5000;
                    String reason;
                    while ((reason = self[0].mailbox().failure(2)) == null && System.currentTimeMillis() < watchUntil) {
                        Thread.sleep(5);
                    }
                    long detectedAt = System.currentTimeMillis();
                    assertThat(reason).as("rank 0's view of rank 2").isNotNull()
                            .contains("no frame or heartbeat for 1500 ms (liveness timeout)");
                    assertThat(detectedAt - stoppedAt).as("rank 0 detection delay, ms")
                            .isBetween(LIVENESS_MILLIS / 2, LIVENESS_MILLIS + MARGIN_MILLIS);
                    Throwable e0 = rank0.get(MARGIN_MILLIS + 10_000, TimeUnit.MILLISECONDS);
                    assertThat(e0).as("rank 0's exchange ends with a peer failure").isInstanceOf(PeerFailedException.class);

                    // rank 1 (a child) reports the moment its transport marks rank 2 failed
                    Child other = children.get(0);
                    String line = null;
                    long lineUntil = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MARGIN_MILLIS + 10_000);
                    while (line == null && System.nanoTime() < lineUntil) {
                        line = other.lines.stream().filter(l -> l.startsWith("DETECTED peer=2 ")).findFirst()
                                .orElse(null);
                        Thread.sleep(5);
                    }
                    assertThat(line).as(other.output()).isNotNull();
                    Matcher m = DETECTED.matcher(line);
                    assertThat(m.matches()).as(line).isTrue();
                    assertThat(m.group(2)).as(line).startsWith("no frame or heartbeat for 1500 ms (liveness timeout)");
                    assertThat(Long.parseLong(m.group(1)) - stoppedAt).as("rank 1 detection delay, ms; %s", line)
                            .isBetween(LIVENESS_MILLIS / 2, LIVENESS_MILLIS + MARGIN_MILLIS);
                    System.out.println("TcpLivenessTest: rank 0 marked rank 2 failed " + (detectedAt - stoppedAt)
                            + " ms after SIGSTOP: " + reason);
                    System.out.println("TcpLivenessTest: rank 1: " + line);
                } finally {
                    signal(victim.process, "CONT");
                }
            } finally {
                TcpPeerDeathTest.stopAll(children, self[0]);
            }
            return null;
        });
    }

    @Test
    void ranksThatComputeForSeveralLivenessPeriodsWithoutCommunicatingAreNotFailed() throws Exception {
        List<TcpTransport> job = TcpTestSupport.connectAll(3, newSecret(),
                livenessConfig().timeout(Duration.ofSeconds(30)).build());
        try {
            long computeMillis = 3 * LIVENESS_MILLIS;
            // rank 0 waits in receive far longer than the liveness timeout while rank 1 "computes"; rank 2 neither
            // sends nor receives at all
            CompletableFuture<byte[]> waiting = inThread("rank0-receive", () -> job.get(0).receive(1, 5));
            Thread.sleep(computeMillis);
            for (int r = 0; r < 3; r++) {
                for (int p = 0; p < 3; p++) {
                    assertThat(job.get(r).mailbox().failure(p)).as("rank %d's view of rank %d", r, p).isNull();
                }
            }
            job.get(1).send(0, 5, new byte[] {7});
            assertThat(join(waiting, 10)).containsExactly(7);
            job.get(2).send(1, 6, new byte[] {8});
            assertThat(job.get(1).receive(2, 6)).containsExactly(8);
            assertThatThrownBy(() -> job.get(0).receive(2, 0, TimeUnit.MILLISECONDS.toNanos(100)))
                    .as("heartbeats are not delivered as frames").isInstanceOf(CommTimeoutException.class);
        } finally {
            job.forEach(TcpTransport::close);
        }
    }

    @Test
    void aRawPeerThatAuthenticatesAndThenStaysSilentIsFailedWithinTheLivenessTimeout() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = livenessConfig().timeout(Duration.ofSeconds(30)).build();
        onFreePorts(3, addrs -> {
            CompletableFuture<TcpTransport> f0 = inThread("rank0", () -> TcpTransport.connect(0, addrs, secret, cfg));
            CompletableFuture<TcpTransport> f1 = inThread("rank1", () -> TcpTransport.connect(1, addrs, secret, cfg));
            // no liveness clock can start before this: the lower bound on the detection delay counts from here
            long beforeHandshake = System.nanoTime();
            try (RawPeer to0 = RawPeer.authenticated(addrs.get(0), 3, 2, 0, secret);
                    RawPeer to1 = RawPeer.authenticated(addrs.get(1), 3, 2, 1, secret);
                    TcpTransport t0 = join(f0, 10);
                    TcpTransport t1 = join(f1, 10)) {
                long start = System.nanoTime();
                // rank 0 sends heartbeats on the idle connection, in the documented format
                int first = to0.in.readInt();
                int second = to0.in.readInt();
                byte[] trailer = new byte[16];
                to0.in.readFully(trailer);
                assertThat(new int[] {first, second}).as("a heartbeat header").containsExactly(0, -3);
                byte[] header = ByteBuffer.allocate(8).putInt(0).putInt(-3).array();
                assertThat(trailer).as("the heartbeat's MAC (frame 0)")
                        .isEqualTo(TcpTestSupport.trailer(TcpTestSupport.MAC, to0.receiveKey, 0, header, 0, 8));
                assertThat(System.nanoTime() - start).as("first heartbeat within")
                        .isLessThan(TimeUnit.MILLISECONDS.toNanos(LIVENESS_MILLIS));
                for (TcpTransport t : List.of(t0, t1)) {
                    assertThatThrownBy(() -> t.receive(2, 1)).isInstanceOf(PeerFailedException.class)
                            .hasMessageContaining("rank " + t.rank() + ": peer 2 failed: no frame or heartbeat for "
                                    + "1500 ms (liveness timeout): the peer is hung, stopped or unreachable");
                    assertThatThrownBy(() -> t.send(2, 1, new byte[1])).isInstanceOf(PeerFailedException.class);
                }
                long now = System.nanoTime();
                assertThat(TimeUnit.NANOSECONDS.toMillis(now - beforeHandshake))
                        .as("both ranks failed the silent peer after its handshake, no sooner than, ms")
                        .isGreaterThanOrEqualTo(LIVENESS_MILLIS / 2);
                assertThat(TimeUnit.NANOSECONDS.toMillis(now - start)).as("both ranks failed the silent peer within, ms")
                        .isLessThan(LIVENESS_MILLIS + MARGIN_MILLIS);
                assertThat(to0.closedByPeerWithin(2000)).as("rank 0 closed the connection").isTrue();
                t0.send(1, 3, new byte[] {1});
                assertThat(t1.receive(0, 3)).as("ranks 0 and 1 still talk").containsExactly(1);
            } catch (Exception | Error e) {
                f0.thenAccept(TcpTransport::close);
                f1.thenAccept(TcpTransport::close);
                throw e;
            }
            return null;
        });
    }

    @Test
    void theLivenessTimeoutIsConfigurableAndDefaultsToTenSeconds() {
        assertThat(TcpConfig.defaults().livenessTimeoutNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(10));
        assertThat(TcpConfig.defaults().heartbeatIntervalNanos()).isEqualTo(TimeUnit.SECONDS.toNanos(2));
        assertThat(TcpConfig.builder().livenessTimeout(Duration.ofSeconds(3)).build().livenessTimeoutNanos())
                .isEqualTo(TimeUnit.SECONDS.toNanos(3));
        assertThatThrownBy(() -> TcpConfig.builder().livenessTimeout(Duration.ofMillis(50)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 100 ms");
        assertThat(TcpConfig.defaults().integrity()).isEqualTo(TcpConfig.Integrity.MAC);
    }
}
