package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.comm.collective.Allreduce;
import org.scaleml.comm.collective.Chunks;
import org.scaleml.comm.collective.Collectives;
import org.scaleml.comm.collective.CompressedAllreduce;

/**
 * The collectives, written once against the communicator, on real TCP connections (loopback, one thread per
 * rank): world sizes 1 to 8 including non-powers of two, against sequential references. Integer-valued inputs
 * make every sum exact in float, so results are compared exactly.
 */
class CollectivesOverTcpTest {

    static float[] integers(long seed, int rank, int n) {
        Random rnd = new Random(seed * 1_000_003L + rank);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = rnd.nextInt(2001) - 1000;
        }
        return x;
    }

    @ParameterizedTest(name = "world {0}")
    @ValueSource(ints = {1, 2, 3, 5, 8})
    void everyCollectiveMatchesItsSequentialReference(int world) throws Exception {
        final int n = 10_007; // odd, not a multiple of any world size here
        List<TcpTransport> ts = TcpTestSupport.connectAll(world, TcpTestSupport.newSecret(),
                TcpTestSupport.fastConfig().build());
        try {
            float[] exact = new float[n];
            for (int r = 0; r < world; r++) {
                float[] in = integers(7, r, n);
                for (int i = 0; i < n; i++) {
                    exact[i] += in[i];
                }
            }
            List<CompletableFuture<Void>> fs = new ArrayList<>();
            for (TcpTransport t : ts) {
                fs.add(TcpTestSupport.inThread("rank-" + t.rank(), () -> {
                    Communicator comm = new Communicator(t);
                    Collectives coll = new Collectives(comm);
                    int r = comm.rank();
                    for (Allreduce.Algorithm a : Allreduce.Algorithm.values()) {
                        float[] x = integers(7, r, n);
                        coll.allreduce(x, a);
                        assertThat(x).as("%s on rank %d", a, r).containsExactly(exact);
                    }
                    float[] rs = integers(7, r, n);
                    coll.reduceScatter(rs);
                    int from = Chunks.start(n, world, r);
                    for (int i = from; i < from + Chunks.length(n, world, r); i++) {
                        assertThat(rs[i]).as("reduce-scatter element %d on rank %d", i, r).isEqualTo(exact[i]);
                    }
                    float[][] gathered = coll.allgather(integers(9, r, r + 1)); // variable sizes
                    for (int q = 0; q < world; q++) {
                        assertThat(gathered[q]).containsExactly(integers(9, q, q + 1));
                    }
                    float[] b = r == world - 1 ? integers(11, 0, n) : new float[n];
                    coll.broadcast(world - 1, b);
                    assertThat(b).containsExactly(integers(11, 0, n));
                    float[] c = integers(7, r, n);
                    new CompressedAllreduce(comm, "fp32", 1).allreduce(c);
                    assertThat(c).as("compressed fp32 on rank %d", r).containsExactly(exact);
                    coll.barrier();
                    return null;
                }));
            }
            for (CompletableFuture<Void> f : fs) {
                TcpTestSupport.join(f, 60);
            }
        } finally {
            ts.forEach(TcpTransport::close);
        }
    }
}
