package org.scaleml.cli.bench;

import java.util.Arrays;

import org.scaleml.comm.collective.Allreduce;
import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.collective.CompressedAllreduce;
import org.scaleml.comm.transport.Communicator;

/**
 * One rank's part of {@code scaleml bench allreduce}: every rank runs {@link #run} with its own communicator, on
 * any transport; rank 0 returns the result.
 *
 * <h2>Method</h2>
 * Rank r's input is {@code elements} standard Gaussian floats from seed {@code seed + r}. Each round copies the
 * input into a work buffer, passes a barrier, and times one allreduce (plain: {@link Collectives#allreduce} with
 * the chosen algorithm; with a codec: {@link CompressedAllreduce}, whose codec state lives across rounds as in
 * training). A round's time is the slowest rank's; {@code warmups} untimed rounds come first, the median of
 * {@code repeats} timed rounds is reported. Bytes sent per rank are the communicator's payload count of the last
 * round, averaged over ranks. Bus bandwidth follows the usual allreduce convention:
 * {@code 2 (N - 1) / N * 4 * elements} bytes over the median time, i.e. what each rank's link must carry for an
 * uncompressed ring allreduce, so it compares directly with the link's point-to-point bandwidth. Rank 0 also
 * checks the result against the exact sum of all inputs (recomputed from the seeds) and reports the relative
 * error; with {@code p2p}, ranks 0 and 1 first measure the transport's one-way point-to-point bandwidth.
 */
public final class AllreduceBench {
    private AllreduceBench() {
    }

    /** What to run. */
    public record Settings(int elements, String codec, Allreduce.Algorithm algorithm, int warmups, int repeats,
                           long seed, boolean p2p, String transport) {
        /** The codec spelled "none" or null means plain float32 allreduce. */
        public boolean compressed() {
            return codec != null && !codec.equalsIgnoreCase("none");
        }
    }

    /**
     * The figures of one run (rank 0).
     *
     * @param algorithm        what ran: ring, recursive-doubling, or compressed(codec) with the codec's spec
     * @param millis           median round time, slowest rank
     * @param runsMillis       every timed round
     * @param bytesSentPerRank mean payload bytes one rank sent in one round
     * @param busGBps          {@code 2 (N-1)/N * 4n} bytes per median time, GB/s
     * @param relError         ||result - exact sum|| / ||exact sum||
     * @param p2pGBps          one-way point-to-point bandwidth between ranks 0 and 1, or NaN
     */
    public record Result(int world, int elements, String codec, String algorithm, String transport, double millis,
                         double[] runsMillis, long bytesSentPerRank, double busGBps, double relError,
                         double p2pGBps) {
    }

    /** Runs rank {@code comm.rank()}'s part; returns the result on rank 0, null on the others. */
    public static Result run(Communicator comm, Settings s) {
        final int n = s.elements();
        final int world = comm.size();
        final int rank = comm.rank();
        Collectives coll = new Collectives(comm);
        double p2p = s.p2p() && world >= 2 ? pointToPoint(comm, coll) : Double.NaN;
        float[] input = CodecBench.input(n, s.seed() + rank);
        float[] work = new float[n];
        CompressedAllreduce ca = s.compressed() ? new CompressedAllreduce(comm, s.codec(), s.seed()) : null;
        Allreduce.Algorithm algo = s.algorithm() == Allreduce.Algorithm.AUTO ? Allreduce.choose(n, world)
                : s.algorithm();
        float[] times = new float[s.repeats()];
        long bytes = 0;
        for (int r = -s.warmups(); r < s.repeats(); r++) {
            System.arraycopy(input, 0, work, 0, n);
            coll.barrier();
            long before = comm.bytesSent();
            long t0 = System.nanoTime();
            if (ca != null) {
                ca.allreduce(work);
            } else {
                coll.allreduce(work, algo);
            }
            long t1 = System.nanoTime();
            if (r >= 0) {
                times[r] = (float) ((t1 - t0) / 1e6);
                bytes = comm.bytesSent() - before;
            }
        }
        // Everyone's times and byte counts to everyone (small): the slowest rank sets a round's time.
        float[] mine = Arrays.copyOf(times, s.repeats() + 1);
        mine[s.repeats()] = (float) bytes;
        float[][] all = coll.allgather(mine);
        if (rank != 0) {
            return null;
        }
        double[] rounds = new double[s.repeats()];
        double bytesSum = 0;
        for (float[] a : all) {
            for (int r = 0; r < s.repeats(); r++) {
                rounds[r] = Math.max(rounds[r], a[r]);
            }
            bytesSum += a[s.repeats()];
        }
        double median = PqBench.median(rounds);
        double bus = 2.0 * (world - 1) / world * 4.0 * n / (median / 1e3) / 1e9;
        String what = ca != null ? "compressed(" + ca.codecSpec() + ")" : algo.name().toLowerCase().replace('_', '-');
        return new Result(world, n, ca != null ? ca.codecSpec() : "none", what, s.transport(), median, rounds,
                Math.round(bytesSum / world), bus, relError(work, n, world, s.seed()), p2p);
    }

    /** ||result - exact|| / ||exact||, the exact sum recomputed from every rank's seed in double. */
    static double relError(float[] result, int n, int world, long seed) {
        double[] exact = new double[n];
        for (int r = 0; r < world; r++) {
            float[] in = CodecBench.input(n, seed + r);
            for (int i = 0; i < n; i++) {
                exact[i] += in[i];
            }
        }
        double err = 0;
        double norm = 0;
        for (int i = 0; i < n; i++) {
            double d = result[i] - exact[i];
            err += d * d;
            norm += exact[i] * exact[i];
        }
        return norm == 0 ? Math.sqrt(err) : Math.sqrt(err / norm);
    }

    /**
     * One-way bandwidth from rank 0 to rank 1: 64 MiB in 4 MiB frames, acknowledged by one small frame; the best
     * of three (the others only pass the barriers). Returns GB/s on rank 0, NaN elsewhere.
     */
    static double pointToPoint(Communicator comm, Collectives coll) {
        final int frame = 4 << 20;
        final int frames = 16;
        byte[] buf = new byte[frame];
        double best = 0;
        for (int round = 0; round < 3; round++) {
            coll.barrier();
            int tag = comm.newTagBlock();
            if (comm.rank() == 0) {
                long t0 = System.nanoTime();
                for (int i = 0; i < frames; i++) {
                    comm.send(1, tag, buf);
                }
                comm.receive(1, tag + 1);
                long t1 = System.nanoTime();
                best = Math.max(best, (double) frame * frames / (t1 - t0));
            } else if (comm.rank() == 1) {
                for (int i = 0; i < frames; i++) {
                    comm.receive(0, tag);
                }
                comm.send(0, tag + 1, new byte[1]);
            }
        }
        return comm.rank() == 0 ? best : Double.NaN;
    }
}
