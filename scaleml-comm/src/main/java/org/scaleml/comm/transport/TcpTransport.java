package org.scaleml.comm.transport;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * A {@link Transport} between JVM processes over TCP: a full mesh of authenticated connections, one per pair of
 * ranks. Made by {@link #connect(int, List, byte[], TcpConfig)}; every rank of the job calls it with the same
 * address list and secret.
 *
 * <h2>Contract</h2>
 * Everything in {@link Transport}, and:
 * <ul>
 *   <li><b>Setup.</b> Rank {@code r} listens on {@code addresses.get(r)} (or {@link TcpConfig#bindAddress()} with
 *       that port) and connects to every rank below it, retrying with back-off while they start;
 *       {@code connect} returns when all {@code size - 1} connections are authenticated, or throws
 *       {@link CommTimeoutException} after {@link TcpConfig#connectTimeoutNanos()} (naming the missing ranks and any
 *       peers refused meanwhile), or {@link CommException} at once when a peer proves a different secret, speaks
 *       another protocol version or refuses this rank. The listener is closed when setup ends: connections are
 *       never re-established.</li>
 *   <li><b>Authentication.</b> No frame is read before a mutual HMAC-SHA256 challenge-response over fresh nonces
 *       ({@link PeerAuth}) that binds both ranks, the job size, the protocol version and the integrity mode, and
 *       derives a session key per direction. A refused peer's socket is
 *       closed, one log line (logger {@code org.scaleml.comm.transport.TcpTransport}, WARNING) names who, from
 *       where and why, and the listener keeps serving the others.</li>
 *   <li><b>Frames</b> ({@link FrameCodec}): {@code [int32 tag][int32 length][payload][trailer]}, big-endian;
 *       negative lengths are control frames: {@code -1} abort (the tag field is the length of a UTF-8 reason of at
 *       most 1024 bytes that follows), {@code -2} close, {@code -3} heartbeat (tag field 0). A length above
 *       {@link #maxFrameBytes()} or any other malformed header is a protocol error, detected before allocation: the
 *       peer is marked failed with that message and its connection closed; the other connections are
 *       unaffected.</li>
 *   <li><b>Integrity</b> ({@link TcpConfig#integrity()}, default {@link TcpConfig.Integrity#MAC MAC}): every frame
 *       ends with a 16-byte HMAC-SHA256 tag over a per-direction frame counter and the frame, keyed by the session
 *       key of its direction (or a CRC32C, or nothing). A frame whose trailer does not check out (corrupted,
 *       forged, replayed, reordered, or after a dropped one) is never delivered nor obeyed: the peer is marked
 *       failed ("frame N from rank P failed its integrity check") and its connection closed. Ranks configured with
 *       different modes refuse each other in the handshake. Frames are not encrypted.</li>
 *   <li><b>Time limits.</b> {@code receive} waits at most its timeout (default {@link TcpConfig#timeoutNanos()},
 *       10 s). {@code send} returns once the frame is in the kernel's socket buffer; it waits for the connection's
 *       lock and for buffer space together at most {@link #timeoutNanos()}, then throws
 *       {@link CommTimeoutException}; if part of the frame had gone out, the stream is out of step, so that
 *       connection is closed and the peer marked failed.</li>
 *   <li><b>Failures.</b> End of stream or a reset on a connection (a killed process's kernel closes its sockets),
 *       a protocol error, an abort frame ("aborted: reason") or a close frame ("closed its endpoint") marks the
 *       peer failed: frames it sent before stay receivable, then every receive from it and every send to it
 *       throws {@link PeerFailedException} at once. {@link #abort} sends an abort frame to every live peer within
 *       {@link TcpConfig#abortTimeoutNanos()} in total; a peer whose connection is too busy to take it in time gets
 *       its connection closed instead (it sees end of stream).</li>
 *   <li><b>Liveness.</b> Each connection sends a heartbeat frame after {@link TcpConfig#heartbeatIntervalNanos()}
 *       (a fifth of the liveness timeout) without other frames, from its own thread, whatever the application
 *       does. A peer from which nothing arrived for {@link TcpConfig#livenessTimeoutNanos()} (default 10 s) is
 *       marked failed ("no frame or heartbeat for 10 s (liveness timeout)"): a hung or stopped process, or a cut
 *       network, is thus reported on every rank within that time even though its connection stays open, and ranks
 *       that compute for minutes between calls are not.</li>
 *   <li><b>Close.</b> {@link #close} sends a close frame to every live peer (best effort, same time limit), closes
 *       every socket, and waits for the reader threads to end; idempotent. Afterwards {@code send} and
 *       {@code receive} throw {@link CommException}; {@code abort} does nothing. It does not wait for peers to read
 *       what was sent: end a job with a collective (a barrier) before closing.</li>
 *   <li><b>Threads.</b> All methods are thread-safe. The transport owns two daemon threads per connection, a reader
 *       named {@code scaleml-tcp-r<rank>-from-r<peer>} and a heartbeat sender named
 *       {@code scaleml-tcp-r<rank>-to-r<peer>-heartbeat}, and during setup one named {@code scaleml-tcp-r<rank>-accept} and
 *       short-lived {@code scaleml-tcp-r<rank>-handshake} threads (at most {@value #MAX_CONCURRENT_HANDSHAKES}).
 *       Interrupting a thread inside {@code send} closes that connection (java.nio closes an interruptible
 *       channel), which its peer sees as a failure.</li>
 * </ul>
 * Received frames are queued without bound until received (as in {@link InProcessNetwork}); collectives are
 * lock-step, so the queue holds at most one step's frames.
 */
public final class TcpTransport implements Transport {
    /*
     * Design.
     *
     * Threads. Setup runs in the caller's thread (dialing the lower ranks one after the other, each with retries)
     * and in an acceptor thread (accepting the higher ranks and handing each connection to a short-lived handshake
     * thread, at most MAX_CONCURRENT_HANDSHAKES at once, each bounded by the handshake timeout, so stalled or hostile
     * clients do not hold up the real peers). Each authenticated connection
     * (TcpLink) gets its reader thread at once, even before connect() returns, so a peer that finished setup early
     * can start sending. After setup the only threads are the readers and the heartbeat senders; senders write in the caller's thread.
     *
     * I/O. Channels are non-blocking. A reader reads into a direct buffer and copies each payload into a new array
     * of exactly its length (checked against the limit first); it waits on its own selector only when a read
     * returns nothing, without time limit (it is woken by shutdown). A sender takes the connection's write lock
     * (tryLock with the deadline) and copies header and payload through the connection's direct buffer into the
     * socket; when a write makes no progress it waits on the connection's writer selector until the deadline. Own
     * direct buffers matter: handing a heap buffer to a non-blocking channel makes the JDK copy all of its remaining
     * bytes into a temporary direct buffer on every call, though only what fits in the socket buffer is written.
     * Frames to oneself go straight to the mailbox.
     *
     * Locking. One ReentrantLock per connection orders whole frames on the wire; frames of one (sender, tag) pair
     * thus leave in call order, and TCP and the single reader keep that order into the Mailbox, whose own lock
     * serves receivers. The links array is an AtomicReferenceArray written during setup only (the acceptor writes
     * ranks above this one, the caller ranks below), so there is no lock across connections.
     *
     * Failures. Whoever sees a connection fail first (its reader: end of stream, reset, protocol error, abort or
     * close frame; or a sender: broken pipe, or a timeout mid-frame) records the reason in the Mailbox (the first
     * reason wins), logs it, and shuts the link down: closing the channel and both selectors wakes both the reader
     * and a waiting sender, which then report the recorded reason. Shutdowns caused by our own close() are not
     * failures and are not logged. The peer's kernel closes its sockets when its process dies, even on SIGKILL, so a
     * dead process is seen as end of stream or reset within a round trip; a hung process or a cut cable is seen
     * by the liveness check: the reader waits for input at most until the liveness timeout has passed since the
     * last byte arrived, and each link's heartbeat thread keeps an idle connection from looking dead. Heartbeats
     * come from a thread of their own, not from the reader (a reader must never block on a write) and not from the
     * application (which may compute for minutes between calls).
     *
     * Size. This class stays one file above 500 lines on purpose: about a fifth is the contract and this design
     * comment, and the rest is one endpoint's life (setup, the frame path, failure and shutdown), whose parts share
     * the link table, the closed flag and the secret, and whose races (a link attached while close() runs, a
     * handshake cut short when setup stops, the secret zeroed once setup ends) are handled where both sides can
     * be read at once. The connection itself (reader, heartbeat, writes) is TcpLink, the handshake
     * PeerAuth, the frame layout FrameCodec and the queues Mailbox.
     */

    private static final Logger LOG = Logger.getLogger(TcpTransport.class.getName());
    /** How long a refused peer may take to read the refusal before its connection is closed. */
    private static final long REFUSAL_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    private final int rank;
    private final int size;
    private final List<InetSocketAddress> addresses;
    /** This endpoint's copy of the secret, zeroed when setup ends. */
    private final byte[] secret;
    private final TcpConfig config;
    private final Mailbox mailbox;
    private final AtomicReferenceArray<TcpLink> links;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile boolean aborted;
    private volatile Acceptor acceptor;
    /** A listener the caller bound before the addresses were known (port 0 or a port range), or null. */
    private ServerSocketChannel preBound;
    /** The ranks this transport connects to (all but itself by default). */
    private IntPredicate linked = r -> true;

    private TcpTransport(int rank, List<InetSocketAddress> addresses, byte[] secret, TcpConfig config) {
        this.rank = rank;
        this.size = addresses.size();
        this.addresses = addresses;
        this.secret = secret;
        this.config = config;
        this.mailbox = new Mailbox(rank, size);
        this.links = new AtomicReferenceArray<>(size);
    }

    /** {@link #connect(int, List, byte[], TcpConfig)} with {@link TcpConfig#defaults()}. */
    public static TcpTransport connect(int rank, List<InetSocketAddress> addresses, byte[] secret) {
        return connect(rank, addresses, secret, TcpConfig.defaults());
    }

    /**
     * Joins a job as rank {@code rank}: listens on its address, connects to the lower ranks, accepts the higher
     * ones, and authenticates every connection.
     *
     * @param rank      this rank, in {@code 0 .. addresses.size()-1}
     * @param addresses every rank's address, the same list on every rank
     * @param secret    the job's shared secret (at least {@value PeerAuth#MIN_SECRET_BYTES} bytes), the same on
     *                  every rank; copied
     * @param config    time limits and sizes
     * @return a transport with all {@code size - 1} connections authenticated
     * @throws CommTimeoutException     if some rank did not connect within the connect timeout
     * @throws CommException            if this rank cannot listen on its address, or a peer was found to have a
     *                                  different secret, protocol version or job
     * @throws IllegalArgumentException if the rank, addresses or secret are invalid
     */
    public static TcpTransport connect(int rank, List<InetSocketAddress> addresses, byte[] secret, TcpConfig config) {
        return connect(rank, addresses, secret, config, null);
    }

    /**
     * {@link #connect(int, List, byte[], TcpConfig)} on a listener the caller bound already: the way to join a job
     * whose addresses are exchanged only after every rank bound its port (an ephemeral port, or the first free one of
     * a range), as a cluster manager's rendezvous does. {@code addresses.get(rank)} must be where peers reach
     * {@code listener}; the transport takes ownership of the listener and closes it when setup ends (at once on the
     * highest rank, which accepts nobody), also when setup fails.
     *
     * @param listener a bound, open server channel, or null to bind {@code addresses.get(rank)} as usual
     */
    public static TcpTransport connect(int rank, List<InetSocketAddress> addresses, byte[] secret, TcpConfig config,
                                       ServerSocketChannel listener) {
        return connect(rank, addresses, secret, config, listener, r -> true);
    }

    /**
     * {@link #connect(int, List, byte[], TcpConfig, ServerSocketChannel)} with connections to the ranks that
     * {@code linked} accepts only: the others are reached some other way (e.g. ranks in the same process, through
     * memory; see {@link HybridTransport}), so no connection is made to or accepted from them, and sending to them
     * here throws {@link CommException}. {@code linked} must be the same relation on every rank (symmetric).
     */
    public static TcpTransport connect(int rank, List<InetSocketAddress> addresses, byte[] secret, TcpConfig config,
                                       ServerSocketChannel listener, IntPredicate linked) {
        try {
            return connect0(rank, addresses, secret, config, listener, Objects.requireNonNull(linked, "linked"));
        } catch (RuntimeException | Error e) {
            closeQuietly(listener);
            throw e;
        }
    }

    private static TcpTransport connect0(int rank, List<InetSocketAddress> addresses, byte[] secret, TcpConfig config,
                                         ServerSocketChannel listener, IntPredicate linked) {
        Objects.requireNonNull(addresses, "addresses");
        Objects.requireNonNull(config, "config");
        List<InetSocketAddress> addrs = List.copyOf(addresses);
        if (addrs.isEmpty() || rank < 0 || rank >= addrs.size()) {
            throw new IllegalArgumentException("rank " + rank + " is not in a job of " + addrs.size() + " ranks");
        }
        PeerAuth.checkSecret(secret);
        if (listener != null && (!listener.isOpen() || !isBound(listener))) {
            throw new IllegalArgumentException("rank " + rank + ": the listener given is closed or not bound");
        }
        TcpTransport t = new TcpTransport(rank, addrs, secret.clone(), config);
        t.preBound = listener;
        t.linked = linked;
        try {
            t.establish();
            Arrays.fill(t.secret, (byte) 0); // only handshakes need it, and there will be none
            return t;
        } catch (RuntimeException | Error e) {
            t.close();
            throw e;
        }
    }

    // ------------------------------------------------------------------------------------------------ setup

    private void establish() {
        final long start = System.nanoTime();
        final long deadline = start + config.connectTimeoutNanos();
        boolean accepts = false;
        for (int r = rank + 1; r < size; r++) {
            accepts |= linked.test(r);
        }
        if (!accepts && preBound != null) {
            closeQuietly(preBound); // no linked rank above this one: it only dials
        }
        if (accepts) {
            Acceptor a = new Acceptor(preBound != null ? prepare(preBound) : listen(), deadline);
            acceptor = a;
            a.thread.start();
        }
        for (int j = 0; j < rank; j++) {
            if (linked.test(j)) {
                attach(j, dial(j, deadline));
            }
        }
        Acceptor a = acceptor;
        if (a != null) {
            a.await(deadline);
        }
        LOG.fine(() -> "rank " + rank + ": connected to " + (size - 1) + " peers in "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private ServerSocketChannel listen() {
        InetSocketAddress own = addresses.get(rank);
        ServerSocketChannel s = null;
        InetSocketAddress at = own;
        try {
            own = resolve(own);
            at = config.bindAddress() == null ? own : new InetSocketAddress(config.bindAddress(), own.getPort());
            s = ServerSocketChannel.open();
            s.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (config.socketBufferBytes() > 0) {
                s.setOption(StandardSocketOptions.SO_RCVBUF, config.socketBufferBytes()); // inherited by accepts
            }
            s.bind(at, Math.max(50, size));
            s.configureBlocking(false);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            String hint = e instanceof BindException ? " (is the port in use, or the address not this host's?)" : "";
            throw new CommException("rank " + rank + ": cannot listen on " + at + ": " + TcpLink.describe(e) + hint, e);
        }
    }

    private ServerSocketChannel prepare(ServerSocketChannel s) {
        try {
            s.configureBlocking(false);
            return s;
        } catch (IOException e) {
            closeQuietly(s);
            throw new CommException("rank " + rank + ": cannot use the listener given: " + TcpLink.describe(e), e);
        }
    }

    private static boolean isBound(ServerSocketChannel s) {
        try {
            return s.getLocalAddress() != null;
        } catch (IOException e) {
            return false;
        }
    }

    private static InetSocketAddress resolve(InetSocketAddress a) throws UnknownHostException {
        if (!a.isUnresolved()) {
            return a;
        }
        InetSocketAddress r = new InetSocketAddress(a.getHostString(), a.getPort());
        if (r.isUnresolved()) {
            throw new UnknownHostException("cannot resolve host " + a.getHostString());
        }
        return r;
    }

    /** Connects to rank {@code j}, retrying until {@code deadline}. */
    private TcpLink dial(int j, long deadline) {
        InetSocketAddress target = addresses.get(j);
        long backoffMillis = 10;
        int attempts = 0;
        String last = "no attempt";
        while (true) {
            if (closed.get()) {
                throw new CommException("rank " + rank + ": endpoint closed while connecting");
            }
            long now = System.nanoTime();
            if (now - deadline >= 0) {
                throw new CommTimeoutException("rank " + rank + ": could not connect to rank " + j + " at " + target
                        + " within " + TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNanos()) + " ms ("
                        + attempts + " attempts; last: " + last + ")");
            }
            long attemptDeadline = now + Math.min(deadline - now, config.handshakeTimeoutNanos());
            attempts++;
            TcpLink link = null;
            try {
                link = TcpLink.dial(this, resolve(target), attemptDeadline);
                PeerAuth.clientHandshake(link, rank, j, size, secret, config.integrity(), attemptDeadline, deadline);
                return link;
            } catch (PeerAuth.HandshakeException e) {
                link.shutdown();
                throw new CommException("rank " + rank + ": handshake with rank " + j + " at " + target + " failed: "
                        + e.getMessage());
            } catch (IOException e) {
                if (link != null) {
                    link.shutdown();
                }
                last = TcpLink.describe(e);
            }
            try {
                Thread.sleep(Math.max(1, Math.min(backoffMillis, TimeUnit.NANOSECONDS.toMillis(deadline - now))));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommException("rank " + rank + ": interrupted while connecting to rank " + j, e);
            }
            backoffMillis = Math.min(2 * backoffMillis, 200);
        }
    }

    /** Makes {@code link} the connection to {@code peer} and starts its reader. */
    private void attach(int peer, TcpLink link) {
        link.start(peer, "scaleml-tcp-r" + rank + "-from-r" + peer);
        links.set(peer, link);
        if (closed.get()) {
            link.shutdown(); // close() ran meanwhile and may have missed this link
        }
    }

    /** Makes accepted {@code link} the connection to {@code peer} unless another is already; true if it did. */
    private boolean attachAccepted(int peer, TcpLink link) {
        if (!links.compareAndSet(peer, null, link)) {
            return false;
        }
        link.start(peer, "scaleml-tcp-r" + rank + "-from-r" + peer);
        if (closed.get()) {
            link.shutdown(); // close() ran meanwhile and may have missed this link
        }
        return true;
    }

    /** Handshakes the acceptor serves at once; more connections wait in the kernel's backlog meanwhile. */
    static final int MAX_CONCURRENT_HANDSHAKES = 16;

    /**
     * Accepts and authenticates ranks {@code rank+1 .. size-1} until all are connected or the deadline passes.
     * Handshakes run concurrently, each on its own short-lived thread and bounded by the handshake timeout, at most
     * {@link #MAX_CONCURRENT_HANDSHAKES} at once: idle or garbage connections (which need no credentials to open)
     * cannot keep the real peers out, as they could when handshakes were served one at a time.
     */
    private final class Acceptor implements Runnable {
        final ServerSocketChannel server;
        final Selector selector;
        final long deadline;
        final Thread thread;
        final List<String> refusals = Collections.synchronizedList(new ArrayList<>());
        volatile boolean stop;
        volatile Throwable error;
        /** Connections being authenticated, so that stopping can cut slow handshakes short. */
        final java.util.Set<TcpLink> inFlight = java.util.concurrent.ConcurrentHashMap.newKeySet();
        /** Ranks whose peer has authenticated on some connection that is not yet published in {@code links}. */
        final java.util.Set<Integer> claimed = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.Set<Thread> handshakers = java.util.concurrent.ConcurrentHashMap.newKeySet();
        final java.util.concurrent.Semaphore slots = new java.util.concurrent.Semaphore(MAX_CONCURRENT_HANDSHAKES);

        Acceptor(ServerSocketChannel server, long deadline) {
            this.server = server;
            this.deadline = deadline;
            try {
                this.selector = Selector.open();
                server.register(selector, SelectionKey.OP_ACCEPT);
            } catch (IOException e) {
                closeQuietly(server);
                throw new CommException("rank " + rank + ": cannot watch the listener: " + TcpLink.describe(e), e);
            }
            this.thread = new Thread(this, "scaleml-tcp-r" + rank + "-accept");
            thread.setDaemon(true);
        }

        private int missing() {
            int m = 0;
            for (int r = rank + 1; r < size; r++) {
                if (links.get(r) == null && linked.test(r)) {
                    m++;
                }
            }
            return m;
        }

        @Override
        public void run() {
            try {
                while (!stop && missing() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    if (!slots.tryAcquire(Math.min(left, TimeUnit.MILLISECONDS.toNanos(50)), TimeUnit.NANOSECONDS)) {
                        continue; // every slot busy: leave new connections in the backlog a little longer
                    }
                    boolean handed = false;
                    try {
                        selector.select(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left + 999_999))));
                        selector.selectedKeys().clear();
                        SocketChannel ch = stop ? null : server.accept();
                        if (ch != null) {
                            Thread t = new Thread(() -> {
                                try {
                                    serve(ch);
                                } finally {
                                    slots.release();
                                    handshakers.remove(Thread.currentThread());
                                    selector.wakeup(); // a rank may have joined: let the loop re-check
                                }
                            }, "scaleml-tcp-r" + rank + "-handshake");
                            t.setDaemon(true);
                            handshakers.add(t);
                            t.start();
                            handed = true;
                        }
                    } finally {
                        if (!handed) {
                            slots.release();
                        }
                    }
                }
            } catch (IOException | RuntimeException | Error e) {
                if (!stop) {
                    error = e;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                closeQuietly(server);
                closeQuietly(selector);
            }
        }

        private void serve(SocketChannel ch) {
            String from = "an unknown address";
            TcpLink link = null;
            int[] claim = {-1}; // the rank this connection reserved after authentication, if any
            try {
                from = String.valueOf(ch.getRemoteAddress());
                link = TcpLink.accepted(TcpTransport.this, ch);
                inFlight.add(link);
                if (stop) {
                    link.shutdown();
                }
                long hsDeadline = System.nanoTime() + config.handshakeTimeoutNanos();
                int peer = PeerAuth.serverHandshake(link, rank, size, secret, config.integrity(),
                        r -> links.get(r) != null || claimed.contains(r) || !linked.test(r),
                        r -> {
                            if (links.get(r) != null || !claimed.add(r)) {
                                return false;
                            }
                            claim[0] = r;
                            return true;
                        },
                        deadline - hsDeadline < 0 ? deadline : hsDeadline);
                // No longer a handshake in progress: stopping must not cut it. Removed before the link is published,
                // since the acceptor stops (and cuts what is in flight) as soon as the last missing rank appears.
                inFlight.remove(link);
                boolean attached = attachAccepted(peer, link);
                release(claim); // published (or refused): links.get(peer) now answers for it
                if (!attached) {
                    refused(from, "rank " + peer + " is already connected", link, false);
                }
            } catch (PeerAuth.HandshakeException e) {
                refused(from, e.getMessage(), link, true);
            } catch (IOException e) {
                refused(from, "handshake failed: " + TcpLink.describe(e), link, false);
            } catch (RuntimeException | Error e) {
                if (!stop) {
                    error = e;
                }
                if (link != null) {
                    link.shutdown();
                }
            } finally {
                release(claim); // a handshake that failed after its claim must not keep the rank out
                if (link != null) {
                    inFlight.remove(link);
                } else {
                    closeQuietly(ch);
                }
            }
        }

        private void release(int[] claim) {
            if (claim[0] >= 0) {
                claimed.remove(claim[0]);
                claim[0] = -1;
            }
        }

        /** Logs a refusal and closes the connection (gracefully if a refusal was sent, so that it arrives). */
        private void refused(String from, String why, TcpLink link, boolean graceful) {
            if (!stop) {
                refusals.add(from + ": " + why);
                LOG.warning("rank " + rank + ": refused a connection from " + from + ": " + why);
            }
            if (link != null) {
                if (graceful && !stop) {
                    link.closeAfterRefusal(REFUSAL_LINGER_NANOS);
                }
                link.shutdown();
            }
        }

        /** Waits for the acceptor to finish; throws if ranks are still missing. */
        void await(long connectDeadline) {
            try {
                long left = connectDeadline - System.nanoTime();
                thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)) + 1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CommException("rank " + rank + ": interrupted while waiting for peers to connect", e);
            }
            stopAndJoin();
            Throwable err = error;
            if (err != null) {
                throw new CommException("rank " + rank + ": the listener on " + addresses.get(rank) + " failed: "
                        + TcpLink.describe(err), err);
            }
            List<Integer> absent = new ArrayList<>();
            for (int r = rank + 1; r < size; r++) {
                if (links.get(r) == null && linked.test(r)) {
                    absent.add(r);
                }
            }
            if (!absent.isEmpty()) {
                List<String> seen;
                synchronized (refusals) {
                    seen = new ArrayList<>(refusals);
                }
                throw new CommTimeoutException("rank " + rank + ": " + (absent.size() > 1 ? "ranks " + absent : "rank " + absent.get(0))
                        + " did not connect to " + addresses.get(rank) + " within "
                        + TimeUnit.NANOSECONDS.toMillis(config.connectTimeoutNanos()) + " ms"
                        + (seen.isEmpty() ? "" : "; refused meanwhile: " + String.join("; ", seen)));
            }
        }

        void stopAndJoin() {
            stop = true;
            selector.wakeup();
            for (TcpLink c : inFlight) {
                if (c.peer() < 0) {
                    c.shutdown(); // a handshake in progress: its reads fail at once
                }
            }
            long joinMillis = TimeUnit.NANOSECONDS.toMillis(config.handshakeTimeoutNanos()) + 1000;
            try {
                thread.join(joinMillis);
                for (Thread t : handshakers) {
                    t.join(joinMillis);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (thread.isAlive()) {
                LOG.warning("rank " + rank + ": the acceptor thread did not stop in time");
            }
            acceptor = null;
        }
    }

    // ------------------------------------------------------------------------------------------------ package API

    TcpConfig config() {
        return config;
    }

    Mailbox mailbox() {
        return mailbox;
    }

    boolean isClosed() {
        return closed.get();
    }

    /** Records that {@code link}'s peer failed and logs it once (not if this endpoint is closing). */
    void peerFailed(TcpLink link, String reason) {
        int peer = link.peer();
        if (closed.get() || peer < 0) {
            return;
        }
        if (mailbox.failure(peer) == null) { // log before waking receivers, so the cause precedes its effects
            // after our own abort, peers closing on us is expected
            Level level = aborted || TcpLink.CLOSED_BY_PEER.equals(reason) ? Level.FINE : Level.WARNING;
            LOG.log(level, () -> "rank " + rank + ": peer " + peer + " (" + link.remote() + ") failed: " + reason);
        }
        mailbox.fail(peer, reason);
    }

    // ------------------------------------------------------------------------------------------------ Transport

    @Override
    public int rank() {
        return rank;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public int maxFrameBytes() {
        return config.maxFrameBytes();
    }

    @Override
    public long timeoutNanos() {
        return config.timeoutNanos();
    }

    private void checkRank(int r) {
        if (r < 0 || r >= size) {
            throw new IllegalArgumentException("rank " + rank + ": no rank " + r + " in a job of " + size);
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new CommException("rank " + rank + ": endpoint closed");
        }
    }

    @Override
    public void send(int to, int tag, byte[] buf, int off, int len) {
        checkRank(to);
        Objects.checkFromIndexSize(off, len, buf.length);
        if (len > config.maxFrameBytes()) {
            throw new IllegalArgumentException("rank " + rank + ": frame of " + len + " bytes exceeds the limit of "
                    + config.maxFrameBytes());
        }
        ensureOpen();
        if (to == rank) {
            mailbox.deliver(rank, tag, Arrays.copyOfRange(buf, off, off + len));
            return;
        }
        String dead = mailbox.failure(to);
        if (dead != null) {
            throw new PeerFailedException(to, "rank " + rank + ": peer " + to + " failed: " + dead);
        }
        if (Thread.currentThread().isInterrupted()) { // NIO would close the channel under an interrupted thread
            throw new CommException("rank " + rank + ": interrupted before sending to rank " + to);
        }
        TcpLink link = links.get(to);
        if (link == null) {
            throw new CommException("rank " + rank + ": no connection to rank " + to);
        }
        link.sendData(tag, buf, off, len, System.nanoTime() + config.timeoutNanos(), config.timeoutNanos());
    }

    @Override
    public byte[] receive(int from, int tag, long timeoutNanos) {
        checkRank(from);
        ensureOpen();
        return mailbox.take(from, tag, timeoutNanos);
    }

    @Override
    public void abort(String reason) {
        if (closed.get()) {
            return;
        }
        aborted = true;
        LOG.warning("rank " + rank + ": aborting: " + reason);
        tellAll(FrameCodec.abortFrame(reason), true);
    }

    /**
     * Sends a control frame to every live peer within the abort time limit in total. A connection that did not take
     * it whole is closed (its peer then sees end of stream, which tells it as much); with {@code keepOpen} false,
     * every connection is closed afterwards.
     */
    private void tellAll(byte[] frame, boolean keepOpen) {
        long deadline = System.nanoTime() + config.abortTimeoutNanos();
        for (int r = 0; r < size; r++) {
            TcpLink l = links.get(r);
            if (l == null) {
                continue;
            }
            boolean sent = mailbox.failure(r) == null && l.sendControl(frame, deadline);
            if (!sent || !keepOpen) {
                l.shutdown();
            }
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        mailbox.close("closed");
        Acceptor a = acceptor;
        if (a != null) {
            a.stopAndJoin();
        }
        Arrays.fill(secret, (byte) 0);
        tellAll(FrameCodec.closeFrame(), false);
        for (int r = 0; r < size; r++) {
            TcpLink l = links.get(r);
            if (l != null && !l.joinReader(2000)) {
                LOG.warning("rank " + rank + ": the reader of rank " + r + " did not stop within 2 s");
            }
        }
    }

    @Override
    public String toString() {
        return "TcpTransport[rank " + rank + " of " + size + " at " + addresses.get(rank) + (closed.get() ? ", closed"
                : "") + "]";
    }

    private static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception e) {
            // closing: nothing useful to do
        }
    }
}
