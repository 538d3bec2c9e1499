package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Helpers of the TCP transport tests: free loopback ports, jobs of real transports in threads, a hand-written raw
 * peer that follows the documented handshake and frame formats (written from the javadoc, not from the
 * implementation, so the two are checked against each other), log capture and thread checks.
 */
final class TcpTestSupport {
    static final String THREAD_PREFIX = "scaleml-tcp-";
    static final int MAGIC = 0x534D4C54;
    /** The protocol version of the documented handshake. */
    static final int VERSION = 2;
    /** Integrity mode codes of the handshake. */
    static final int NONE = 0;
    static final int MAC = 1;
    static final int CRC32C = 2;
    private static final SecureRandom RANDOM = new SecureRandom();

    private TcpTestSupport() {
    }

    static byte[] newSecret() {
        byte[] s = new byte[32];
        RANDOM.nextBytes(s);
        return s;
    }

    /** Quick limits for tests on loopback. */
    static TcpConfig.Builder fastConfig() {
        return TcpConfig.builder().timeout(Duration.ofSeconds(5)).connectTimeout(Duration.ofSeconds(10))
                .handshakeTimeout(Duration.ofSeconds(2)).abortTimeout(Duration.ofMillis(500));
    }

    /** {@code n} distinct loopback ports that were free a moment ago (bound to port 0 together, then released). */
    static List<InetSocketAddress> freeLoopbackAddresses(int n) throws IOException {
        List<ServerSocket> held = new ArrayList<>();
        try {
            List<InetSocketAddress> out = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                out.add(new InetSocketAddress(InetAddress.getLoopbackAddress(), s.getLocalPort()));
            }
            return out;
        } finally {
            for (ServerSocket s : held) {
                s.close();
            }
        }
    }

    interface PortsBody<T> {
        T run(List<InetSocketAddress> addresses) throws Exception;
    }

    /** Runs {@code body} on fresh free ports, again (up to 5 times) if a port was taken meanwhile. */
    static <T> T onFreePorts(int n, PortsBody<T> body) throws Exception {
        for (int attempt = 1;; attempt++) {
            try {
                return body.run(freeLoopbackAddresses(n));
            } catch (Exception e) {
                if (attempt >= 5 || !causedByBind(e)) {
                    throw e;
                }
            }
        }
    }

    static boolean causedByBind(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof BindException) {
                return true;
            }
        }
        return false;
    }

    /** Runs {@code c} in a new named thread (not a shared pool). */
    static <T> CompletableFuture<T> inThread(String name, Callable<T> c) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try {
                f.complete(c.call());
            } catch (Throwable e) {
                f.completeExceptionally(e);
            }
        }, name);
        t.setDaemon(true);
        t.start();
        return f;
    }

    /** Unwraps the CompletableFuture layer. */
    static Throwable cause(Throwable e) {
        while ((e instanceof java.util.concurrent.ExecutionException
                || e instanceof java.util.concurrent.CompletionException) && e.getCause() != null) {
            e = e.getCause();
        }
        return e;
    }

    static <T> T join(CompletableFuture<T> f, long seconds) throws Exception {
        try {
            return f.get(seconds, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = cause(e);
            if (c instanceof Exception) {
                throw (Exception) c;
            }
            throw e;
        }
    }

    /** A whole job of {@code n} real transports, each connected in its own thread; retried on port conflicts. */
    static List<TcpTransport> connectAll(int n, byte[] secret, TcpConfig config) throws Exception {
        return onFreePorts(n, addrs -> {
            List<CompletableFuture<TcpTransport>> fs = new ArrayList<>();
            for (int r = 0; r < n; r++) {
                int rank = r;
                fs.add(inThread("connect-" + r, () -> TcpTransport.connect(rank, addrs, secret, config)));
            }
            List<TcpTransport> out = new ArrayList<>();
            Exception failure = null;
            for (CompletableFuture<TcpTransport> f : fs) {
                try {
                    out.add(join(f, 30));
                } catch (Exception e) {
                    if (failure == null || causedByBind(e)) {
                        failure = e;
                    }
                }
            }
            if (failure != null) {
                out.forEach(TcpTransport::close);
                throw failure;
            }
            return out;
        });
    }

    /** Live threads of the TCP transport. */
    static List<String> tcpThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .filter(s -> s.startsWith(THREAD_PREFIX)).sorted().collect(Collectors.toList());
    }

    /** Asserts that no transport thread is alive (waiting a little for threads that are just ending). */
    static void assertNoTcpThreads() throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (!tcpThreads().isEmpty() && System.nanoTime() < end) {
            Thread.sleep(10);
        }
        assertThat(tcpThreads()).as("transport threads left alive").isEmpty();
    }

    /** Collects the log records of the transport's logger while open. */
    static final class LogCapture extends Handler implements AutoCloseable {
        private final Logger logger = Logger.getLogger(TcpTransport.class.getName());
        final List<String> lines = new CopyOnWriteArrayList<>();

        LogCapture() {
            setLevel(Level.ALL);
            logger.addHandler(this);
        }

        @Override
        public void publish(LogRecord r) {
            lines.add(r.getLevel() + " " + r.getMessage());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
            logger.removeHandler(this);
        }

        /** Waits up to 3 s for a line containing all of {@code parts}; returns it or null. */
        String await(String... parts) throws InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            do {
                for (String l : lines) {
                    boolean all = true;
                    for (String p : parts) {
                        all &= l.contains(p);
                    }
                    if (all) {
                        return l;
                    }
                }
                Thread.sleep(10);
            } while (System.nanoTime() < end);
            return null;
        }
    }

    // ------------------------------------------------------------------------------------------------ raw peer

    /** The proof of the documented handshake (integrity mode MAC), computed independently of PeerAuth. */
    static byte[] hmac(byte[] secret, char role, int version, int size, int client, int server, byte[] nc, byte[] ns) {
        return transcript(secret, "scaleml-tcp-auth", role, version, size, client, server, MAC, nc, ns);
    }

    /** HMAC-SHA256(secret, label || role || version || size || client || server || integrity || nc || ns). */
    static byte[] transcript(byte[] secret, String label, char role, int version, int size, int client, int server,
            int integrity, byte[] nc, byte[] ns) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(label.getBytes(StandardCharsets.US_ASCII));
            mac.update((byte) role);
            mac.update(ByteBuffer.allocate(20).putInt(version).putInt(size).putInt(client).putInt(server)
                    .putInt(integrity).array());
            mac.update(nc);
            return mac.doFinal(ns);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /**
     * The documented frame trailer: for MAC the first 16 bytes of HMAC-SHA256(key, int64 seq || frame), for CRC32C
     * the CRC32C of the same, for none nothing; {@code frame} is the header and payload.
     */
    static byte[] trailer(int integrity, byte[] key, long seq, byte[] frame, int off, int len) {
        byte[] prefix = ByteBuffer.allocate(8).putLong(seq).array();
        try {
            switch (integrity) {
                case MAC: {
                    Mac mac = Mac.getInstance("HmacSHA256");
                    mac.init(new SecretKeySpec(key, "HmacSHA256"));
                    mac.update(prefix);
                    mac.update(frame, off, len);
                    return java.util.Arrays.copyOf(mac.doFinal(), 16);
                }
                case CRC32C: {
                    java.util.zip.CRC32C c = new java.util.zip.CRC32C();
                    c.update(prefix);
                    c.update(frame, off, len);
                    return ByteBuffer.allocate(4).putInt((int) c.getValue()).array();
                }
                default:
                    return new byte[0];
            }
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    record Reply(int magic, int version, int status, byte[] nonce, byte[] proof) {
    }

    record Frame(int tag, byte[] payload) {
    }

    /** Any frame as received: header fields and payload. */
    record RawFrame(int tag, int length, byte[] payload) {
    }

    /** A peer written by hand on a blocking socket, following the documented wire formats. */
    static final class RawPeer implements AutoCloseable {
        final Socket socket;
        final DataInputStream in;
        final DataOutputStream out;
        /** The session, after {@link #authenticate}: integrity mode code, keys and frame counters per direction. */
        int integrity = MAC;
        byte[] sendKey;
        byte[] receiveKey;
        long sendSeq;
        long receiveSeq;

        private RawPeer(Socket s) throws IOException {
            socket = s;
            s.setSoTimeout(5000);
            s.setTcpNoDelay(true);
            in = new DataInputStream(s.getInputStream());
            out = new DataOutputStream(new java.io.BufferedOutputStream(s.getOutputStream(), 1 << 16));
        }

        /** Connects, retrying for up to 5 s while nothing listens yet. */
        static RawPeer open(InetSocketAddress to) throws IOException, InterruptedException {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (true) {
                Socket s = new Socket();
                try {
                    s.connect(to, 1000);
                    return new RawPeer(s);
                } catch (ConnectException e) {
                    s.close();
                    if (System.nanoTime() > end) {
                        throw e;
                    }
                    Thread.sleep(10);
                }
            }
        }

        /** Connects and completes a valid handshake as {@code client} with {@code server}. */
        static RawPeer authenticated(InetSocketAddress to, int size, int client, int server, byte[] secret)
                throws IOException, InterruptedException {
            return authenticated(to, size, client, server, secret, MAC);
        }

        /** {@link #authenticated(InetSocketAddress, int, int, int, byte[])} with integrity mode code {@code mode}. */
        static RawPeer authenticated(InetSocketAddress to, int size, int client, int server, byte[] secret, int mode)
                throws IOException, InterruptedException {
            RawPeer p = open(to);
            p.integrity = mode;
            try {
                p.authenticate(size, client, server, secret);
                return p;
            } catch (IOException | RuntimeException | Error e) {
                p.close();
                throw e;
            }
        }

        void authenticate(int size, int client, int server, byte[] secret) throws IOException {
            byte[] nc = new byte[32];
            RANDOM.nextBytes(nc);
            hello(MAGIC, VERSION, size, client, server, integrity, nc);
            Reply r = readReply();
            assertThat(r.status()).as("reply status").isZero();
            assertThat(r.magic()).isEqualTo(MAGIC);
            assertThat(r.version()).isEqualTo(VERSION);
            byte[] ps = transcript(secret, "scaleml-tcp-auth", 'S', VERSION, size, client, server, integrity, nc,
                    r.nonce());
            assertThat(MessageDigest.isEqual(r.proof(), ps)).as("the server's proof matches the documented transcript")
                    .isTrue();
            proof(0, transcript(secret, "scaleml-tcp-auth", 'C', VERSION, size, client, server, integrity, nc,
                    r.nonce()));
            assertThat(readResult()).as("result status").isZero();
            sendKey = transcript(secret, "scaleml-tcp-keys", 'c', VERSION, size, client, server, integrity, nc,
                    r.nonce());
            receiveKey = transcript(secret, "scaleml-tcp-keys", 's', VERSION, size, client, server, integrity, nc,
                    r.nonce());
        }

        /** A HELLO asking for integrity MAC. */
        void hello(int magic, int version, int size, int client, int server, byte[] nc) throws IOException {
            hello(magic, version, size, client, server, MAC, nc);
        }

        void hello(int magic, int version, int size, int client, int server, int mode, byte[] nc) throws IOException {
            out.writeInt(magic);
            out.writeInt(version);
            out.writeInt(size);
            out.writeInt(client);
            out.writeInt(server);
            out.writeInt(mode);
            out.write(nc);
            out.flush();
        }

        /** {@code frame} (header and payload) followed by its valid trailer; counts it as sent. */
        byte[] sealed(byte[] frame) {
            byte[] t = trailer(integrity, sendKey, sendSeq++, frame, 0, frame.length);
            byte[] b = java.util.Arrays.copyOf(frame, frame.length + t.length);
            System.arraycopy(t, 0, b, frame.length, t.length);
            return b;
        }

        /** Sends a frame (header and payload) with its valid trailer. */
        void sendSealed(byte[] frame) throws IOException {
            sendRaw(sealed(frame));
        }

        Reply readReply() throws IOException {
            int magic = in.readInt();
            int version = in.readInt();
            int status = in.readInt();
            byte[] n = new byte[32];
            byte[] p = new byte[32];
            in.readFully(n);
            in.readFully(p);
            return new Reply(magic, version, status, n, p);
        }

        void proof(int status, byte[] mac) throws IOException {
            out.writeInt(status);
            out.write(mac);
            out.flush();
        }

        int readResult() throws IOException {
            return in.readInt();
        }

        /** Sends a data frame with a valid trailer. */
        void sendFrame(int tag, byte[] payload) throws IOException {
            sendSealed(ByteBuffer.allocate(8 + payload.length).putInt(tag).putInt(payload.length).put(payload)
                    .array());
        }

        void sendRaw(byte[] bytes) throws IOException {
            OutputStream o = out;
            o.write(bytes);
            o.flush();
        }

        /** Reads the next data frame (skipping heartbeats), checking its trailer. */
        Frame readFrame() throws IOException {
            RawFrame f = readAnyFrame();
            assertThat(f.length()).as("data frame length").isBetween(0, 1 << 24);
            return new Frame(f.tag(), f.payload());
        }

        /** Reads the next frame other than a heartbeat, checking every trailer on the way. */
        RawFrame readAnyFrame() throws IOException {
            while (true) {
                int tag = in.readInt();
                int len = in.readInt();
                int n = len >= 0 ? len : len == -1 ? tag : 0;
                assertThat(n).as("payload length").isBetween(0, 1 << 24);
                byte[] b = new byte[n];
                in.readFully(b);
                byte[] frame = ByteBuffer.allocate(8 + n).putInt(tag).putInt(len).put(b).array();
                byte[] want = trailer(integrity, receiveKey, receiveSeq++, frame, 0, frame.length);
                byte[] got = new byte[want.length];
                in.readFully(got);
                assertThat(got).as("trailer of frame %d (tag %d, length %d)", receiveSeq - 1, tag, len)
                        .isEqualTo(want);
                if (len != -3) {
                    return new RawFrame(tag, len, b);
                }
            }
        }

        /** True if the other side closed the connection (end of stream or reset) within {@code millis}. */
        boolean closedByPeerWithin(long millis) throws IOException {
            socket.setSoTimeout((int) millis);
            try {
                while (in.read() >= 0) {
                    // drain whatever is still buffered
                }
                return true;
            } catch (EOFException | SocketException e) {
                return true;
            } catch (SocketTimeoutException e) {
                return false;
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
