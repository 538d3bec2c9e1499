package org.scaleml.cli.launch;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A worker's place in a job, as {@link Launcher} (or a user, or a cluster manager) describes it in the
 * environment:
 * <ul>
 *   <li>{@value #RANK}: this worker's rank, {@code 0 .. world-1};</li>
 *   <li>{@value #WORLD}: the number of workers;</li>
 *   <li>{@value #PEERS}: every rank's listening address, {@code host:port} comma-separated in rank order;</li>
 *   <li>{@value #SECRET} (the shared secret, hex or text) or {@value #SECRET_FILE} (a file holding it).</li>
 * </ul>
 *
 * @param rank  this worker's rank
 * @param world number of workers
 * @param peers listening address of every rank
 */
public record JobEnvironment(int rank, int world, List<InetSocketAddress> peers) {
    public static final String RANK = "SCALEML_RANK";
    public static final String WORLD = "SCALEML_WORLD";
    public static final String PEERS = "SCALEML_PEERS";
    public static final String SECRET = "SCALEML_SECRET";
    public static final String SECRET_FILE = "SCALEML_SECRET_FILE";

    public JobEnvironment {
        peers = List.copyOf(peers);
    }

    /**
     * Joins the job over TCP: listens on this rank's address, connects to the others and authenticates them with
     * the shared secret from the environment.
     *
     * @throws IllegalArgumentException if no secret is set
     * @throws org.scaleml.comm.transport.CommException if the job cannot be joined in time
     */
    public org.scaleml.comm.transport.Transport connect() {
        return connect(org.scaleml.comm.transport.TcpConfig.defaults());
    }

    /** {@link #connect()} with the given TCP settings (the same integrity mode on every rank). */
    public org.scaleml.comm.transport.Transport connect(org.scaleml.comm.transport.TcpConfig config) {
        List<InetSocketAddress> resolved = new ArrayList<>();
        for (InetSocketAddress a : peers) {
            resolved.add(new InetSocketAddress(a.getHostString(), a.getPort()));
        }
        return org.scaleml.comm.transport.TcpTransport.connect(rank, resolved,
                org.scaleml.comm.transport.PeerAuth.secretFromEnvironment(), config);
    }

    /** True if the environment describes a job (the rank variable is set). */
    public static boolean present(Map<String, String> env) {
        return env.get(RANK) != null;
    }

    /**
     * Reads the job description.
     *
     * @throws IllegalArgumentException naming the variable and what is wrong with it: a rank or world out of range,
     *                                  a malformed or duplicate address, a missing or too short secret
     */
    public static JobEnvironment from(Map<String, String> env) {
        int world = intVar(env, WORLD, 1, 64);
        int rank = intVar(env, RANK, 0, world - 1);
        String list = env.get(PEERS);
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException(PEERS + " is not set: expected host:port of every rank, "
                    + "comma-separated");
        }
        List<InetSocketAddress> peers = new ArrayList<>();
        for (String part : list.split(",")) {
            String p = part.strip();
            int colon = p.lastIndexOf(':');
            if (colon <= 0 || colon == p.length() - 1) {
                throw new IllegalArgumentException(PEERS + ": '" + p + "' is not host:port");
            }
            String host = p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(PEERS + ": bad port in '" + p + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException(PEERS + ": port out of range in '" + p + "'");
            }
            peers.add(InetSocketAddress.createUnresolved(host, port));
        }
        if (peers.size() != world) {
            throw new IllegalArgumentException(PEERS + " lists " + peers.size() + " addresses for a world of " + world);
        }
        java.util.Map<String, Integer> seen = new java.util.HashMap<>();
        for (int r = 0; r < peers.size(); r++) {
            InetSocketAddress a = peers.get(r);
            String key = a.getHostString().toLowerCase(java.util.Locale.ROOT) + ":" + a.getPort();
            Integer before = seen.putIfAbsent(key, r);
            if (before != null) { // two ranks cannot listen on one address: the job could never start
                throw new IllegalArgumentException(PEERS + ": " + a.getHostString() + ":" + a.getPort()
                        + " is listed for ranks " + before + " and " + r + "; every rank needs its own address");
            }
        }
        try { // a missing or short secret is invalid input, found before any connection is tried
            java.util.Arrays.fill(org.scaleml.comm.transport.PeerAuth.secretFromEnvironment(env), (byte) 0);
        } catch (org.scaleml.comm.transport.CommException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        return new JobEnvironment(rank, world, peers);
    }

    private static int intVar(Map<String, String> env, String name, int min, int max) {
        String v = env.get(name);
        if (v == null) {
            throw new IllegalArgumentException(name + " is not set");
        }
        try {
            int x = Integer.parseInt(v.strip());
            if (x < min || x > max) {
                throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + x);
            }
            return x;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be an integer, got '" + v + "'");
        }
    }
}
