package org.scaleml.comm.collective;

import java.util.Objects;

import org.scaleml.comm.codec.CodecFormatException;
import org.scaleml.comm.codec.Codecs;
import org.scaleml.comm.codec.ErrorFeedbackCodec;
import org.scaleml.comm.codec.GradientCodec;
import org.scaleml.comm.transport.Communicator;
import org.scaleml.common.SplitMix64;

/**
 * Sum-allreduce with compression inside the collective, as in CGX [1]: a reduce-scatter of compressed chunks, in
 * which each chunk's owner decodes and adds the others' payloads to its own exact chunk and re-compresses the sum,
 * then an allgather of the compressed sums, which every rank decodes.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li><b>Result.</b> Every rank passes {@code len} floats; afterwards every rank holds, bitwise identical
 *       everywhere, for each chunk {@code c} ({@link Chunks}) the decoding of the owner's re-compressed sum
 *       {@code C_c(x_c[c] + sum_{r != c} D(C_{r,c}(x_r[c])))}, where {@code C_{r,c}} is rank r's codec stream for
 *       chunk c and {@code D} decodes. With a lossless codec ({@code fp32}) that is the exact float sum, added in the
 *       order {@code x_c, x_{c-1}, x_{c-2}, ...} (mod P). With an unbiased quantizer each chunk carries the error of
 *       {@code P - 1} independent quantizations of the inputs plus one of the sum (so its variance is at most the
 *       sum of the codec's variance bounds for those {@code P} inputs); the owner's own contribution enters
 *       exactly.</li>
 *   <li><b>Codec state.</b> A rank keeps one codec instance per chunk stream, created from the specification with
 *       a seed derived from ({@code seed}, rank, chunk): one for each chunk it sends to another owner, and one for
 *       re-compressing the chunk it owns. Stateful codecs (random streams, adapted levels, error-feedback
 *       residuals) therefore keep their state per chunk across calls, as they need to: with {@code ef:} codecs,
 *       the mass a payload drops stays in that stream's residual and is sent in a later call, so over any number
 *       of calls {@code sum of results + sum over all ranks of their residuals = sum of all inputs} (up to float
 *       rounding; {@link #addResiduals}). One instance serves one tensor: its length is fixed by the first call,
 *       and a call with another length throws {@link IllegalArgumentException}.</li>
 *   <li><b>Calls and failures.</b> As for {@link Collectives}: every rank calls {@link #allreduce} the same number
 *       of times in the same order relative to the other collectives on the communicator; each call takes one tag
 *       block; a communication failure or an invalid payload aborts the transport and propagates naming the
 *       collective. Not thread-safe.</li>
 * </ul>
 *
 * <h2>Costs</h2>
 * With {@code E(m)} the codec's payload size for {@code m} elements: phase 1 sends {@code P - 1} payloads directly
 * to their owners (one step, the messages travel in parallel), phase 2 is a ring allgather ({@code P - 1} steps).
 * Bytes sent per rank: {@code sum_{c != r} E(|chunk c|) + sum_{c != r + 1} E(|chunk c|)}, about
 * {@code 2 (P - 1) / P} of the compressed vector: {@code 8 / B} times fewer than a ring allreduce of fp32 for a
 * {@code B}-bit quantizer. Computation per rank: one encode per other chunk, {@code P - 1} decode-adds and one
 * encode of its chunk, one decode of every chunk. Memory: the codecs' state (for {@code ef:} codecs
 * {@code 8 (n + n / P)} bytes) and one payload buffer.
 */
public final class CompressedAllreduce {
    /*
     * The algorithm [1], on P ranks, rank r owning chunk r:
     *   1. scatter-reduce: for s = 1 .. P-1, encode chunk c = r + s (mod P) with stream C_{r,c} and send it to
     *      rank c; then for s = 1 .. P-1 receive rank (r - s)'s payload of chunk r and decodeAdd it into the
     *      caller's chunk r, which still holds this rank's own exact contribution.
     *   2. encode the reduced chunk r with the owner stream, ring-allgather the P payloads (of any sizes), and
     *      decode every chunk, this rank's included, from the payload bytes: all ranks decode the same bytes with
     *      the same (stateless) decoder, so they end bit for bit equal.
     * The direct sends of phase 1 (instead of a ring) matter: a ring reduce-scatter would have to re-compress the
     * partial sum at every hop, compounding the error P - 1 times; here every value is quantized once on its way
     * in and once on its way out. Empty chunks (len < P) are not encoded and travel as empty blocks.
     *
     * Invariant for error feedback: for a chunk c, result_c = sum_r x_r[c] + sum over c's streams of
     * (residual before - residual after); summing over calls telescopes to the conservation law in the contract.
     *
     * [1] I. Markov, H. Ramezanikebrya, D. Alistarh, "CGX: Adaptive System Support for Communication-Efficient Deep
     *     Learning", Middleware 2022.
     */
    private final Communicator comm;
    private final Link link;
    private final String spec;
    private final String senderSpec;
    private final String ownerSpec;
    private final GradientCodec[] streams;
    private final GradientCodec senderDecoder;
    private final GradientCodec ownerDecoder;
    private final String name;
    private int n = -1;
    private byte[] payload = new byte[0];

    /**
     * @param comm      the communicator; all ranks create their instance at the same point of their sequence of
     *                  collectives (creation does not communicate)
     * @param codecSpec a codec specification accepted by {@link Codecs#create}, e.g. {@code maxmin:bits=4,bucket=512}
     * @param seed      the seed from which every codec stream's seed is derived; use the same on all ranks
     * @throws IllegalArgumentException if the specification is invalid
     */
    public CompressedAllreduce(Communicator comm, String codecSpec, long seed) {
        this(comm, codecSpec, codecSpec, seed);
    }

    /**
     * As {@link #CompressedAllreduce(Communicator, String, long)}, with another codec for the owner's
     * re-compression of the reduced chunk (phase 2): a sum of {@code P} sparse chunks has up to {@code P} times the
     * entries of one, so a sparsifier keeping the same count for the sum drops most of it; the owner codec can keep
     * more (e.g. {@code ef:topk:ratio=0.04} beside {@code ef:topk:ratio=0.01} for 4 ranks).
     *
     * @param ownerSpec the codec of the owner stream, of the same wire format (codec id) as {@code codecSpec}, e.g.
     *                  the same sparsifier with a larger ratio; phase-1 payloads are decoded as {@code codecSpec},
     *                  phase-2 payloads as {@code ownerSpec}
     */
    public CompressedAllreduce(Communicator comm, String codecSpec, String ownerSpec, long seed) {
        this.comm = Objects.requireNonNull(comm, "comm");
        this.link = new Link(comm);
        this.streams = new GradientCodec[comm.size()];
        this.senderSpec = Objects.requireNonNull(codecSpec, "codecSpec");
        this.ownerSpec = Objects.requireNonNull(ownerSpec, "ownerSpec");
        createStreams(seed);
        GradientCodec sender = Codecs.create(codecSpec, 0);
        this.senderDecoder = sender;
        this.ownerDecoder = Codecs.create(ownerSpec, 0);
        if (sender.id() != streams[comm.rank()].id()) {
            throw new IllegalArgumentException("owner codec " + ownerSpec + " has another wire format than "
                    + codecSpec);
        }
        this.spec = sender.spec();
        this.name = "compressed allreduce (" + spec + (ownerSpec.equals(codecSpec) ? "" : ", owner "
                + streams[comm.rank()].spec()) + ")";
    }

    /**
     * Starts every codec stream of this rank afresh from {@code seed} (as a new instance with that seed would),
     * keeping only the error-feedback residuals: random streams and adapted state (levels, thresholds, warm starts)
     * restart, the mass not yet sent is kept. A trainer calls this at the same step on every rank (e.g. at each
     * checkpoint), so that a run resumed from a checkpoint continues with exactly the codec state an uninterrupted
     * run has there. Does not communicate.
     */
    public void restart(long seed) {
        float[][] res = residuals();
        createStreams(seed);
        restoreResiduals(res);
    }

    /** This rank's codec streams from {@code seed}: its owner stream, and one sender stream per other chunk. */
    private void createStreams(long seed) {
        int p = comm.size();
        for (int c = 0; c < p; c++) {
            streams[c] = Codecs.create(c == comm.rank() ? ownerSpec : senderSpec, streamSeed(seed, comm.rank(), c, p));
        }
    }

    /**
     * A copy of the error-feedback residual of each of this rank's codec streams, indexed by chunk (an empty array
     * for a stream without error feedback or before the first call): the state a checkpoint must keep.
     */
    public float[][] residuals() {
        float[][] out = new float[streams.length][];
        for (int c = 0; c < streams.length; c++) {
            out[c] = streams[c] instanceof ErrorFeedbackCodec ? ((ErrorFeedbackCodec) streams[c]).residual()
                    : new float[0];
        }
        return out;
    }

    /**
     * Puts back residuals returned by {@link #residuals()} on the same rank of a job of the same size.
     *
     * @throws IllegalArgumentException if there is not one array per stream, or residuals are given to streams
     *                                  without error feedback
     */
    public void restoreResiduals(float[][] res) {
        if (res.length != streams.length) {
            throw new IllegalArgumentException(name + ": " + res.length + " residual streams for " + streams.length
                    + " codec streams");
        }
        for (int c = 0; c < streams.length; c++) {
            if (streams[c] instanceof ErrorFeedbackCodec) {
                ((ErrorFeedbackCodec) streams[c]).restoreResidual(res[c]);
            } else if (res[c].length != 0) {
                throw new IllegalArgumentException(name + ": a residual for stream " + c
                        + " of a codec without error feedback");
            }
        }
    }

    /** The seed of rank {@code rank}'s stream for chunk {@code c} (stream {@code rank} is its owner stream). */
    static long streamSeed(long seed, int rank, int c, int size) {
        return SplitMix64.mix(SplitMix64.mix(seed) + (long) rank * size + c + 0x632BE59BD9B4E019L);
    }

    /** The codec specification (canonical form). */
    public String codecSpec() {
        return spec;
    }

    /** The vector length fixed by the first call, or -1 before it. */
    public int length() {
        return n;
    }

    /** {@link #allreduce(float[], int, int)} of a whole array. */
    public void allreduce(float[] data) {
        allreduce(data, 0, data.length);
    }

    /** Compressed sum-allreduce of {@code data[off, off + len)}, in place; see the class contract. */
    public void allreduce(float[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        if (n < 0) {
            n = len;
        } else if (len != n) {
            throw new IllegalArgumentException(name + ": this instance reduces vectors of " + n
                    + " elements (one instance per tensor), got " + len);
        }
        final int p = comm.size();
        final int r = comm.rank();
        final int tag = comm.newTagBlock();
        try {
            if (p == 1) {
                roundTrip(data, off, len);
                return;
            }
            // phase 1: compressed chunks straight to their owners, who add them to their exact own chunk
            for (int s = 1; s < p; s++) {
                int c = (r + s) % p;
                int m = Chunks.length(len, p, c);
                int bytes = m == 0 ? 0 : encode(streams[c], data, off + Chunks.start(len, p, c), m);
                link.sendBlock(c, tag, payload, 0, bytes);
            }
            final int mine = Chunks.length(len, p, r);
            final int at = off + Chunks.start(len, p, r);
            for (int s = 1; s < p; s++) {
                int from = (r - s + p) % p;
                byte[] b = link.receiveBlock(from, tag);
                decode(b, from, data, at, mine, true);
            }
            // phase 2: the owner re-compresses its sum; everyone decodes every chunk from the same bytes
            int bytes = mine == 0 ? 0 : encode(streams[r], data, at, mine);
            byte[][] blocks = Ring.allgatherBlocks(link, tag + 1, payload, bytes);
            for (int c = 0; c < p; c++) {
                decode(blocks[c], c, data, off + Chunks.start(len, p, c), Chunks.length(len, p, c), false);
            }
        } catch (RuntimeException e) {
            throw Failures.fail(comm, name, e);
        }
    }

    /** With one rank: the owner stream's encode and decode, so the result is what P ranks would compute. */
    private void roundTrip(float[] data, int off, int len) {
        if (len > 0) {
            int bytes = encode(streams[0], data, off, len);
            decode(payload, bytes, 0, data, off, len, false);
        }
    }

    private int encode(GradientCodec codec, float[] data, int off, int m) {
        int max = codec.maxEncodedSize(m);
        if (payload.length < max) {
            payload = new byte[max];
        }
        return codec.encode(data, off, m, payload, 0);
    }

    private void decode(byte[] b, int from, float[] data, int off, int m, boolean add) {
        decode(b, b.length, from, data, off, m, add);
    }

    /** Decodes (or decode-adds) the payload {@code b[0, srcLen)} that rank {@code from} encoded. */
    private void decode(byte[] b, int srcLen, int from, float[] data, int off, int m, boolean add) {
        if (m == 0) {
            if (srcLen != 0) {
                throw Failures.protocol(from, "payload of " + srcLen + " bytes for an empty chunk");
            }
            return;
        }
        // decoding is stateless: any instance of a specification decodes any stream's payload of it; phase 1
        // (add) carries the senders' codec, phase 2 the owners'
        GradientCodec decoder = add ? senderDecoder : ownerDecoder;
        try {
            if (add) {
                decoder.decodeAdd(b, 0, srcLen, data, off, m);
            } else {
                decoder.decode(b, 0, srcLen, data, off, m);
            }
        } catch (CodecFormatException e) {
            throw Failures.protocol(from, e.getMessage());
        }
    }

    /**
     * Adds this rank's error-feedback residuals, each at its chunk's position, to {@code dst[off, off + n)}: the
     * mass this rank's {@code ef:} streams have dropped so far and will send later (nothing for other codecs,
     * or before the first call).
     */
    public void addResiduals(float[] dst, int off) {
        if (n < 0) {
            return;
        }
        Objects.checkFromIndexSize(off, n, dst.length);
        int p = comm.size();
        for (int c = 0; c < p; c++) {
            if (streams[c] instanceof ErrorFeedbackCodec) {
                float[] res = ((ErrorFeedbackCodec) streams[c]).residual();
                int at = off + Chunks.start(n, p, c);
                for (int i = 0; i < res.length; i++) {
                    dst[at + i] += res[i];
                }
            }
        }
    }

    @Override
    public String toString() {
        return name + " on rank " + comm.rank() + " of " + comm.size();
    }
}
