package org.scaleml.cli.launch;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the N worker JVMs of one job on this machine and supervises them: each worker runs
 * {@code org.scaleml.cli.ScaleMl ARGS} with the same Java and class path as this JVM, and learns its place in the
 * job from the environment ({@link JobEnvironment}): its rank, the world size, every rank's listening address
 * (loopback ports chosen here) and a fresh random shared secret for peer authentication. Rank 0's standard output
 * passes through unchanged (so {@code --json} output stays machine-readable); every other line is prefixed with
 * {@code [rank] }: other ranks' standard output, and every rank's standard error, rank 0's included.
 *
 * <p>Supervision: when a worker exits with a non-zero code, or this JVM is interrupted or shut down (Ctrl-C),
 * every other worker is stopped (destroy, then forcibly after a grace period), so no orphan keeps running. When
 * this JVM itself is killed outright ({@code kill -9}, which runs no shutdown hook), every worker notices through
 * its standard input, a pipe this JVM holds open for the job's lifetime, and exits by itself within moments
 * ({@link LauncherWatch}). The job's exit code is 0 if every worker exited with 0, else the first non-zero code
 * seen.
 */
public final class Launcher {
    /** Grace period between asking a worker to stop and killing it. */
    private static final long GRACE_MILLIS = 3000;
    /** After a worker failed: how long the others may take to notice and exit before they are stopped. */
    private static final long PEER_EXIT_MILLIS = 2000;

    private final int world;
    private final List<String> hosts;
    private final String netnsPrefix;
    private final List<String> args;
    private final Map<String, String> extraEnv;

    /**
     * @param world    number of workers, 1 to 64
     * @param host     address every worker listens on (a loopback address unless the user chose otherwise)
     * @param args     the {@code scaleml} arguments each worker runs
     * @param extraEnv additional environment variables for every worker
     */
    public Launcher(int world, String host, List<String> args, Map<String, String> extraEnv) {
        this(world, java.util.Collections.nCopies(Math.max(1, world), host), null, args, extraEnv);
    }

    /**
     * A job whose ranks listen on different addresses, optionally each in its own network namespace.
     *
     * @param hosts       the address of every rank, in rank order
     * @param netnsPrefix if not null, rank r runs in the network namespace {@code netnsPrefix + r} (through
     *                    {@code ip netns exec}; needs root), as set up by {@code scripts/netns-job.sh}
     */
    public Launcher(int world, List<String> hosts, String netnsPrefix, List<String> args,
                    Map<String, String> extraEnv) {
        if (world < 1 || world > 64) {
            throw new IllegalArgumentException("world size must be in [1, 64], got " + world);
        }
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no command to launch: give it after --, e.g. launch -n 4 -- bench "
                    + "allreduce");
        }
        if (hosts.size() != world) {
            throw new IllegalArgumentException(hosts.size() + " addresses for " + world + " workers");
        }
        this.world = world;
        this.hosts = List.copyOf(hosts);
        this.netnsPrefix = netnsPrefix;
        this.args = List.copyOf(args);
        this.extraEnv = Map.copyOf(extraEnv);
    }

    /** Free TCP ports on {@code host}, found by binding port 0 (a port may be taken again before use: rare). */
    static int[] freePorts(String host, int n) throws IOException {
        int[] ports = new int[n];
        List<ServerSocket> open = new ArrayList<>();
        try {
            InetAddress addr = InetAddress.getByName(host);
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(addr, 0));
                open.add(s);
                ports[i] = s.getLocalPort();
            }
        } finally {
            for (ServerSocket s : open) {
                s.close();
            }
        }
        return ports;
    }

    /** The port every rank listens on inside its own network namespace. */
    static final int NETNS_PORT = 47_000;

    private static int[] fixedPorts(int n, int port) {
        int[] p = new int[n];
        java.util.Arrays.fill(p, port);
        return p;
    }

    /** A fresh 256-bit secret, hex. */
    static String newSecret() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    /** The command line that runs {@code scaleml ARGS} in a new JVM like this one. */
    static List<String> javaCommand(List<String> args) {
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> cmd = new ArrayList<>();
        cmd.add(java);
        String opts = System.getenv("SCALEML_JAVA_OPTS");
        if (opts != null && !opts.isBlank()) {
            cmd.addAll(List.of(opts.trim().split("\\s+")));
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("org.scaleml.cli.ScaleMl");
        cmd.addAll(args);
        return cmd;
    }

    /**
     * Runs the job to completion.
     *
     * @return 0 if every worker exited with 0, else the first non-zero exit code
     */
    public int run(PrintStream out, PrintStream err) throws IOException, InterruptedException {
        // Ports: free ones on this host's loopback; in namespaces every rank has an address of its own, so
        // one fixed port serves all of them.
        int[] ports = netnsPrefix == null ? freePorts(hosts.get(0), world) : fixedPorts(world, NETNS_PORT);
        StringBuilder peers = new StringBuilder();
        for (int r = 0; r < world; r++) {
            if (r > 0) {
                peers.append(',');
            }
            String h = hosts.get(r);
            peers.append(h.contains(":") ? "[" + h + "]" : h).append(':').append(ports[r]);
        }
        String secret = System.getenv(JobEnvironment.SECRET) != null ? System.getenv(JobEnvironment.SECRET)
                : newSecret();
        List<Process> procs = new ArrayList<>();
        List<Thread> pumps = new ArrayList<>();
        Thread hook = new Thread(() -> stopAll(procs), "scaleml-launch-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            for (int r = 0; r < world; r++) {
                List<String> cmd = new ArrayList<>();
                if (netnsPrefix != null) {
                    cmd.addAll(List.of("ip", "netns", "exec", netnsPrefix + r));
                }
                cmd.addAll(javaCommand(args));
                ProcessBuilder pb = new ProcessBuilder(cmd);
                Map<String, String> env = pb.environment();
                env.putAll(extraEnv);
                env.put(JobEnvironment.RANK, Integer.toString(r));
                env.put(JobEnvironment.WORLD, Integer.toString(world));
                env.put(JobEnvironment.PEERS, peers.toString());
                env.put(JobEnvironment.SECRET, secret);
                env.remove(JobEnvironment.SECRET_FILE);
                // the worker's standard input is its lifeline: this JVM holds the pipe's write end until the job
                // ends, and the kernel closes it when this JVM dies in any way (LauncherWatch)
                env.put(LauncherWatch.LAUNCHER_PID, Long.toString(ProcessHandle.current().pid()));
                pb.redirectInput(ProcessBuilder.Redirect.PIPE);
                Process p = pb.start();
                procs.add(p);
                pumps.add(pump(p.getInputStream(), out, r == 0 ? "" : "[" + r + "] ", "scaleml-out-" + r));
                pumps.add(pump(p.getErrorStream(), err, "[" + r + "] ", "scaleml-err-" + r));
            }
            int code = 0;
            long stopAt = Long.MAX_VALUE;
            List<Process> running = new ArrayList<>(procs);
            while (!running.isEmpty()) {
                for (int i = 0; i < running.size(); i++) {
                    Process p = running.get(i);
                    if (p.waitFor(50, TimeUnit.MILLISECONDS)) {
                        running.remove(i--);
                        if (p.exitValue() != 0 && code == 0) {
                            code = p.exitValue();
                            err.println("scaleml launch: worker " + procs.indexOf(p) + " exited with code " + code
                                    + "; stopping the others");
                            // the others see the failure through the transport within milliseconds: let them
                            // report it and exit on their own for a moment before they are stopped
                            stopAt = System.currentTimeMillis() + PEER_EXIT_MILLIS;
                        }
                    }
                }
                if (!running.isEmpty() && System.currentTimeMillis() >= stopAt) {
                    stopAll(procs);
                }
            }
            for (Thread t : pumps) {
                t.join(2000);
            }
            return code;
        } finally {
            stopAll(procs);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs or ran already
            }
        }
    }

    private static void stopAll(List<Process> procs) {
        for (Process p : procs) {
            if (p.isAlive()) {
                p.destroy();
            }
        }
        long deadline = System.currentTimeMillis() + GRACE_MILLIS;
        for (Process p : procs) {
            try {
                long left = deadline - System.currentTimeMillis();
                if (left <= 0 || !p.waitFor(left, TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread pump(InputStream in, PrintStream to, String prefix, String name) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (to) {
                        to.println(prefix + line);
                        to.flush();
                    }
                }
            } catch (IOException ignored) {
                // the worker went away; its exit code tells what happened
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return t;
    }
}
