package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.scaleml.comm.transport.TcpTestSupport.assertNoTcpThreads;
import static org.scaleml.comm.transport.TcpTestSupport.inThread;
import static org.scaleml.comm.transport.TcpTestSupport.newSecret;
import static org.scaleml.comm.transport.TcpTestSupport.onFreePorts;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

/**
 * A 4-rank job of real processes: this JVM is rank 0, three child JVMs ({@link TcpWorkerMain}) are ranks 1 to 3.
 * While all four exchange frames, rank 2 is killed with SIGKILL; every survivor must fail with a
 * {@link PeerFailedException} well within the 10 s time limit, because the dead process's kernel closes its
 * sockets.
 */
class TcpPeerDeathTest {
    private static final int SIZE = 4;
    private static final int VICTIM = 2;
    /** Detection must be far faster than the 10 s time limit. */
    private static final long DETECT_MILLIS = 3000;
    private static final Pattern FAILED = Pattern.compile("FAILED (\\w+) at=(\\d+) peer=(-?\\d+): (.*)");

    /** A child JVM and the lines it printed. */
    static final class Child {
        final int rank;
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Child(int rank, Process process) {
            this.rank = rank;
            this.process = process;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = r.readLine()) != null;) {
                        lines.add(l);
                    }
                } catch (java.io.IOException e) {
                    lines.add("(output lost: " + e + ")");
                }
            }, "child-" + rank + "-stdout");
            pump.setDaemon(true);
            pump.start();
        }

        boolean printed(String prefix) {
            return lines.stream().anyMatch(l -> l.startsWith(prefix));
        }

        String failedLine() {
            return lines.stream().filter(l -> l.startsWith("FAILED")).findFirst().orElse(null);
        }

        String output() {
            return "rank " + rank + " printed:\n  " + lines.stream().collect(Collectors.joining("\n  "));
        }
    }

    /** Kills the child workers, waits for them, and closes this process's rank ({@code self} may be null). */
    static void stopAll(List<Child> children, TcpTransport self) throws InterruptedException {
        for (Child c : children) {
            c.process.destroyForcibly();
        }
        for (Child c : children) {
            c.process.waitFor(10, TimeUnit.SECONDS);
        }
        if (self != null) {
            self.close();
        }
    }

    static Child start(int rank, List<InetSocketAddress> addrs, byte[] secret, String... extra) throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        String list = addrs.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort())
                .collect(Collectors.joining(","));
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), TcpWorkerMain.class.getName(), Integer.toString(rank),
                list, "0", Integer.toString(32 << 10)));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        Map<String, String> env = pb.environment();
        env.remove(PeerAuth.SECRET_FILE_ENV);
        env.put(PeerAuth.SECRET_ENV, HexFormat.of().formatHex(secret));
        pb.redirectErrorStream(true);
        return new Child(rank, pb.start());
    }

    @Test
    void aKilledProcessIsSeenByEverySurvivorWellWithinTheTimeLimit() throws Exception {
        byte[] secret = newSecret();
        TcpConfig cfg = TcpConfig.builder().timeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(30))
                .build();
        onFreePorts(SIZE, addrs -> {
            List<Child> children = new ArrayList<>();
            TcpTransport[] self = new TcpTransport[1];
            try {
                for (int r = 1; r < SIZE; r++) {
                    children.add(start(r, addrs, secret));
                }
                self[0] = connectWatchingChildren(addrs, secret, cfg, children);
                long readyBy = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!children.stream().allMatch(c -> c.printed("READY")) && System.nanoTime() < readyBy) {
                    Thread.sleep(10);
                }
                AtomicLong rounds = new AtomicLong();
                long[] failedAt = new long[1];
                CompletableFuture<Throwable> rank0 = inThread("rank0-exchange", () -> {
                    try {
                        TcpWorkerMain.exchange(self[0], 0, 32 << 10, rounds, null);
                        return null;
                    } catch (Throwable e) {
                        failedAt[0] = System.currentTimeMillis();
                        self[0].abort("rank 0 failed: " + e.getMessage());
                        return e;
                    }
                });
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (rounds.get() < 50 && !rank0.isDone() && System.nanoTime() < until) {
                    Thread.sleep(5);
                }
                assertThat(rounds.get()).as("rounds before the kill; " + outputs(children)).isGreaterThanOrEqualTo(50);

                long killedAt = System.currentTimeMillis();
                children.get(VICTIM - 1).process.destroyForcibly();

                Throwable e0 = rank0.get(15, TimeUnit.SECONDS);
                assertThat(e0).as("rank 0's failure").isInstanceOf(PeerFailedException.class);
                assertThat(failedAt[0] - killedAt).as("rank 0 detection delay, ms: " + e0.getMessage())
                        .isLessThan(DETECT_MILLIS);
                for (Child c : children) {
                    if (c.rank == VICTIM) {
                        continue;
                    }
                    assertThat(c.process.waitFor(15, TimeUnit.SECONDS)).as("rank %d exits; %s", c.rank, c.output())
                            .isTrue();
                    Thread.sleep(50); // let the pump read the last line
                    String line = c.failedLine();
                    assertThat(line).as(c.output()).isNotNull();
                    Matcher m = FAILED.matcher(line);
                    assertThat(m.matches()).as(line).isTrue();
                    assertThat(m.group(1)).as(c.output()).isEqualTo("PeerFailedException");
                    assertThat(c.process.exitValue()).as(c.output()).isEqualTo(3);
                    assertThat(Long.parseLong(m.group(2)) - killedAt).as("rank %d detection delay, ms; %s", c.rank,
                            c.output()).isLessThan(DETECT_MILLIS);
                }
                System.out.println("TcpPeerDeathTest: rank 0 failed " + (failedAt[0] - killedAt)
                        + " ms after the kill: " + e0.getMessage());
                for (Child c : children) {
                    System.out.println("TcpPeerDeathTest: rank " + c.rank + ": " + c.failedLine());
                }
            } finally {
                TcpPeerDeathTest.stopAll(children, self[0]);
            }
            return null;
        });
        assertNoTcpThreads();
    }

    /** Connects rank 0; if a child could not bind its port, rethrows that as a bind failure (retried). */
    static TcpTransport connectWatchingChildren(List<InetSocketAddress> addrs, byte[] secret, TcpConfig cfg,
            List<Child> children) throws Exception {
        CompletableFuture<TcpTransport> f = inThread("rank0-connect", () -> TcpTransport.connect(0, addrs, secret, cfg));
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
        while (!f.isDone() && System.nanoTime() < end) {
            for (Child c : children) {
                String failed = c.failedLine();
                if (failed != null && failed.contains("cannot listen")) {
                    f.thenAccept(TcpTransport::close);
                    throw new CommException("child " + c.rank + ": " + failed, new BindException(failed));
                }
            }
            Thread.sleep(10);
        }
        try {
            return TcpTestSupport.join(f, 1);
        } catch (Exception e) {
            if (TcpTestSupport.causedByBind(e)) {
                throw e; // retried on other ports
            }
            throw new AssertionError("rank 0 could not connect; " + outputs(children), e);
        }
    }

    static String outputs(List<Child> children) {
        return children.stream().map(Child::output).collect(Collectors.joining("\n"));
    }
}
