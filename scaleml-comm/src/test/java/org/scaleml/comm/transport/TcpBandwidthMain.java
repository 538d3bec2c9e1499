package org.scaleml.comm.transport;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Point-to-point bandwidth of {@link TcpTransport} over loopback: rank 0 sends {@code --total-mib} MiB in frames of
 * {@code --frame-mib} MiB to rank 1, which answers with a 1-byte frame once it has received them all; the time
 * from the first send to that answer gives one figure. Prints each repetition and the median (GB/s = 10^9 bytes
 * per second). Ranks run as two threads of this JVM, or with {@code --jvms} rank 1 runs in a child JVM.
 *
 * <pre>
 * ./mvnw -q -o test -pl scaleml-comm -Dtest='Tcp*' -Dsurefire.failIfNoSpecifiedTests=false   # compiles the tests
 * CP=scaleml-comm/target/classes:scaleml-comm/target/test-classes
 * java -cp $CP org.scaleml.comm.transport.TcpBandwidthMain [--jvms] [--total-mib 64] [--frame-mib 4] [--reps 5]
 *      [--warmup 3] [--socket-buffer BYTES] [--io-buffer BYTES] [--integrity MAC|CRC32C|NONE]
 * </pre>
 */
public final class TcpBandwidthMain {
    private static final int DATA_TAG = 1;
    private static final int ACK_TAG = 2;

    private TcpBandwidthMain() {
    }

    public static void main(String[] args) throws Exception {
        boolean jvms = false;
        int totalMib = 64;
        int frameMib = 4;
        int reps = 5;
        int warmup = 3;
        int socketBuffer = 0;
        int ioBuffer = TcpConfig.defaults().ioBufferBytes();
        int receiverRank = -1;
        String receiverAddrs = null;
        TcpConfig.Integrity integrity = TcpConfig.defaults().integrity();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--jvms": jvms = true; break;
                case "--total-mib": totalMib = Integer.parseInt(args[++i]); break;
                case "--frame-mib": frameMib = Integer.parseInt(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--warmup": warmup = Integer.parseInt(args[++i]); break;
                case "--socket-buffer": socketBuffer = Integer.parseInt(args[++i]); break;
                case "--io-buffer": ioBuffer = Integer.parseInt(args[++i]); break;
                case "--integrity": integrity = TcpConfig.Integrity.valueOf(args[++i]); break;
                case "--receiver": receiverRank = 1; receiverAddrs = args[++i]; break;
                default: throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        int frame = frameMib << 20;
        int frames = Math.max(1, (int) ((long) totalMib * (1 << 20) / frame));
        int rounds = warmup + reps;
        TcpConfig cfg = TcpConfig.builder().timeout(Duration.ofSeconds(30)).socketBufferBytes(socketBuffer)
                .ioBufferBytes(ioBuffer).maxFrameBytes(Math.max(frame, 1 << 20)).integrity(integrity).build();
        if (receiverRank >= 0) { // child mode
            List<InetSocketAddress> addrs = TcpConfig.parseAddresses(receiverAddrs);
            try (TcpTransport t = TcpTransport.connect(1, addrs, PeerAuth.secretFromEnvironment(), cfg)) {
                receive(t, frames, rounds);
            }
            return;
        }
        byte[] secret = TcpTestSupport.newSecret();
        List<InetSocketAddress> addrs = TcpTestSupport.freeLoopbackAddresses(2);
        Process child = null;
        Thread receiver = null;
        if (jvms) {
            String list = addrs.get(0).getAddress().getHostAddress() + ":" + addrs.get(0).getPort() + ","
                    + addrs.get(1).getAddress().getHostAddress() + ":" + addrs.get(1).getPort();
            List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                    "-cp", System.getProperty("java.class.path"), TcpBandwidthMain.class.getName()));
            cmd.addAll(Arrays.asList(args));
            cmd.addAll(List.of("--receiver", list));
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            pb.environment().remove(PeerAuth.SECRET_FILE_ENV);
            pb.environment().put(PeerAuth.SECRET_ENV, HexFormat.of().formatHex(secret));
            child = pb.start();
            Process c = child;
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(c.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(l -> System.out.println("  [rank 1] " + l));
                } catch (Exception e) {
                    // child gone
                }
            });
            pump.setDaemon(true);
            pump.start();
        } else {
            receiver = new Thread(() -> {
                try (TcpTransport t = TcpTransport.connect(1, addrs, secret, cfg)) {
                    receive(t, frames, rounds);
                }
            }, "bandwidth-rank1");
            receiver.start();
        }
        try (TcpTransport t0 = TcpTransport.connect(0, addrs, secret, cfg)) {
            byte[] data = new byte[frame];
            new SplittableRandom(7).nextBytes(data);
            double[] gbps = new double[reps];
            for (int r = 0; r < rounds; r++) {
                long start = System.nanoTime();
                for (int f = 0; f < frames; f++) {
                    t0.send(1, DATA_TAG, data);
                }
                t0.receive(1, ACK_TAG);
                double secs = (System.nanoTime() - start) / 1e9;
                double rate = (double) frames * frame / secs / 1e9;
                System.out.printf(Locale.ROOT, "%s %d: %d x %d MiB in %.1f ms = %.2f GB/s%n",
                        r < warmup ? "warm-up" : "rep", r < warmup ? r + 1 : r - warmup + 1, frames, frameMib,
                        secs * 1e3, rate);
                if (r >= warmup) {
                    gbps[r - warmup] = rate;
                }
            }
            double[] sorted = gbps.clone();
            Arrays.sort(sorted);
            double median = sorted.length % 2 == 1 ? sorted[sorted.length / 2]
                    : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2;
            System.out.printf(Locale.ROOT, "median of %d: %.2f GB/s (%s, %d MiB in %d MiB frames, %s)%n", reps, median,
                    jvms ? "two JVMs" : "two threads of one JVM", frames * frameMib, frameMib, cfg);
        } finally {
            if (receiver != null) {
                receiver.join(30_000);
            }
            if (child != null) {
                child.waitFor();
            }
        }
    }

    private static void receive(TcpTransport t, int frames, int rounds) {
        for (int r = 0; r < rounds; r++) {
            for (int f = 0; f < frames; f++) {
                t.receive(0, DATA_TAG);
            }
            t.send(0, ACK_TAG, new byte[1]);
        }
    }
}
