package org.scaleml.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.scaleml.comm.transport.CommException;
import org.scaleml.comm.transport.TcpConfig;
import org.scaleml.comm.transport.TcpTransport;

/** The ranks' transport as a barrier task sets it up: listeners bound first, addresses exchanged afterwards. */
class RankTransportTest {
    private static final TcpConfig FAST = TcpConfig.builder().connectTimeout(Duration.ofSeconds(5))
            .timeout(Duration.ofSeconds(5)).build();

    private static ServerSocketChannel bound() throws Exception {
        ServerSocketChannel s = ServerSocketChannel.open();
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        return s;
    }

    private static InetSocketAddress at(ServerSocketChannel s) throws Exception {
        return (InetSocketAddress) s.getLocalAddress();
    }

    @Test
    void ranksConnectThroughPreBoundListeners() throws Exception {
        byte[] secret = new byte[32];
        ServerSocketChannel l0 = bound();
        ServerSocketChannel l1 = bound();
        List<InetSocketAddress> addrs = List.of(at(l0), at(l1));
        CompletableFuture<TcpTransport> r1 = CompletableFuture.supplyAsync(
                () -> TcpTransport.connect(1, addrs, secret, FAST, l1));
        try (TcpTransport t0 = TcpTransport.connect(0, addrs, secret, FAST, l0);
             TcpTransport t1 = r1.get(10, TimeUnit.SECONDS)) {
            t0.send(1, 5, new byte[] {42}, 0, 1);
            assertThat(t1.receive(0, 5, TimeUnit.SECONDS.toNanos(5))).containsExactly(42);
        }
        assertThat(l1.isOpen()).as("the highest rank's listener is closed").isFalse();
    }

    @Test
    void aPeerWithTheWrongSecretIsRefused() throws Exception {
        byte[] secret = new byte[32];
        byte[] wrong = new byte[32];
        wrong[0] = 1;
        ServerSocketChannel l0 = bound();
        ServerSocketChannel l1 = bound();
        List<InetSocketAddress> addrs = List.of(at(l0), at(l1));
        CompletableFuture<TcpTransport> impostor = CompletableFuture.supplyAsync(
                () -> TcpTransport.connect(1, addrs, wrong, FAST, l1));
        assertThatThrownBy(() -> TcpTransport.connect(0, addrs, secret, FAST, l0)).isInstanceOf(CommException.class);
        assertThatThrownBy(() -> impostor.get(10, TimeUnit.SECONDS)).hasCauseInstanceOf(CommException.class);
        assertThat(l0.isOpen()).isFalse();
    }

    @Test
    void taskAddressesParse() {
        assertThat(RankTask.hostOf("10.0.0.5:41234")).isEqualTo("10.0.0.5");
        assertThat(RankTask.hostOf("exec-3.cluster.local")).isEqualTo("exec-3.cluster.local");
        assertThat(RankTask.hostOf("[::1]:7077")).isEqualTo("::1");
    }
}
