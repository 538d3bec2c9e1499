package org.scaleml.comm.transport;

import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Test-only worker process: joins a TCP job as one rank and exchanges frames with every other rank, in lock-step
 * rounds, until a number of rounds is done or a failure ends it. Started as a child JVM by
 * {@link TcpPeerDeathTest} and {@link TcpLivenessTest}.
 *
 * <pre>
 * java -cp CLASSPATH org.scaleml.comm.transport.TcpWorkerMain RANK HOST:PORT,HOST:PORT,... ROUNDS FRAME_BYTES [LIVENESS_MS [quiet]]
 * </pre>
 * ROUNDS 0 means until failure; LIVENESS_MS sets the liveness timeout (default: the transport's). The secret comes from {@code SCALEML_SECRET} or {@code SCALEML_SECRET_FILE}.
 * Standard output, one line each: {@code READY <rank>} after connecting, {@code ROUND <n>} every 100 rounds, then
 * {@code DONE}, or {@code FAILED <exception class> at=<epoch ms> peer=<rank or -1>: <message>}. Exit status: 0 done,
 * 3 {@link PeerFailedException}, 4 {@link CommTimeoutException}, 5 other {@link CommException}, 1 anything else.
 * On a failure the worker aborts (so the others learn at once) and closes; with {@code quiet} it neither aborts nor
 * closes for 5 s, so that the other ranks can be seen to detect the failure by themselves, and it prints
 * {@code DETECTED peer=<rank> at=<epoch ms>: <reason>} as soon as its transport marks a peer failed, whatever its
 * exchange is blocked on.
 */
public final class TcpWorkerMain {
    private TcpWorkerMain() {
    }

    public static void main(String[] args) {
        PrintStream out = System.out;
        if (args.length < 4 || args.length > 6 || args.length == 6 && !args[5].equals("quiet")) {
            out.println("FAILED IllegalArgumentException at=" + System.currentTimeMillis()
                    + " peer=-1: usage: TcpWorkerMain RANK HOST:PORT,... ROUNDS FRAME_BYTES [LIVENESS_MS [quiet]]");
            System.exit(1);
        }
        int rank = Integer.parseInt(args[0]);
        List<java.net.InetSocketAddress> addresses = TcpConfig.parseAddresses(args[1]);
        long rounds = Long.parseLong(args[2]);
        int frameBytes = Integer.parseInt(args[3]);
        TcpConfig.Builder b = TcpConfig.builder().timeout(Duration.ofSeconds(10)).connectTimeout(Duration.ofSeconds(30));
        boolean quiet = args.length == 6;
        if (args.length >= 5) {
            b.livenessTimeout(Duration.ofMillis(Long.parseLong(args[4])));
        }
        TcpConfig cfg = b.build();
        int status;
        TcpTransport t = null;
        try {
            t = TcpTransport.connect(rank, addresses, PeerAuth.secretFromEnvironment(), cfg);
            out.println("READY " + rank);
            out.flush();
            if (quiet) {
                watchFailures(t, out);
            }
            exchange(t, rounds, frameBytes, new AtomicLong(), out);
            out.println("DONE");
            status = 0;
        } catch (Throwable e) {
            long at = System.currentTimeMillis();
            int peer = e instanceof PeerFailedException ? ((PeerFailedException) e).peer() : -1;
            out.println("FAILED " + e.getClass().getSimpleName() + " at=" + at + " peer=" + peer + ": "
                    + e.getMessage());
            status = e instanceof PeerFailedException ? 3 : e instanceof CommTimeoutException ? 4
                    : e instanceof CommException ? 5 : 1;
            out.flush();
            if (quiet) {
                try {
                    Thread.sleep(5000);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            } else if (t != null) {
                t.abort("rank " + rank + " failed: " + e.getMessage());
            }
        } finally {
            if (t != null) {
                t.close();
            }
        }
        out.flush();
        System.exit(status);
    }

    /** Prints a line the moment {@code t} marks each peer failed (a daemon thread polling its mailbox). */
    private static void watchFailures(TcpTransport t, PrintStream out) {
        Thread w = new Thread(() -> {
            boolean[] seen = new boolean[t.size()];
            while (!t.isClosed()) {
                for (int p = 0; p < t.size(); p++) {
                    String why = p == t.rank() || seen[p] ? null : t.mailbox().failure(p);
                    if (why != null) {
                        seen[p] = true;
                        synchronized (out) {
                            out.println("DETECTED peer=" + p + " at=" + System.currentTimeMillis() + ": " + why);
                            out.flush();
                        }
                    }
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "failure-watch");
        w.setDaemon(true);
        w.start();
    }

    /**
     * Lock-step all-to-all rounds: in round {@code n} every rank sends one frame to each other rank (tag
     * {@code n mod 256}), then receives one from each and checks it. Throws what the transport throws.
     *
     * @param done counts completed rounds (for observers)
     * @param log  where to print progress, or null
     */
    static void exchange(Transport t, long rounds, int frameBytes, AtomicLong done, PrintStream log) {
        int me = t.rank();
        byte[] frame = new byte[Math.max(16, frameBytes)];
        for (long n = 0; rounds == 0 || n < rounds; n++) {
            int tag = (int) (n & 0xFF);
            ByteBuffer.wrap(frame).putLong(n).putInt(me);
            for (int p = 0; p < t.size(); p++) {
                if (p != me) {
                    t.send(p, tag, frame);
                }
            }
            for (int p = 0; p < t.size(); p++) {
                if (p != me) {
                    ByteBuffer got = ByteBuffer.wrap(t.receive(p, tag));
                    long round = got.getLong();
                    int from = got.getInt();
                    if (round != n || from != p || got.capacity() != frame.length) {
                        throw new IllegalStateException("rank " + me + ": round " + n + " got round " + round
                                + " from " + from + " (" + got.capacity() + " bytes) on the link to rank " + p);
                    }
                }
            }
            done.incrementAndGet();
            if (log != null && n % 100 == 99) {
                log.println("ROUND " + (n + 1));
                log.flush();
            }
        }
    }
}
