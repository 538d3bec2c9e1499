package org.scaleml.comm.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Settings of a {@link TcpTransport}: time limits, the liveness check, frame integrity, the frame limit, socket
 * buffer sizes and the listening address.
 * Immutable and thread-safe; made with {@link #builder()} or {@link #defaults()}.
 *
 * <table>
 *   <caption>Settings and defaults</caption>
 *   <tr><th>setting</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>{@link Builder#timeout timeout}</td><td>10 s</td>
 *       <td>default limit of {@code receive}; upper bound of every {@code send}</td></tr>
 *   <tr><td>{@link Builder#connectTimeout connectTimeout}</td><td>30 s</td>
 *       <td>how long {@link TcpTransport#connect} waits for all peers (retrying while they start)</td></tr>
 *   <tr><td>{@link Builder#handshakeTimeout handshakeTimeout}</td><td>5 s</td>
 *       <td>how long one handshake may take; a peer that stalls longer is dropped</td></tr>
 *   <tr><td>{@link Builder#abortTimeout abortTimeout}</td><td>1 s</td>
 *       <td>total time {@code abort} and {@code close} spend telling peers</td></tr>
 *   <tr><td>{@link Builder#maxFrameBytes maxFrameBytes}</td><td>256 MiB</td>
 *       <td>largest frame sent or accepted; checked before any allocation</td></tr>
 *   <tr><td>{@link Builder#socketBufferBytes socketBufferBytes}</td><td>0 (OS default, auto-tuned)</td>
 *       <td>SO_SNDBUF and SO_RCVBUF of every connection</td></tr>
 *   <tr><td>{@link Builder#ioBufferBytes ioBufferBytes}</td><td>256 KiB</td>
 *       <td>direct buffer per connection and direction through which frames are copied</td></tr>
 *   <tr><td>{@link Builder#bindAddress bindAddress}</td><td>none</td>
 *       <td>address the listener binds to instead of the rank's own entry in the address list
 *           (for example the wildcard address behind NAT)</td></tr>
 * </table>
 */
public final class TcpConfig {
    private static final TcpConfig DEFAULTS = builder().build();

    private final long timeoutNanos;
    private final long connectTimeoutNanos;
    private final long handshakeTimeoutNanos;
    private final long abortTimeoutNanos;
    private final int maxFrameBytes;
    private final int socketBufferBytes;
    private final int ioBufferBytes;
    private final InetAddress bindAddress;
    private final long livenessTimeoutNanos;
    private final Integrity integrity;

    /**
     * How every frame after the handshake is protected (see {@link FrameCodec} for the trailers on the wire). Both
     * ends of a connection must use the same one.
     */
    public enum Integrity {
        /**
         * Each frame carries the first 16 bytes of an HMAC-SHA256 over a per-direction frame counter and the frame,
         * keyed by a session key derived in the handshake: corrupted, forged, replayed, reordered or dropped frames
         * are detected. The default.
         */
        MAC(1, 16),
        /**
         * Each frame carries a CRC32C over the frame counter and the frame: accidental corruption, loss and
         * reordering are detected; deliberate forgery is not (anyone can compute a CRC).
         */
        CRC32C(2, 4),
        /** No check beyond TCP's own 16-bit checksum. */
        NONE(0, 0);

        private final int wireCode;
        private final int trailerBytes;

        Integrity(int wireCode, int trailerBytes) {
            this.wireCode = wireCode;
            this.trailerBytes = trailerBytes;
        }

        /** The code of this mode in the handshake. */
        int wireCode() {
            return wireCode;
        }

        /** Bytes this mode appends to every frame. */
        int trailerBytes() {
            return trailerBytes;
        }

        /** The mode with handshake code {@code code}, or null. */
        static Integrity ofWireCode(int code) {
            for (Integrity i : values()) {
                if (i.wireCode == code) {
                    return i;
                }
            }
            return null;
        }
    }

    private TcpConfig(Builder b) {
        this.timeoutNanos = b.timeoutNanos;
        this.connectTimeoutNanos = b.connectTimeoutNanos;
        this.handshakeTimeoutNanos = b.handshakeTimeoutNanos;
        this.abortTimeoutNanos = b.abortTimeoutNanos;
        this.maxFrameBytes = b.maxFrameBytes;
        this.socketBufferBytes = b.socketBufferBytes;
        this.ioBufferBytes = b.ioBufferBytes;
        this.bindAddress = b.bindAddress;
        this.livenessTimeoutNanos = b.livenessTimeoutNanos;
        this.integrity = b.integrity;
    }

    /** The default settings. */
    public static TcpConfig defaults() {
        return DEFAULTS;
    }

    /** A builder starting from the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder starting from these settings. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.timeoutNanos = timeoutNanos;
        b.connectTimeoutNanos = connectTimeoutNanos;
        b.handshakeTimeoutNanos = handshakeTimeoutNanos;
        b.abortTimeoutNanos = abortTimeoutNanos;
        b.maxFrameBytes = maxFrameBytes;
        b.socketBufferBytes = socketBufferBytes;
        b.ioBufferBytes = ioBufferBytes;
        b.bindAddress = bindAddress;
        b.livenessTimeoutNanos = livenessTimeoutNanos;
        b.integrity = integrity;
        return b;
    }

    /**
     * The addresses of {@code n} ranks on the loopback interface: rank {@code r} at {@code basePort + r}.
     *
     * @throws IllegalArgumentException if {@code n < 1} or a port falls outside 1..65535
     */
    public static List<InetSocketAddress> loopbackAddresses(int n, int basePort) {
        if (n < 1 || basePort < 1 || basePort + n - 1 > 65535) {
            throw new IllegalArgumentException("no " + n + " loopback ports from " + basePort);
        }
        InetAddress lo = InetAddress.getLoopbackAddress();
        List<InetSocketAddress> out = new ArrayList<>(n);
        for (int r = 0; r < n; r++) {
            out.add(new InetSocketAddress(lo, basePort + r));
        }
        return List.copyOf(out);
    }

    /**
     * Parses a comma-separated address list {@code host:port,host:port,...} (IPv6 hosts in brackets:
     * {@code [::1]:7000}); entry {@code r} is rank {@code r}'s address. Host names are left unresolved and
     * resolved when connecting.
     *
     * @throws IllegalArgumentException naming the bad entry
     */
    public static List<InetSocketAddress> parseAddresses(String list) {
        Objects.requireNonNull(list, "list");
        List<InetSocketAddress> out = new ArrayList<>();
        String[] parts = list.split(",", -1);
        for (int i = 0; i < parts.length; i++) {
            String p = parts[i].trim();
            int colon = p.lastIndexOf(':');
            String host = colon < 0 ? "" : p.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = -1;
            try {
                port = colon < 0 ? -1 : Integer.parseInt(p.substring(colon + 1));
            } catch (NumberFormatException e) {
                // reported below
            }
            if (host.isEmpty() || port < 1 || port > 65535) {
                throw new IllegalArgumentException("address " + i + " of \"" + list + "\" is \"" + p
                        + "\"; expected host:port with a port in 1..65535");
            }
            out.add(InetSocketAddress.createUnresolved(host, port));
        }
        return List.copyOf(out);
    }

    /** Default time limit of {@code receive} and upper bound of {@code send}, in nanoseconds. */
    public long timeoutNanos() {
        return timeoutNanos;
    }

    /** How long {@link TcpTransport#connect} waits for all peers, in nanoseconds. */
    public long connectTimeoutNanos() {
        return connectTimeoutNanos;
    }

    /** How long one handshake may take, in nanoseconds. */
    public long handshakeTimeoutNanos() {
        return handshakeTimeoutNanos;
    }

    /** Total time {@code abort} and {@code close} spend telling peers, in nanoseconds. */
    public long abortTimeoutNanos() {
        return abortTimeoutNanos;
    }

    /**
     * How long nothing may arrive from a peer before it is marked failed, in nanoseconds; heartbeats go out after
     * {@link #heartbeatIntervalNanos()} without other frames.
     */
    public long livenessTimeoutNanos() {
        return livenessTimeoutNanos;
    }

    /** How long a connection may send nothing before it sends a heartbeat: a fifth of the liveness timeout. */
    public long heartbeatIntervalNanos() {
        return Math.max(1, livenessTimeoutNanos / 5);
    }

    /** The per-frame integrity check. */
    public Integrity integrity() {
        return integrity;
    }

    /** Largest frame, in bytes. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /** SO_SNDBUF and SO_RCVBUF of each connection, or 0 for the operating system's default. */
    public int socketBufferBytes() {
        return socketBufferBytes;
    }

    /** Size of the direct buffer each connection copies frames through, per direction. */
    public int ioBufferBytes() {
        return ioBufferBytes;
    }

    /** The address the listener binds to instead of the rank's own entry, or null. */
    public InetAddress bindAddress() {
        return bindAddress;
    }

    @Override
    public String toString() {
        return "TcpConfig[timeout " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms, connect "
                + TimeUnit.NANOSECONDS.toMillis(connectTimeoutNanos) + " ms, handshake "
                + TimeUnit.NANOSECONDS.toMillis(handshakeTimeoutNanos) + " ms, abort "
                + TimeUnit.NANOSECONDS.toMillis(abortTimeoutNanos) + " ms, liveness "
                + TimeUnit.NANOSECONDS.toMillis(livenessTimeoutNanos) + " ms, integrity " + integrity
                + ", max frame " + maxFrameBytes
                + " B, socket buffers " + (socketBufferBytes == 0 ? "OS default" : socketBufferBytes + " B")
                + ", io buffer " + ioBufferBytes + " B" + (bindAddress == null ? "" : ", bind " + bindAddress) + "]";
    }

    /** Builds a {@link TcpConfig}; every setter checks its argument. Not thread-safe. */
    public static final class Builder {
        private long timeoutNanos = TimeUnit.SECONDS.toNanos(10);
        private long connectTimeoutNanos = TimeUnit.SECONDS.toNanos(30);
        private long handshakeTimeoutNanos = TimeUnit.SECONDS.toNanos(5);
        private long abortTimeoutNanos = TimeUnit.SECONDS.toNanos(1);
        private int maxFrameBytes = 256 << 20;
        private int socketBufferBytes;
        private int ioBufferBytes = 256 << 10;
        private InetAddress bindAddress;
        private long livenessTimeoutNanos = TimeUnit.SECONDS.toNanos(10);
        private Integrity integrity = Integrity.MAC;

        private Builder() {
        }

        private static long positive(String what, Duration d) {
            Objects.requireNonNull(d, what);
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(what + " must be positive, got " + d);
            }
            try {
                return d.toNanos();
            } catch (ArithmeticException e) {
                return Long.MAX_VALUE / 4; // "forever", still safe to add to System.nanoTime()
            }
        }

        /** Default limit of {@code receive} and upper bound of {@code send}; positive. */
        public Builder timeout(Duration d) {
            timeoutNanos = Math.min(positive("timeout", d), Long.MAX_VALUE / 4);
            return this;
        }

        /** How long {@code connect} waits for all peers; positive. */
        public Builder connectTimeout(Duration d) {
            connectTimeoutNanos = Math.min(positive("connect timeout", d), Long.MAX_VALUE / 4);
            return this;
        }

        /** How long one handshake may take; positive. */
        public Builder handshakeTimeout(Duration d) {
            handshakeTimeoutNanos = Math.min(positive("handshake timeout", d), Long.MAX_VALUE / 4);
            return this;
        }

        /** Total time {@code abort} and {@code close} spend telling peers; positive. */
        public Builder abortTimeout(Duration d) {
            abortTimeoutNanos = Math.min(positive("abort timeout", d), Long.MAX_VALUE / 4);
            return this;
        }

        /**
         * How long nothing may arrive from a peer (no frame, no heartbeat) before it is marked failed; at least
         * 100 ms. Heartbeats are sent after a fifth of it without other frames.
         */
        public Builder livenessTimeout(Duration d) {
            long n = Math.min(positive("liveness timeout", d), Long.MAX_VALUE / 4);
            if (n < TimeUnit.MILLISECONDS.toNanos(100)) {
                throw new IllegalArgumentException("liveness timeout must be at least 100 ms, got " + d);
            }
            livenessTimeoutNanos = n;
            return this;
        }

        /** The per-frame integrity check; the same on every rank. */
        public Builder integrity(Integrity mode) {
            integrity = Objects.requireNonNull(mode, "integrity");
            return this;
        }

        /** Largest frame sent or accepted, in bytes; positive. */
        public Builder maxFrameBytes(int bytes) {
            if (bytes <= 0) {
                throw new IllegalArgumentException("max frame bytes must be positive, got " + bytes);
            }
            maxFrameBytes = bytes;
            return this;
        }

        /** SO_SNDBUF and SO_RCVBUF of each connection; 0 keeps the operating system's (auto-tuned) default. */
        public Builder socketBufferBytes(int bytes) {
            if (bytes < 0) {
                throw new IllegalArgumentException("socket buffer bytes must be at least 0, got " + bytes);
            }
            socketBufferBytes = bytes;
            return this;
        }

        /** Size of the per-connection, per-direction direct copy buffer; at least 4 KiB. */
        public Builder ioBufferBytes(int bytes) {
            if (bytes < 4096) {
                throw new IllegalArgumentException("io buffer bytes must be at least 4096, got " + bytes);
            }
            ioBufferBytes = bytes;
            return this;
        }

        /** The address to listen on instead of the rank's own entry (null: the entry's address). */
        public Builder bindAddress(InetAddress address) {
            bindAddress = address;
            return this;
        }

        public TcpConfig build() {
            return new TcpConfig(this);
        }
    }
}
