package org.scaleml.comm.codec;

import java.util.Arrays;
import java.util.Locale;

/**
 * A quick single-threaded throughput harness for the sparse and low-rank codecs (not a unit test, not JMH): encodes,
 * decodes and decode-adds a Gaussian vector several times per codec and prints the median GB/s of fp32 input
 * ({@code 4 n / time}) and the payload size.
 *
 * <pre>
 * ./mvnw -q -o test -pl scaleml-comm
 * java -Xmx4g -cp scaleml-comm/target/classes:scaleml-comm/target/test-classes \
 *     org.scaleml.comm.codec.SparseCodecThroughput [n] [reps] [spec ...]
 * </pre>
 */
public final class SparseCodecThroughput {
    private SparseCodecThroughput() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? (int) CodecSpec.parseCount(args[0]) : 16 << 20;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 9;
        String[] specs = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length) : new String[] {
            "fp32", "topk:ratio=0.01,select=sampled", "topk:ratio=0.01,select=exact", "topk:ratio=0.001",
            "randomk:ratio=0.01", "threshold:tau=adaptive,density=0.001", "sign:bucket=512",
            "terngrad:bucket=512", "powersgd:rank=4,rows=4096", "powersgd:rank=1,rows=4096"};
        float[] v = CodecContract.gaussian(n, 42);
        float[] out = new float[n];
        System.out.printf(Locale.ROOT, "n = %d floats (%.1f MB), %d timed repetitions after warm-up, median%n", n,
                4.0 * n / 1e6, reps);
        System.out.printf(Locale.ROOT, "%-40s %10s %10s %10s %12s %10s%n", "codec", "enc GB/s", "dec GB/s",
                "add GB/s", "bytes", "bits/elem");
        for (String spec : specs) {
            GradientCodec c = Codecs.create(spec, 1);
            byte[] buf = new byte[c.maxEncodedSize(n)];
            int len = 0;
            for (int w = 0; w < 3; w++) { // warm-up
                len = c.encode(v, 0, n, buf, 0);
                c.decode(buf, 0, len, out, 0, n);
                c.decodeAdd(buf, 0, len, out, 0, n);
            }
            long[] enc = new long[reps];
            long[] dec = new long[reps];
            long[] add = new long[reps];
            for (int r = 0; r < reps; r++) {
                long t0 = System.nanoTime();
                len = c.encode(v, 0, n, buf, 0);
                long t1 = System.nanoTime();
                c.decode(buf, 0, len, out, 0, n);
                long t2 = System.nanoTime();
                c.decodeAdd(buf, 0, len, out, 0, n);
                long t3 = System.nanoTime();
                enc[r] = t1 - t0;
                dec[r] = t2 - t1;
                add[r] = t3 - t2;
            }
            System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %10.2f %12d %10.4f%n", c.spec(), gbps(n, enc),
                    gbps(n, dec), gbps(n, add), len, 8.0 * len / n);
        }
    }

    private static double gbps(int n, long[] nanos) {
        long[] s = nanos.clone();
        Arrays.sort(s);
        return 4.0 * n / s[s.length / 2];
    }
}
