package org.scaleml.comm.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class RandomKCodecTest {

    @Nested
    class Unbiased extends CodecContract {
        @Override
        String spec() {
            return "randomk:ratio=0.1,unbiased=true";
        }

        @Override
        double maxRelativeError() {
            // E||decode - v||^2 = (n/k - 1) ||v||^2: relative error sqrt(9) = 3 for 10%; the kept share of the
            // energy of 1000 Gaussians varies by about +-14% (k = 100), which moves the error by about +-0.2;
            // measured worst 3.33 over 20 seeds and n in {1000, 4096, 10000, 100000}
            return 3.6;
        }
    }

    @Nested
    class Raw extends CodecContract {
        @Override
        String spec() {
            return "randomk:ratio=0.1,unbiased=false";
        }

        @Override
        double maxRelativeError() {
            return 0.975; // sqrt(1 - k/n) = 0.949 in expectation; measured worst 0.963 (as above)
        }
    }

    @Test
    void wireSizeIsExactAndTheSeedRegeneratesTheIndices() {
        for (int n : new int[] {0, 1, 99, 1000, 12345}) {
            GradientCodec c = Codecs.create("randomk:ratio=0.05,unbiased=false", 3);
            float[] v = CodecContract.gaussian(n, n);
            byte[] p = CodecContract.encode(c, v);
            int k = TopKCodec.kFor(0.05, n);
            assertThat(p.length).isEqualTo(10 + 8 + 4 * k);
            if (n > 0) {
                assertThat(c.bitsPerElement(n)).isEqualTo(8.0 * (18 + 4 * k) / n);
            }
            // a decoder with another seed (decoding is stateless) finds k distinct indices holding the raw values
            GradientCodec d = Codecs.create("randomk:ratio=0.05,unbiased=false", 777);
            float[] out = new float[n];
            d.decode(p, 0, p.length, out, 0, n);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                if (out[i] != 0) {
                    assertThat(out[i]).isEqualTo(v[i]);
                    kept++;
                }
            }
            assertThat(kept).isEqualTo(k);
        }
    }

    @Test
    void unbiasedEstimatorAveragesToTheInput() {
        // n = 40, k = 4: each element is kept with probability 1/10 and then sent as 10 v_i; over T draws the mean
        // has standard deviation |v_i| sqrt((n/k - 1) / T)
        int n = 40;
        int trials = 40_000;
        float[] v = CodecContract.gaussian(n, 5);
        GradientCodec c = Codecs.create("randomk:ratio=0.1", 21);
        double[] sum = new double[n];
        long[] hits = new long[n];
        float[] out = new float[n];
        byte[] buf = new byte[c.maxEncodedSize(n)];
        for (int t = 0; t < trials; t++) {
            int len = c.encode(v, 0, n, buf, 0);
            c.decode(buf, 0, len, out, 0, n);
            for (int i = 0; i < n; i++) {
                sum[i] += out[i];
                if (out[i] != 0) {
                    hits[i]++;
                }
            }
        }
        double z2 = 0;
        for (int i = 0; i < n; i++) {
            double sd = Math.abs(v[i]) * Math.sqrt((n / 4.0 - 1) / trials);
            double z = (sum[i] / trials - v[i]) / sd;
            assertThat(Math.abs(z)).as("element %d: mean %f, value %f", i, sum[i] / trials, v[i]).isLessThan(5);
            z2 += z * z;
            // every index is chosen with probability k/n = 0.1: binomial standard deviation sqrt(T 0.1 0.9) = 60
            assertThat((double) hits[i]).isCloseTo(trials * 0.1, org.assertj.core.data.Offset.offset(300.0));
        }
        assertThat(z2 / n).as("mean squared z-score").isBetween(0.5, 1.6); // chi-square(40)/40: 0.6 .. 1.5 at 99%
    }

    @Test
    void theSubsetIsUniform() {
        // all C(6, 2) = 15 pairs of a 2-subset of 6 come out equally often (Floyd's algorithm is exact)
        RandomSubset s = new RandomSubset();
        int[] out = new int[2];
        int[] count = new int[36];
        int trials = 150_000;
        for (int t = 0; t < trials; t++) {
            s.draw(t * 0x9E3779B97F4A7C15L, 6, 2, out);
            assertThat(out[0]).isLessThan(out[1]);
            count[out[0] * 6 + out[1]]++;
        }
        for (int a = 0; a < 6; a++) {
            for (int b = a + 1; b < 6; b++) {
                // expected 10000, binomial standard deviation 97
                assertThat((double) count[a * 6 + b]).isCloseTo(10_000, org.assertj.core.data.Offset.offset(500.0));
            }
        }
    }

    @Test
    void specificationIsCanonicalAndValidated() {
        assertThat(Codecs.create("randomk", 1).spec()).isEqualTo("randomk:ratio=0.01,unbiased=true");
        assertThat(Codecs.create("randomk:unbiased=FALSE,ratio=0.5", 1).spec())
                .isEqualTo("randomk:ratio=0.5,unbiased=false");
        assertThatThrownBy(() -> Codecs.create("randomk:ratio=2", 1)).hasMessageContaining("ratio");
        assertThatThrownBy(() -> Codecs.create("randomk:unbiased=maybe", 1)).hasMessageContaining("true, false");
        Codecs.Entry e = Codecs.entries().stream().filter(x -> x.name().equals("randomk")).findFirst()
                .orElseThrow();
        assertThat(e.help()).contains("ratio", "0.01", "unbiased", "true");
        assertThat(Codecs.create(e.example(), 1).spec()).isEqualTo(e.example());
    }

    @Test
    void payloadsDependOnlyOnTheSeed() {
        float[] v = CodecContract.gaussian(5000, 1);
        byte[] a = CodecContract.encode(Codecs.create("randomk:ratio=0.01", 8), v);
        byte[] b = CodecContract.encode(Codecs.create("randomk:ratio=0.01", 8), v);
        byte[] c = CodecContract.encode(Codecs.create("randomk:ratio=0.01", 9), v);
        assertThat(a).isEqualTo(b);
        assertThat(Arrays.equals(a, c)).isFalse();
    }
}
