package org.scaleml.bp.ldpc;

/**
 * Monte-Carlo bit and frame error rates of {@link LdpcDecoder} on BPSK over AWGN ({@link AwgnChannel}).
 *
 * <h2>Method</h2>
 * Every frame sends the all-zero codeword. For a linear code, a channel symmetric in the sent symbol (BPSK-AWGN is)
 * and a decoder that is symmetric under flipping a codeword's bits (sum-product is), the error probability does not
 * depend on the codeword sent [1, Lemma 4.90], so this needs no encoder. A frame is in error if any decoded bit is
 * 1; it is a <em>detected</em> failure if the decoder's syndrome check fails, an <em>undetected</em> error if it
 * converged to another codeword. The noise level follows {@code Eb/N0} with the code's design rate.
 *
 * <p>Deterministic for a given seed. Not thread-safe (one instance per thread).
 *
 * <p>[1] T. Richardson, R. Urbanke, Modern Coding Theory, CUP, 2008.
 */
public final class LdpcSimulation {
    /**
     * The figures of one run.
     *
     * @param ebN0Db          Eb/N0 in dB
     * @param frames          frames sent
     * @param bitErrors       decoded bits in error (over all frames)
     * @param frameErrors     frames with at least one bit error
     * @param detectedFailures frames the decoder reported as failed (syndrome not zero)
     * @param meanIterations  mean decoder iterations per frame
     * @param bits            bits sent ({@code frames * N})
     */
    public record Result(double ebN0Db, int frames, long bitErrors, int frameErrors, int detectedFailures,
                         double meanIterations, long bits) {
        /** Bit error rate. */
        public double ber() {
            return (double) bitErrors / bits;
        }

        /** Frame error rate. */
        public double fer() {
            return (double) frameErrors / frames;
        }

        @Override
        public String toString() {
            return String.format("Eb/N0 %.2f dB: %d frames, BER %.3e (%d bit errors), FER %.3e (%d frames, %d detected),"
                    + " mean iterations %.2f", ebN0Db, frames, ber(), bitErrors, fer(), frameErrors, detectedFailures,
                    meanIterations);
        }
    }

    private final ParityCheckCode code;
    private final LdpcDecoder decoder;

    /** A simulation of {@code code} decoded with at most {@code maxIterations} iterations. */
    public LdpcSimulation(ParityCheckCode code, int maxIterations) {
        this.code = code;
        this.decoder = new LdpcDecoder(code, maxIterations);
    }

    /** Sends {@code frames} all-zero frames at {@code ebN0Db} with noise seeded by {@code seed}. */
    public Result run(double ebN0Db, int frames, long seed) {
        if (frames < 1) {
            throw new IllegalArgumentException("frames must be at least 1, got " + frames);
        }
        AwgnChannel ch = AwgnChannel.ofEbN0Db(ebN0Db, code.designRate(), seed);
        int n = code.n();
        int[] zero = new int[n];
        double[] y = new double[n];
        long bitErrors = 0;
        int frameErrors = 0;
        int detected = 0;
        long iterations = 0;
        for (int f = 0; f < frames; f++) {
            ch.llr(ch.transmit(zero, y), y);
            LdpcDecoder.Result r = decoder.decode(y);
            iterations += r.iterations();
            int errs = 0;
            for (int b : r.bits()) {
                errs += b;
            }
            bitErrors += errs;
            if (errs > 0) {
                frameErrors++;
            }
            if (!r.syndromeOk()) {
                detected++;
            }
        }
        return new Result(ebN0Db, frames, bitErrors, frameErrors, detected, (double) iterations / frames,
                (long) frames * n);
    }
}
