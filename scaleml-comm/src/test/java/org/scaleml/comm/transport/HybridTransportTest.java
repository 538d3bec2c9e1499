package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;

import org.junit.jupiter.api.Test;
import org.scaleml.comm.collective.Allreduce;
import org.scaleml.comm.collective.Collectives;

/**
 * Two "processes" of two ranks each in this JVM: ranks {0, 2} share one in-process network and {1, 3} another
 * (interleaved, so both directions and both orders of rank numbers cross TCP); TCP connects only across the groups.
 * Every collective must give what it gives on one network.
 */
class HybridTransportTest {
    @Test
    void collectivesAcrossMemoryAndTcpMatchTheSequentialSums() throws Exception {
        int world = 4;
        int n = 5_003;
        byte[] secret = TcpTestSupport.newSecret();
        InProcessNetwork[] nets = {new InProcessNetwork(world), new InProcessNetwork(world)};
        List<ServerSocketChannel> listeners = new ArrayList<>();
        List<InetSocketAddress> addrs = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            ServerSocketChannel s = ServerSocketChannel.open();
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            listeners.add(s);
            addrs.add((InetSocketAddress) s.getLocalAddress());
        }
        float[] exact = new float[n];
        for (int r = 0; r < world; r++) {
            float[] in = CollectivesOverTcpTest.integers(3, r, n);
            for (int i = 0; i < n; i++) {
                exact[i] += in[i];
            }
        }
        List<CompletableFuture<Void>> fs = new ArrayList<>();
        for (int r = 0; r < world; r++) {
            final int rank = r;
            IntPredicate same = q -> q % 2 == rank % 2;
            fs.add(TcpTestSupport.inThread("rank-" + r, () -> {
                TcpTransport tcp = TcpTransport.connect(rank, addrs, secret, TcpTestSupport.fastConfig().build(),
                        listeners.get(rank), same.negate());
                try (HybridTransport t = new HybridTransport(nets[rank % 2].endpoint(rank), tcp, same);
                     Communicator comm = new Communicator(t)) {
                    int peerInGroup = (rank + 2) % world;
                    assertThatThrownBy(() -> tcp.send(peerInGroup, 1, new byte[1], 0, 1))
                            .as("no TCP connection within a group").isInstanceOf(CommException.class);
                    Collectives coll = new Collectives(comm);
                    for (Allreduce.Algorithm a : Allreduce.Algorithm.values()) {
                        float[] x = CollectivesOverTcpTest.integers(3, rank, n);
                        coll.allreduce(x, a);
                        assertThat(x).as("%s on rank %d", a, rank).containsExactly(exact);
                    }
                    float[][] g = coll.allgather(CollectivesOverTcpTest.integers(5, rank, rank + 1));
                    for (int q = 0; q < world; q++) {
                        assertThat(g[q]).containsExactly(CollectivesOverTcpTest.integers(5, q, q + 1));
                    }
                    coll.barrier();
                }
                return null;
            }));
        }
        for (CompletableFuture<Void> f : fs) {
            TcpTestSupport.join(f, 60);
        }
    }
}
