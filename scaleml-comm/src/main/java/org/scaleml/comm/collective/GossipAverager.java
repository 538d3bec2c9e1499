package org.scaleml.comm.collective;

import java.util.Objects;

import org.scaleml.comm.codec.CodecFormatException;
import org.scaleml.comm.codec.CodecRandom;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;

/**
 * Randomized pairwise averaging (gossip), the communication pattern of SwarmSGD [1]: in each round the ranks are
 * matched in random pairs, and each pair averages its vectors.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Matching.</b> Round {@code t} (the {@code t}-th call on this instance, counted from 0) pairs the ranks
 *       by a random permutation {@code pi} derived from ({@code seed}, {@code t}) alone: {@code pi[0]} with
 *       {@code pi[1]}, {@code pi[2]} with {@code pi[3]}, and so on; with an odd number of ranks, {@code pi[P-1]}
 *       sits the round out (its vector is unchanged and it does not communicate). Every rank derives the same
 *       matching without communication ({@link #matching}); every rank must call {@link #average} once per
 *       round, in the same order relative to other collectives.</li>
 *   <li><b>Exact averaging</b> (no codec, or a lossless one): both partners set their vector to
 *       {@code (x_a + x_b) * 0.5f}, bit for bit equal on both. The pair's sum is preserved up to one rounding of
 *       {@code x_a + x_b}; so is the global sum. Repeated rounds converge to the global mean geometrically (for
 *       random matchings of the complete graph the expected squared distance to the mean shrinks by a constant
 *       factor per round).</li>
 *   <li><b>Compressed averaging</b> (a lossy codec): each partner sends its codec payload {@code Q(x)}, decodes
 *       its own payload as well, and moves half-way along the decoded difference:
 *       {@code x_a += 0.5f * (Q(x_b) - Q(x_a))}. The two changes are exact negatives of each other, so the pair's
 *       sum, and the global mean, are preserved up to float rounding whatever the codec's error; the partners end
 *       {@code (x_a - Q(x_a)) - (x_b - Q(x_b))} apart, so agreement is limited by the codec's error on the
 *       vectors (an unbiased quantizer leaves them apart by noise of its variance). The codec instance is this
 *       rank's own (one stream), seeded from ({@code seed}, rank).</li>
 *   <li><b>Failures and threads.</b> As for {@link Collectives}: a failure aborts the transport and propagates
 *       naming the collective; each round takes one tag block; not thread-safe.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * One step per round: a matched rank sends and receives one vector ({@code 4n} bytes, or one payload); a rank
 * sitting out sends nothing. Compressed rounds cost one encode and two decodes, and {@code 8n} bytes of scratch.
 */
public final class GossipAverager {
    /*
     * The pattern of SwarmSGD [1] (there, between local SGD steps, and non-blocking; here as a blocking call that
     * the caller interleaves with its local work), on the complete graph with a uniformly random perfect matching
     * per round, a standard model of randomized gossip [2]. The permutation is a Fisher-Yates shuffle driven by
     * the xoroshiro128+ stream of CodecRandom seeded with mix(seed) ^ mix(round): a fixed algorithm, so ranks in
     * different JVMs agree.
     *
     * Compressed exchange: with x' = x + (Q_b - Q_a) / 2 on rank a and y' = y + (Q_a - Q_b) / 2 on rank b, the
     * floats fl(Q_b - Q_a) and fl(Q_a - Q_b) are exact negatives and halving is exact, so only the final
     * additions round. The exchange of quantized models relative to a shared reference (as SwarmSGD's lattice
     * quantization does) would let agreement improve below the codec's error; that needs codecs with a
     * reference point, which GradientCodec does not have.
     *
     * [1] G. Nadiradze, A. Sabour, P. Davies, S. Li, D. Alistarh, "Asynchronous Decentralized SGD with Quantized
     *     and Local Updates", NeurIPS 2021 (arXiv 1910.12308).
     * [2] S. Boyd, A. Ghosh, B. Prabhakar, D. Shah, "Randomized gossip algorithms", IEEE Trans. Inf. Theory 52(6),
     *     2006.
     */
    private final Communicator comm;
    private final Link link;
    private final long seed;
    private final GradientCodec codec;
    private final String name;
    private long round;
    private byte[] payload = new byte[0];
    private float[] mine = new float[0];
    private float[] theirs = new float[0];

    /** Exact averaging. */
    public GossipAverager(Communicator comm, long seed) {
        this(comm, seed, null);
    }

    /**
     * @param comm      the communicator
     * @param seed      the seed of the matchings (and of the codec); the same on every rank
     * @param codecSpec a codec specification for compressed averaging, or {@code null} for exact averaging
     * @throws IllegalArgumentException if the specification is invalid
     */
    public GossipAverager(Communicator comm, long seed, String codecSpec) {
        this.comm = Objects.requireNonNull(comm, "comm");
        this.link = new Link(comm);
        this.seed = seed;
        this.codec = codecSpec == null ? null
                : Codecs.create(codecSpec, SplitMix64.mix(seed ^ 0x5851F42D4C957F2DL) + comm.rank());
        this.name = "gossip averaging" + (codec == null ? "" : " (" + codec.spec() + ")");
    }

    /** The number of rounds run so far (the index of the next round). */
    public long rounds() {
        return round;
    }

    /**
     * The matching of round {@code round} on {@code size} ranks: entry {@code r} is rank r's partner, or -1 if r
     * sits the round out (only with an odd size).
     */
    public static int[] matching(long seed, long round, int size) {
        int[] perm = new int[size];
        for (int i = 0; i < size; i++) {
            perm[i] = i;
        }
        CodecRandom rnd = new CodecRandom(SplitMix64.mix(seed) ^ SplitMix64.mix(round + SplitMix64.GOLDEN_GAMMA));
        for (int i = size - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        int[] partner = new int[size];
        for (int k = 0; k + 1 < size; k += 2) {
            partner[perm[k]] = perm[k + 1];
            partner[perm[k + 1]] = perm[k];
        }
        if ((size & 1) == 1) {
            partner[perm[size - 1]] = -1;
        }
        return partner;
    }

    /** {@link #average(float[], int, int)} of a whole array. */
    public int average(float[] x) {
        return average(x, 0, x.length);
    }

    /**
     * Runs one round on {@code x[off, off + len)} (the same {@code len} on every rank): averages with this round's
     * partner, in place.
     *
     * @return the partner, or -1 if this rank sat the round out
     */
    public int average(float[] x, int off, int len) {
        Objects.checkFromIndexSize(off, len, x.length);
        long t = round++;
        int tag = comm.newTagBlock();
        int partner = matching(seed, t, comm.size())[comm.rank()];
        if (partner < 0) {
            return -1;
        }
        try {
            if (codec == null) {
                link.sendFloats(partner, tag, x, off, len);
                link.receiveFloats(partner, tag, x, off, len, true);
                for (int i = off; i < off + len; i++) {
                    x[i] *= 0.5f;
                }
            } else {
                compressed(partner, tag, x, off, len);
            }
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name + ", round " + t + " with rank " + partner, e);
        }
        return partner;
    }

    private void compressed(int partner, int tag, float[] x, int off, int len) {
        int bytes = 0;
        if (len > 0) {
            int max = codec.maxEncodedSize(len);
            if (payload.length < max) {
                payload = new byte[max];
            }
            bytes = codec.encode(x, off, len, payload, 0);
        }
        link.sendBlock(partner, tag, payload, 0, bytes);
        byte[] msg = link.receiveBlock(partner, tag);
        if (len == 0) {
            if (msg.length != 0) {
                throw Failures.protocol(partner, "payload of " + msg.length + " bytes for an empty vector");
            }
            return;
        }
        if (mine.length < len) {
            mine = new float[len];
            theirs = new float[len];
        }
        try {
            codec.decode(msg, 0, msg.length, theirs, 0, len);
        } catch (CodecFormatException e) {
            throw Failures.protocol(partner, e.getMessage());
        }
        codec.decode(payload, 0, bytes, mine, 0, len);
        if (codec.isLossless()) {
            for (int i = 0; i < len; i++) {
                x[off + i] = (mine[i] + theirs[i]) * 0.5f;
            }
        } else {
            for (int i = 0; i < len; i++) {
                x[off + i] += 0.5f * (theirs[i] - mine[i]);
            }
        }
    }

    @Override
    public String toString() {
        return name + " on rank " + comm.rank() + " of " + comm.size() + ", " + round + " rounds";
    }
}
