package org.scaleml.comm.transport;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.logging.Level;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The handshake of {@link TcpTransport}: mutual challenge-response authentication of two ranks with a shared
 * secret, before any frame is accepted; and {@link #secretFromEnvironment()} to obtain that secret.
 *
 * <h2>Handshake, protocol version 2</h2>
 * The rank with the larger index ({@code c}, the client) connects to the rank with the smaller one ({@code s}, the
 * server). All integers are big-endian int32; nonces are 32 bytes from {@link SecureRandom}; every message has a
 * fixed length.
 * <pre>
 *  1. c -&gt; s  HELLO  (56 B)  [magic 0x534D4C54 "SMLT"][version][job size][c][s][integrity][nonce Nc]
 *  2. s -&gt; c  REPLY  (76 B)  [magic][version of s][status][nonce Ns][proof Ps]
 *  3. c -&gt; s  PROOF  (36 B)  [status][proof Pc]
 *  4. s -&gt; c  RESULT  (4 B)  [status]
 *
 *  Ps = HMAC-SHA256(secret, T('S')),  Pc = HMAC-SHA256(secret, T('C'))
 *  T(role) = "scaleml-tcp-auth" (16 ASCII bytes) || role (1 byte) || version || job size || c || s || integrity
 *            || Nc || Ns
 *
 *  session keys, one per direction, for the frame trailers ({@link FrameCodec}):
 *  K(c -&gt; s) = HMAC-SHA256(secret, K('c')),  K(s -&gt; c) = HMAC-SHA256(secret, K('s'))
 *  K(dir) = "scaleml-tcp-keys" (16 ASCII bytes) || dir (1 byte) || version || job size || c || s || integrity
 *           || Nc || Ns
 * </pre>
 * {@code integrity} is the code of the client's {@link TcpConfig.Integrity} mode: 0 none, 1 MAC, 2 CRC32C.
 * Each side proves knowledge of the secret over the other side's fresh nonce, so neither proof can be replayed;
 * the role byte keeps a server proof from being reflected as a client proof; the transcript binds the protocol
 * version, the job size, both ranks and the integrity mode. The session keys are derived from the same fresh
 * nonces under a different label, so they differ on every connection and in each direction and are never sent. Proofs are compared with {@link MessageDigest#isEqual} (constant time).
 * The server checks HELLO before it proves anything: magic, then version (the first 8 bytes keep their meaning in
 * every version, so a peer of another version is told which one this side speaks), job size, that {@code s} is
 * its own rank, that {@code c} is in {@code s+1 .. size-1}, and that rank {@code c} is not connected yet.
 *
 * <p>Status codes: 0 OK, 1 malformed (not a ScaleML handshake), 2 protocol version, 3 job size, 4 rank, 5 duplicate
 * rank, 6 authentication, 7 integrity mode (the server uses another one: the first int32 of REPLY's nonce field
 * then carries the server's mode code). A non-zero status in REPLY (nonce and proof then zero), PROOF (proof zero) or RESULT
 * ends the handshake; the sender closes the connection. Once the client's proof checks out, the server reserves
 * rank {@code c} for this connection before it sends RESULT OK, so a second connection claiming {@code c} is refused
 * with status 5 (in REPLY, or in RESULT if both passed the HELLO check together) even before the first is registered;
 * only an authenticated peer can reserve a rank. A server registers the client only after sending RESULT OK; frames
 * ({@link FrameCodec}) follow at once in both directions.
 *
 * <h2>Secrets</h2>
 * At least {@value #MIN_SECRET_BYTES} bytes. Text that consists only of hexadecimal digits, has even length and at
 * least {@code 2 * MIN_SECRET_BYTES} characters is decoded as hex (e.g. the output of {@code openssl rand -hex 32});
 * any other text is used as its UTF-8 bytes.
 */
public final class PeerAuth {
    /** Version of the handshake and frame protocol spoken by this build. */
    public static final int PROTOCOL_VERSION = 2;
    /** First four bytes of HELLO and REPLY: ASCII "SMLT". */
    public static final int MAGIC = 0x534D4C54;
    /** Shortest accepted secret, in bytes. */
    public static final int MIN_SECRET_BYTES = 16;
    /** Environment variable holding the secret (hex or text). */
    public static final String SECRET_ENV = "SCALEML_SECRET";
    /** Environment variable naming a file that holds the secret. */
    public static final String SECRET_FILE_ENV = "SCALEML_SECRET_FILE";

    static final int NONCE_BYTES = 32;
    static final int PROOF_BYTES = 32;
    static final int HELLO_BYTES = 24 + NONCE_BYTES;
    static final int REPLY_BYTES = 12 + NONCE_BYTES + PROOF_BYTES;
    static final int PROOF_MSG_BYTES = 4 + PROOF_BYTES;
    static final int RESULT_BYTES = 4;

    static final int OK = 0;
    static final int MALFORMED = 1;
    static final int VERSION = 2;
    static final int JOB_SIZE = 3;
    static final int RANK = 4;
    static final int DUPLICATE = 5;
    static final int AUTH = 6;
    static final int INTEGRITY = 7;

    private static final byte[] LABEL = "scaleml-tcp-auth".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] KEY_LABEL = "scaleml-tcp-keys".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_SECRET_FILE_BYTES = 1 << 16;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Logger LOG = Logger.getLogger(TcpTransport.class.getName());

    private PeerAuth() {
    }

    /** A refused handshake; the message says why, in words fit for a log line. */
    /**
     * What a handshake needs of a connection: exact reads and writes with a deadline, and a place for the session's
     * frame seals. {@link TcpLink} is the real one; tests and fuzz targets drive the handshake through byte arrays.
     */
    interface Channel {
        /** Fills {@code dst} by {@code deadline}; an {@link java.io.EOFException} if the stream ends first. */
        void readExact(ByteBuffer dst, long deadline) throws IOException;

        /** Writes all of {@code src} by {@code deadline}. */
        void writeExact(ByteBuffer src, long deadline) throws IOException;

        /** Installs the session's seals once both sides are authenticated. */
        void setSeals(FrameSeal send, FrameSeal receive);
    }

    static final class HandshakeException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        HandshakeException(int status, String message) {
            super(message);
            this.status = status;
        }

        /** The status code sent or received. */
        int status() {
            return status;
        }
    }

    // ------------------------------------------------------------------------------------------------ secrets

    /**
     * The shared secret from the environment: {@value #SECRET_ENV} (hex or text, see the class comment) or the
     * file named by {@value #SECRET_FILE_ENV} (its trailing whitespace removed, then hex or raw bytes).
     *
     * @throws CommException naming the variables if neither or both are set, the file cannot be read, or the
     *                       secret is shorter than {@value #MIN_SECRET_BYTES} bytes
     */
    public static byte[] secretFromEnvironment() {
        return secretFromEnvironment(System.getenv());
    }

    /** {@link #secretFromEnvironment()} reading from {@code env} instead of the process environment. */
    public static byte[] secretFromEnvironment(Map<String, String> env) {
        String text = env.get(SECRET_ENV);
        String file = env.get(SECRET_FILE_ENV);
        boolean hasText = text != null && !text.isEmpty();
        boolean hasFile = file != null && !file.isEmpty();
        if (hasText && hasFile) {
            throw new CommException("both " + SECRET_ENV + " and " + SECRET_FILE_ENV + " are set; set only one");
        }
        if (hasText) {
            return checked(parseSecret(text), SECRET_ENV);
        }
        if (hasFile) {
            return checked(readSecretFile(Path.of(file)), SECRET_FILE_ENV + "=" + file);
        }
        throw new CommException("no shared secret: set " + SECRET_ENV + " (at least " + MIN_SECRET_BYTES
                + " bytes of text, or hex such as the output of `openssl rand -hex 32`) or " + SECRET_FILE_ENV
                + " (the path of a file holding it), the same on every rank");
    }

    /** Decodes a secret given as text: hex if it looks like hex (see the class comment), else UTF-8 bytes. */
    public static byte[] parseSecret(String text) {
        if (looksLikeHex(text)) {
            return HexFormat.of().parseHex(text);
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static boolean looksLikeHex(CharSequence s) {
        if (s.length() < 2 * MIN_SECRET_BYTES || s.length() % 2 != 0) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            if (Character.digit(s.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static byte[] readSecretFile(Path path) {
        byte[] raw;
        try {
            long n = Files.size(path);
            if (n > MAX_SECRET_FILE_BYTES) {
                throw new CommException(SECRET_FILE_ENV + "=" + path + " has " + n + " bytes; a secret file holds at most "
                        + MAX_SECRET_FILE_BYTES);
            }
            raw = Files.readAllBytes(path);
        } catch (IOException e) {
            throw new CommException("cannot read the secret file " + SECRET_FILE_ENV + "=" + path + ": " + e, e);
        }
        warnIfReadableByOthers(path);
        int end = raw.length;
        while (end > 0 && (raw[end - 1] == '\n' || raw[end - 1] == '\r' || raw[end - 1] == ' ' || raw[end - 1] == '\t')) {
            end--;
        }
        String asText = new String(raw, 0, end, StandardCharsets.ISO_8859_1); // one char per byte
        if (looksLikeHex(asText)) {
            return HexFormat.of().parseHex(asText);
        }
        byte[] out = new byte[end];
        System.arraycopy(raw, 0, out, 0, end);
        return out;
    }

    private static void warnIfReadableByOthers(Path path) {
        try {
            Set<PosixFilePermission> p = Files.getPosixFilePermissions(path);
            if (p.contains(PosixFilePermission.OTHERS_READ)) {
                LOG.warning("the secret file " + path + " is readable by every user; chmod 600 it");
            }
        } catch (IOException | UnsupportedOperationException e) {
            // not a POSIX file system: nothing to check
        }
    }

    private static byte[] checked(byte[] secret, String source) {
        if (secret.length < MIN_SECRET_BYTES) {
            throw new CommException("the secret from " + source + " has " + secret.length + " bytes; at least "
                    + MIN_SECRET_BYTES + " are required");
        }
        return secret;
    }

    /** Checks a caller's secret. */
    static void checkSecret(byte[] secret) {
        if (secret == null || secret.length < MIN_SECRET_BYTES) {
            throw new IllegalArgumentException("the shared secret must have at least " + MIN_SECRET_BYTES
                    + " bytes, got " + (secret == null ? "null" : secret.length));
        }
    }

    // ------------------------------------------------------------------------------------------------ handshake

    /** The proof of {@code role} ('S' or 'C') over the transcript, as in the class comment. */
    static byte[] proof(byte[] secret, byte role, int version, int size, int client, int server, int integrity,
            byte[] nc, byte[] ns) {
        return transcriptMac(secret, LABEL, role, version, size, client, server, integrity, nc, ns);
    }

    /** The session key of direction {@code dir} ('c': client to server, 's': server to client). */
    static byte[] sessionKey(byte[] secret, byte dir, int size, int client, int server, int integrity, byte[] nc,
            byte[] ns) {
        return transcriptMac(secret, KEY_LABEL, dir, PROTOCOL_VERSION, size, client, server, integrity, nc, ns);
    }

    private static byte[] transcriptMac(byte[] secret, byte[] label, byte role, int version, int size, int client,
            int server, int integrity, byte[] nc, byte[] ns) {
        ByteBuffer t = ByteBuffer.allocate(label.length + 1 + 20 + 2 * NONCE_BYTES);
        t.put(label).put(role).putInt(version).putInt(size).putInt(client).putInt(server).putInt(integrity).put(nc)
                .put(ns);
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            return mac.doFinal(t.array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is unavailable in this JVM", e); // required of every JDK
        }
    }

    static String statusName(int status) {
        switch (status) {
            case OK: return "ok";
            case MALFORMED: return "malformed handshake";
            case VERSION: return "protocol version mismatch";
            case JOB_SIZE: return "job size mismatch";
            case RANK: return "wrong rank";
            case DUPLICATE: return "duplicate rank";
            case AUTH: return "authentication failed";
            case INTEGRITY: return "frame integrity mode mismatch";
            default: return "unknown status " + status;
        }
    }

    private static byte[] nonce() {
        byte[] n = new byte[NONCE_BYTES];
        RANDOM.nextBytes(n);
        return n;
    }

    /**
     * Runs the server side on a fresh connection.
     *
     * @param connected tells whether a rank is already connected (checked before authentication: a fast refusal)
     * @param claim     called once the peer has proved itself, before the final result is sent: it reserves the rank
     *                  for this connection and returns {@code false} if another authenticated connection holds it
     *                  (the peer is then refused as a duplicate). Reserving only after authentication means that
     *                  an unauthenticated connection can never keep a rank out. The caller releases the claim if
     *                  the handshake then fails.
     * @param mode      this side's frame integrity mode; on success the link's session keys are set
     * @return the authenticated client rank
     * @throws HandshakeException the peer was refused (a refusal was sent where possible)
     * @throws IOException        the connection failed or the deadline passed
     */
    static int serverHandshake(Channel io, int self, int size, byte[] secret, TcpConfig.Integrity mode,
            IntPredicate connected, IntPredicate claim, long deadline) throws IOException, HandshakeException {
        ByteBuffer hello = ByteBuffer.allocate(HELLO_BYTES);
        hello.limit(8);
        io.readExact(hello, deadline);
        int magic = hello.getInt(0);
        int version = hello.getInt(4);
        if (magic != MAGIC) {
            refuse(io, MALFORMED, deadline);
            throw new HandshakeException(MALFORMED, "not a ScaleML handshake (first bytes 0x"
                    + HexFormat.of().formatHex(hello.array(), 0, 8) + ")");
        }
        if (version != PROTOCOL_VERSION) {
            refuse(io, VERSION, deadline);
            throw new HandshakeException(VERSION, "it speaks protocol version " + version + ", this rank speaks "
                    + PROTOCOL_VERSION);
        }
        hello.limit(HELLO_BYTES);
        io.readExact(hello, deadline);
        hello.position(8);
        int jobSize = hello.getInt();
        int client = hello.getInt();
        int server = hello.getInt();
        int integrity = hello.getInt();
        byte[] nc = new byte[NONCE_BYTES];
        hello.get(nc);
        if (jobSize != size) {
            refuse(io, JOB_SIZE, deadline);
            throw new HandshakeException(JOB_SIZE, "it claims rank " + client + " of a job of " + jobSize
                    + " ranks; this job has " + size);
        }
        if (server != self) {
            refuse(io, RANK, deadline);
            throw new HandshakeException(RANK, "it claims rank " + client + " and expected rank " + server
                    + " at this address; this is rank " + self);
        }
        if (client < 0 || client >= size) {
            refuse(io, RANK, deadline);
            throw new HandshakeException(RANK, "it claims rank " + client + ", out of range 0.." + (size - 1));
        }
        if (client <= self) {
            refuse(io, RANK, deadline);
            throw new HandshakeException(RANK, "it claims rank " + client + ", but only ranks above " + self
                    + " connect to rank " + self);
        }
        if (connected.test(client)) {
            refuse(io, DUPLICATE, deadline);
            throw new HandshakeException(DUPLICATE, "it claims rank " + client + ", which is already connected");
        }
        if (integrity != mode.wireCode()) {
            ByteBuffer b = ByteBuffer.allocate(REPLY_BYTES).putInt(MAGIC).putInt(PROTOCOL_VERSION).putInt(INTEGRITY)
                    .putInt(mode.wireCode());
            b.position(REPLY_BYTES).flip();
            try {
                io.writeExact(b, deadline);
            } catch (IOException e) {
                LOG.log(Level.FINE, "could not send a handshake refusal", e);
            }
            TcpConfig.Integrity theirs = TcpConfig.Integrity.ofWireCode(integrity);
            throw new HandshakeException(INTEGRITY, "it claims rank " + client + " and uses frame integrity "
                    + (theirs == null ? "code " + integrity : theirs.toString()) + "; this rank uses " + mode
                    + " (set the same integrity on every rank)");
        }
        byte[] ns = nonce();
        ByteBuffer reply = ByteBuffer.allocate(REPLY_BYTES);
        reply.putInt(MAGIC).putInt(PROTOCOL_VERSION).putInt(OK).put(ns)
                .put(proof(secret, (byte) 'S', PROTOCOL_VERSION, size, client, self, integrity, nc, ns)).flip();
        io.writeExact(reply, deadline);

        ByteBuffer pm = ByteBuffer.allocate(PROOF_MSG_BYTES);
        io.readExact(pm, deadline);
        pm.flip();
        int status = pm.getInt();
        byte[] pc = new byte[PROOF_BYTES];
        pm.get(pc);
        if (status != OK) {
            throw new HandshakeException(status, "it claims rank " + client + " and refused our proof ("
                    + statusName(status) + "): the secrets differ");
        }
        byte[] expected = proof(secret, (byte) 'C', PROTOCOL_VERSION, size, client, self, integrity, nc, ns);
        if (!MessageDigest.isEqual(expected, pc)) {
            writeStatus(io, AUTH, deadline);
            throw new HandshakeException(AUTH, "it claims rank " + client
                    + " but its proof does not match our secret (wrong secret)");
        }
        if (!claim.test(client)) {
            // Another authenticated connection for this rank got here first (it passed the early check meanwhile).
            writeStatus(io, DUPLICATE, deadline);
            throw new HandshakeException(DUPLICATE, "it claims rank " + client + ", which is already connected");
        }
        io.setSeals(FrameSeal.of(mode, sessionKey(secret, (byte) 's', size, client, self, integrity, nc, ns)),
                FrameSeal.of(mode, sessionKey(secret, (byte) 'c', size, client, self, integrity, nc, ns)));
        ByteBuffer ok = ByteBuffer.allocate(RESULT_BYTES).putInt(OK).flip();
        io.writeExact(ok, deadline);
        return client;
    }

    /**
     * Runs the client side: this rank {@code self} authenticates rank {@code server} and itself.
     *
     * @param deadline       limit of steps 1 to 3
     * @param resultDeadline limit of step 4 (after our proof is sent, the server may already count us as connected,
     *                       so we wait for its result as long as the whole connect may take)
     * @throws HandshakeException the server refused us or failed to prove itself: retrying cannot help
     * @throws IOException        the connection failed or the deadline passed: a retry may succeed
     */
    static void clientHandshake(Channel io, int self, int server, int size, byte[] secret, TcpConfig.Integrity mode,
            long deadline, long resultDeadline) throws IOException, HandshakeException {
        byte[] nc = nonce();
        int integrity = mode.wireCode();
        ByteBuffer hello = ByteBuffer.allocate(HELLO_BYTES);
        hello.putInt(MAGIC).putInt(PROTOCOL_VERSION).putInt(size).putInt(self).putInt(server).putInt(integrity).put(nc)
                .flip();
        io.writeExact(hello, deadline);

        ByteBuffer reply = ByteBuffer.allocate(REPLY_BYTES);
        reply.limit(12);
        io.readExact(reply, deadline);
        int magic = reply.getInt(0);
        int version = reply.getInt(4);
        int status = reply.getInt(8);
        if (magic != MAGIC) {
            throw new HandshakeException(MALFORMED, "the peer is not a ScaleML transport (its reply starts with 0x"
                    + HexFormat.of().formatHex(reply.array(), 0, 12) + ")");
        }
        if (status == INTEGRITY && version == PROTOCOL_VERSION) {
            reply.limit(16);
            io.readExact(reply, deadline);
            TcpConfig.Integrity theirs = TcpConfig.Integrity.ofWireCode(reply.getInt(12));
            throw new HandshakeException(status, "refused by the peer: it uses frame integrity "
                    + (theirs == null ? "code " + reply.getInt(12) : theirs.toString()) + ", this rank uses " + mode
                    + " (set the same integrity on every rank)");
        }
        if (status != OK) {
            String why = status == VERSION ? "it speaks protocol version " + version + ", this rank speaks "
                    + PROTOCOL_VERSION : statusName(status);
            throw new HandshakeException(status, "refused by the peer: " + why);
        }
        if (version != PROTOCOL_VERSION) {
            throw new HandshakeException(VERSION, "the peer answered in protocol version " + version
                    + ", this rank speaks " + PROTOCOL_VERSION);
        }
        reply.limit(REPLY_BYTES);
        io.readExact(reply, deadline);
        reply.position(12);
        byte[] ns = new byte[NONCE_BYTES];
        byte[] ps = new byte[PROOF_BYTES];
        reply.get(ns).get(ps);
        byte[] expected = proof(secret, (byte) 'S', PROTOCOL_VERSION, size, self, server, integrity, nc, ns);
        if (!MessageDigest.isEqual(expected, ps)) {
            ByteBuffer no = ByteBuffer.allocate(PROOF_MSG_BYTES).putInt(AUTH).put(new byte[PROOF_BYTES]).flip();
            try {
                io.writeExact(no, deadline);
            } catch (IOException e) {
                LOG.log(Level.FINE, "could not tell the peer that its proof failed", e);
            }
            throw new HandshakeException(AUTH, "its proof does not match our secret (wrong secret)");
        }
        ByteBuffer pm = ByteBuffer.allocate(PROOF_MSG_BYTES);
        pm.putInt(OK).put(proof(secret, (byte) 'C', PROTOCOL_VERSION, size, self, server, integrity, nc, ns)).flip();
        io.setSeals(FrameSeal.of(mode, sessionKey(secret, (byte) 'c', size, self, server, integrity, nc, ns)),
                FrameSeal.of(mode, sessionKey(secret, (byte) 's', size, self, server, integrity, nc, ns)));
        io.writeExact(pm, deadline);

        ByteBuffer result = ByteBuffer.allocate(RESULT_BYTES);
        io.readExact(result, resultDeadline);
        int r = result.getInt(0);
        if (r != OK) {
            throw new HandshakeException(r, "refused by the peer after our proof: " + statusName(r)
                    + (r == AUTH ? " (wrong secret)" : ""));
        }
    }

    /** Sends a REPLY with a refusal status (best effort: the connection is closed next anyway). */
    private static void refuse(Channel io, int status, long deadline) {
        ByteBuffer b = ByteBuffer.allocate(REPLY_BYTES).putInt(MAGIC).putInt(PROTOCOL_VERSION).putInt(status);
        b.position(REPLY_BYTES).flip();
        try {
            io.writeExact(b, deadline);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not send a handshake refusal", e);
        }
    }

    private static void writeStatus(Channel io, int status, long deadline) {
        try {
            io.writeExact(ByteBuffer.allocate(RESULT_BYTES).putInt(status).flip(), deadline);
        } catch (IOException e) {
            LOG.log(Level.FINE, "could not send a handshake result", e);
        }
    }
}
