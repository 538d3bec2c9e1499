package org.scaleml.comm.collective;

import java.util.Objects;

import org.scaleml.comm.codec.CodecFormatException;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.comm.codec.ReferenceCodec;
import org.scaleml.comm.codec.ReferenceMismatchException;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;

/**
 * Distributed mean estimation (DME): every rank passes a vector of the same length and ends with an estimate of the
 * mean of all ranks' vectors, in place, through a codec. With a {@link ReferenceCodec} ({@code lattice:...}) every
 * payload is decoded relative to the receiver's own vector, so the error depends on the distance between the
 * ranks' vectors, not on their norm; any other codec runs the same protocol with plain decoding.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result.</b> With {@code x_r} rank r's input and {@code Q} the codec (fresh randomness at each use), rank 0
 *       (the leader) forms {@code m = (x_0 + sum_{r > 0} Q_r(x_r)) / P} (its own vector exact, float sums in rank
 *       order) and every rank ends with a decoding of {@code Q(m)}. With a reference codec, every rank that decoded
 *       the first encoding of {@code m} holds bitwise the same estimate; a rank whose decode failed its check gets
 *       a fresh encoding with a larger step (below). With an unbiased codec the estimate is unbiased.</li>
 *   <li><b>Retries (reference codecs).</b> A payload whose decoded point fails its check (the receiver's vector was
 *       farther than the codec's range from the encoded one) is re-encoded by its sender with the step doubled,
 *       up to {@link #MAX_RETRIES} times per payload, then the call fails. Upward, the leader asks the sender
 *       again; downward, each rank acknowledges the mean and a negative acknowledgement makes the leader send that
 *       rank a new encoding. Retries and bytes are counted in the {@link Outcome}.</li>
 *   <li><b>Calls and failures.</b> As for {@link Collectives}: every rank calls {@link #estimate} the same number of
 *       times in the same order relative to the other collectives on the communicator, with the same length; each
 *       call takes one tag block; a failed, stalled or misbehaving peer aborts the transport and propagates naming
 *       the collective and the rank (every blocking receive has the transport's time limit). Not thread-safe.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * {@code P} ranks, {@code n} elements, {@code E} the codec's payload size: without retries each non-leader sends one
 * payload (plus, with a reference codec, a 1-byte acknowledgement) and the leader sends {@code P - 1} payloads of the
 * mean (each with a 1-byte message type): {@code 2 (P - 1) E} bytes in all, i.e. the codec's bits per element for
 * each vector moved. The leader's link carries all of it (a star: fine for small {@code P}, the DME setting).
 * Memory: one payload buffer, and {@code 2 n} floats of scratch on the leader ({@code n} elsewhere).
 */
public final class MeanEstimation {
    /*
     * Protocol (star through rank 0, as in [1] Section 5's two-round leader scheme): on tag T the non-leaders send
     * their encoded vectors; the leader decodes each, in rank order, with its own vector as the reference (into
     * scratch, so a failed decode leaves nothing behind) and answers on T + 1 with either RETRY (1 byte; the sender
     * re-encodes with twice its step) or, once every rank's payload decoded, MEAN (1 byte + the encoded mean). A
     * non-leader decodes the mean with its own vector as reference, and (reference codecs only) answers on T + 2
     * with ACK or NACK; on NACK the leader re-encodes the mean with its step doubled and sends MEAN again. The
     * leader's own estimate is the first encoding of the mean decoded against the exact mean (always within range),
     * so all ranks decoding that encoding agree bit for bit.
     *
     * Why a star: the leader has every rank's decoded vector, so averaging happens once, on exact-ish values, and the
     * mean is quantized once on the way out; a ring or tree would re-quantize partial sums at every hop. The price
     * is the leader's link (P - 1 payloads each way), acceptable for the few ranks DME targets.
     *
     * [1] P. Davies, V. Gurunanthan, N. Moshrefi, S. Ashkboos, D. Alistarh, "New Bounds for Distributed Mean
     *     Estimation and Variance Reduction", ICLR 2021.
     */

    /** Largest number of step doublings for one payload before the call fails. */
    public static final int MAX_RETRIES = 64;

    static final byte RETRY = 1;
    static final byte MEAN = 2;
    static final byte ACK = 3;
    static final byte NACK = 4;

    /** What one call did on this rank. */
    public record Outcome(long bytesSent, int retries, double largestStep) {
    }

    private final Communicator comm;
    private final Link link;
    private final GradientCodec codec;
    private final ReferenceCodec reference;
    private final String name;
    private byte[] payload = new byte[0];
    private byte[] firstMean = new byte[0];
    private float[] scratch = new float[0];
    private float[] own = new float[0];

    /**
     * @param comm      the communicator; every rank creates its instance at the same point (creation does not
     *                  communicate)
     * @param codecSpec any codec specification accepted by {@link Codecs#create}, e.g. {@code lattice:bits=4,range=8}
     * @param seed      the seed of the codecs' random streams (each rank derives its own); the same on all ranks
     * @throws IllegalArgumentException if the specification is invalid
     */
    public MeanEstimation(Communicator comm, String codecSpec, long seed) {
        this.comm = Objects.requireNonNull(comm, "comm");
        this.link = new Link(comm);
        this.codec = Codecs.create(Objects.requireNonNull(codecSpec, "codecSpec"),
                SplitMix64.mix(SplitMix64.mix(seed) + comm.rank() + 0x5DEECE66DL));
        this.reference = codec instanceof ReferenceCodec ? (ReferenceCodec) codec : null;
        this.name = "mean estimation (" + codec.spec() + ")";
    }

    /** The codec specification (canonical form). */
    public String codecSpec() {
        return codec.spec();
    }

    /** {@link #estimate(float[], int, int)} of a whole array. */
    public Outcome estimate(float[] data) {
        return estimate(data, 0, data.length);
    }

    /**
     * Replaces {@code data[off, off + len)} (this rank's vector) by the estimate of the mean of all ranks' vectors;
     * see the class contract.
     *
     * @return this rank's bytes sent, payload retries (on the leader: those it asked for and those it served) and
     *         the largest step used (NaN for codecs without a step)
     */
    public Outcome estimate(float[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        final int tag = comm.newTagBlock();
        try {
            return comm.rank() == 0 ? lead(data, off, len, tag) : follow(data, off, len, tag);
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name, e);
        }
    }

    private Outcome lead(float[] data, int off, int len, int tag) {
        final int p = comm.size();
        long sent = 0;
        int retries = 0;
        double largest = reference == null ? Double.NaN : reference.step();
        ensureScratch(len);
        System.arraycopy(data, off, own, 0, len);
        for (int r = 1; r < p; r++) {
            for (int attempt = 0; ; attempt++) {
                byte[] b = link.receiveBlock(r, tag);
                try {
                    if (reference != null) {
                        reference.decode(b, 0, b.length, own, 0, scratch, 0, len);
                    } else {
                        codec.decode(b, 0, b.length, scratch, 0, len);
                    }
                    if (reference != null && attempt > 0) {
                        largest = Math.max(largest, reference.step() * Math.scalb(1.0, attempt));
                    }
                    break;
                } catch (ReferenceMismatchException e) {
                    if (attempt == MAX_RETRIES) {
                        throw new IllegalStateException("rank " + r + "'s vector still fails to decode after "
                                + MAX_RETRIES + " step doublings: " + e.getMessage());
                    }
                    retries++;
                    sent += send(r, tag + 1, new byte[] {RETRY}, 1);
                } catch (CodecFormatException e) {
                    throw Failures.protocol(r, e.getMessage());
                }
            }
            for (int i = 0; i < len; i++) {
                data[off + i] += scratch[i];
            }
        }
        final float inv = 1f / p;
        for (int i = 0; i < len; i++) {
            data[off + i] *= inv;
        }
        // the mean, encoded once for everyone; re-encoded with larger steps for ranks that cannot decode it
        int bytes = encodeMean(data, off, len, reference == null ? Double.NaN : reference.step());
        if (firstMean.length < bytes) {
            firstMean = new byte[bytes];
        }
        System.arraycopy(payload, 0, firstMean, 0, bytes);
        for (int r = 1; r < p; r++) {
            sent += send(r, tag + 1, payload, bytes);
        }
        if (reference != null) {
            for (int r = 1; r < p; r++) {
                double step = reference.step();
                for (int attempt = 0; ; attempt++) {
                    byte[] a = link.receiveBlock(r, tag + 2);
                    if (a.length != 1 || (a[0] != ACK && a[0] != NACK)) {
                        throw Failures.protocol(r, "expected an acknowledgement (1 byte), got " + a.length + " bytes");
                    }
                    if (a[0] == ACK) {
                        break;
                    }
                    if (attempt == MAX_RETRIES) {
                        throw Failures.protocol(r, "still cannot decode the mean after " + MAX_RETRIES
                                + " step doublings");
                    }
                    retries++;
                    step *= 2;
                    largest = Math.max(largest, step);
                    int again = encodeMean(data, off, len, step);
                    sent += send(r, tag + 1, payload, again);
                }
            }
            // own estimate: the first encoding, decoded against the exact mean (within range by construction)
            reference.decode(firstMean, 1, bytes - 1, data, off, data, off, len);
        } else {
            codec.decode(firstMean, 1, bytes - 1, data, off, len);
        }
        return new Outcome(sent, retries, largest);
    }

    private Outcome follow(float[] data, int off, int len, int tag) {
        long sent = 0;
        int retries = 0;
        double step = reference == null ? Double.NaN : reference.step();
        double largest = step;
        ensureScratch(len);
        int bytes = encode(data, off, len, step, 0);
        sent += send(0, tag, payload, bytes);
        byte[] m;
        while (true) {
            m = link.receiveBlock(0, tag + 1);
            if (m.length == 1 && m[0] == RETRY && reference != null) {
                if (++retries > MAX_RETRIES) {
                    throw Failures.protocol(0, "more than " + MAX_RETRIES + " retries asked");
                }
                step *= 2;
                largest = Math.max(largest, step);
                bytes = encode(data, off, len, step, 0);
                sent += send(0, tag, payload, bytes);
                continue;
            }
            if (m.length < 1 || m[0] != MEAN) {
                throw Failures.protocol(0, "expected the encoded mean, got a message of " + m.length + " bytes"
                        + (m.length > 0 ? " of type " + m[0] : ""));
            }
            break;
        }
        if (reference == null) {
            decodePlain(m, data, off, len);
            return new Outcome(sent, retries, largest);
        }
        for (int attempt = 0; ; attempt++) {
            try {
                reference.decode(m, 1, m.length - 1, data, off, scratch, 0, len);
                sent += send(0, tag + 2, new byte[] {ACK}, 1);
                break;
            } catch (ReferenceMismatchException e) {
                if (attempt == MAX_RETRIES) {
                    throw new IllegalStateException("the mean still fails to decode after " + MAX_RETRIES
                            + " step doublings: " + e.getMessage());
                }
                retries++;
                sent += send(0, tag + 2, new byte[] {NACK}, 1);
                m = link.receiveBlock(0, tag + 1);
                if (m.length < 1 || m[0] != MEAN) {
                    throw Failures.protocol(0, "expected a re-encoded mean, got a message of " + m.length + " bytes");
                }
                largest = Math.max(largest, reference.step() * Math.scalb(1.0, attempt + 1));
            } catch (CodecFormatException e) {
                throw Failures.protocol(0, e.getMessage());
            }
        }
        System.arraycopy(scratch, 0, data, off, len);
        return new Outcome(sent, retries, largest);
    }

    private void decodePlain(byte[] m, float[] data, int off, int len) {
        try {
            codec.decode(m, 1, m.length - 1, data, off, len);
        } catch (CodecFormatException e) {
            throw Failures.protocol(0, e.getMessage());
        }
    }

    /** Encodes the mean into {@code payload} after a MEAN type byte; returns the message length. */
    private int encodeMean(float[] data, int off, int len, double step) {
        int bytes = encode(data, off, len, step, 1);
        payload[0] = MEAN;
        return bytes + 1;
    }

    /** Encodes {@code data[off, off + len)} into {@code payload} from {@code at}; returns the payload length. */
    private int encode(float[] data, int off, int len, double step, int at) {
        int max = codec.maxEncodedSize(len) + at;
        if (payload.length < max) {
            payload = new byte[max];
        }
        return reference != null ? reference.encode(data, off, len, payload, at, step)
                : codec.encode(data, off, len, payload, at);
    }

    /** Sends {@code b[0, len)}; evaluate {@code len} (which may grow {@link #payload}) before passing it. */
    private long send(int to, int tag, byte[] b, int len) {
        link.sendBlock(to, tag, b, 0, len);
        return len;
    }

    private void ensureScratch(int len) {
        if (scratch.length < len) {
            scratch = new float[len];
        }
        if (comm.rank() == 0 && own.length < len) {
            own = new float[len];
        }
    }

    @Override
    public String toString() {
        return name + " on rank " + comm.rank() + " of " + comm.size();
    }
}
