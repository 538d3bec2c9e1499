package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

/**
 * Connections that never complete a handshake (idle sockets, garbage) must not keep the real peers out: the
 * listener serves handshakes concurrently.
 */
class ConcurrentHandshakeTest {
    @Test
    void idleAndGarbageConnectionsDoNotDelayTheJob() throws Exception {
        byte[] secret = TcpTestSupport.newSecret();
        // a long handshake limit: served one at a time, 8 idle sockets would hold rank 1 out for 8 x 20 s
        TcpConfig cfg = TcpTestSupport.fastConfig().handshakeTimeout(Duration.ofSeconds(20))
                .connectTimeout(Duration.ofSeconds(30)).build();
        ServerSocketChannel l0 = ServerSocketChannel.open();
        l0.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        InetSocketAddress a0 = (InetSocketAddress) l0.getLocalAddress();
        List<InetSocketAddress> addrs = List.of(a0, new InetSocketAddress(InetAddress.getLoopbackAddress(), 1));
        List<SocketChannel> intruders = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) { // idle: connect and send nothing
                intruders.add(SocketChannel.open(a0));
            }
            Random rnd = new Random(1);
            for (int i = 0; i < 4; i++) { // garbage that is not a handshake
                SocketChannel g = SocketChannel.open(a0);
                byte[] junk = new byte[64];
                rnd.nextBytes(junk);
                g.write(ByteBuffer.wrap(junk));
                intruders.add(g);
            }
            long start = System.nanoTime();
            CompletableFuture<TcpTransport> r0 = TcpTestSupport.inThread("rank-0",
                    () -> TcpTransport.connect(0, addrs, secret, cfg, l0));
            try (TcpTransport t1 = TcpTransport.connect(1, addrs, secret, cfg);
                 TcpTransport t0 = TcpTestSupport.join(r0, 30)) {
                double seconds = (System.nanoTime() - start) / 1e9;
                assertThat(seconds).as("seconds to start despite 12 intruders").isLessThan(5);
                t1.send(0, 3, new byte[] {7}, 0, 1);
                assertThat(t0.receive(1, 3, 5_000_000_000L)).containsExactly(7);
            }
        } finally {
            for (SocketChannel c : intruders) {
                c.close();
            }
        }
    }
}
