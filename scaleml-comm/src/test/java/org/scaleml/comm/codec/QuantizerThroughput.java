package org.scaleml.comm.codec;

import java.util.Arrays;
import java.util.Locale;

/**
 * A quick single-thread throughput harness for the quantizers (not a unit test, not JMH): encodes, decodes and
 * decode-adds {@code n} Gaussian floats repeatedly (after 10 untimed warm-up rounds) and prints the median and best
 * rate in GB/s of fp32 input (4 bytes per element).
 *
 * <p>Run after {@code ./mvnw -q -o test -pl scaleml-comm} (which compiles it):
 * <pre>
 * java -cp scaleml-comm/target/classes:scaleml-comm/target/test-classes \
 *     org.scaleml.comm.codec.QuantizerThroughput [n] [reps] [spec ...]
 * </pre>
 * Defaults: n = 16M, reps = 15, the default specification of every quantizer.
 */
final class QuantizerThroughput {
    private QuantizerThroughput() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? (int) CodecSpec.parseCount(args[0]) : 16 << 20;
        int reps = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        String[] specs = args.length > 2 ? Arrays.copyOfRange(args, 2, args.length)
                : new String[] {"qsgd", "qsgd:bits=8", "qsgd:norm=max", "nuqsgd", "alq", "amq", "maxmin",
                        "qsgd-elias"};
        float[] v = CodecContract.gaussian(n, 42);
        float[] out = new float[n];
        System.out.printf(Locale.ROOT, "n = %d floats (%.1f MB), %d reps, median of the timed reps, java %s%n", n,
                n * 4e-6, reps, System.getProperty("java.version"));
        for (String spec : specs) {
            GradientCodec c = Codecs.create(spec, 1);
            byte[] buf = new byte[c.maxEncodedSize(n)];
            int len = 0;
            long[] enc = new long[reps];
            long[] dec = new long[reps];
            long[] add = new long[reps];
            for (int warm = 0; warm < 10; warm++) {
                len = c.encode(v, 0, n, buf, 0);
                c.decode(buf, 0, len, out, 0, n);
                c.decodeAdd(buf, 0, len, out, 0, n);
            }
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
            System.out.printf(Locale.ROOT,
                    "%-34s encode %5.2f GB/s (best %5.2f)  decode %5.2f GB/s (best %5.2f)  decodeAdd %5.2f GB/s  "
                            + "(best %5.2f)  %.3f bits/element%n",
                    c.spec(), gbps(n, enc), best(n, enc), gbps(n, dec), best(n, dec), gbps(n, add), best(n, add),
                    8.0 * len / n);
        }
    }

    private static long median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double gbps(int n, long[] t) {
        return 4.0 * n / median(t);
    }

    private static double best(int n, long[] t) {
        return 4.0 * n / Arrays.stream(t).min().orElseThrow();
    }
}
