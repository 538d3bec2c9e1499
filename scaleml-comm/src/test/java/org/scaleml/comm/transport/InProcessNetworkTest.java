package org.scaleml.comm.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class InProcessNetworkTest {
    @Test
    void framesArriveInOrderPerSenderAndTag() {
        InProcessNetwork net = new InProcessNetwork(3);
        Transport a = net.endpoint(0);
        Transport b = net.endpoint(1);
        for (int i = 0; i < 5; i++) {
            a.send(1, 7, new byte[] {(byte) i});
            a.send(1, 8, new byte[] {(byte) (10 + i)});
        }
        byte[] buf = {42, 43, 44};
        a.send(1, 9, buf, 1, 2);
        buf[1] = 0; // the frame was copied
        assertThat(b.receive(0, 9)).containsExactly(43, 44);
        for (int i = 0; i < 5; i++) {
            assertThat(b.receive(0, 8)).containsExactly(10 + i);
        }
        for (int i = 0; i < 5; i++) {
            assertThat(b.receive(0, 7)).containsExactly(i);
        }
        net.endpoint(2).send(2, 1, new byte[] {5}); // to itself
        assertThat(net.endpoint(2).receive(2, 1)).containsExactly(5);
    }

    @Test
    void receiveTimesOutWithAClearMessage() {
        InProcessNetwork net = new InProcessNetwork(2);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> net.endpoint(0).receive(1, 3, TimeUnit.MILLISECONDS.toNanos(50)))
                .isInstanceOf(CommTimeoutException.class).hasMessageContaining("rank 0").hasMessageContaining("rank 1")
                .hasMessageContaining("50 ms");
        assertThat(System.nanoTime() - t0).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(50));
    }

    @Test
    void aKilledOrAbortingPeerFailsWaitersAtOnce() throws Exception {
        InProcessNetwork net = new InProcessNetwork(3);
        Thread killer = new Thread(() -> {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                return;
            }
            net.kill(2);
        });
        killer.start();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> net.endpoint(0).receive(2, 1)).isInstanceOf(PeerFailedException.class)
                .hasMessageContaining("peer 2 failed: killed");
        assertThat(System.nanoTime() - t0).isLessThan(TimeUnit.SECONDS.toNanos(5));
        killer.join(); // kill() marks the ranks one after another: wait until it has reached rank 1 too
        assertThatThrownBy(() -> net.endpoint(1).send(2, 1, new byte[1])).isInstanceOf(PeerFailedException.class);
        net.endpoint(1).abort("test");
        assertThatThrownBy(() -> net.endpoint(0).receive(1, 1)).isInstanceOf(PeerFailedException.class)
                .hasMessageContaining("aborted: test");
    }

    @Test
    void frameLimitAndRanksAreChecked() {
        InProcessNetwork net = new InProcessNetwork(2, 0, 0, InProcessNetwork.DEFAULT_TIMEOUT_NANOS, 16);
        assertThatThrownBy(() -> net.endpoint(0).send(1, 0, new byte[17])).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit of 16");
        assertThatThrownBy(() -> net.endpoint(0).send(2, 0, new byte[1])).isInstanceOf(IllegalArgumentException.class);
        net.endpoint(1).close();
        assertThatThrownBy(() -> net.endpoint(1).receive(0, 0)).isInstanceOf(CommException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void simulatedBandwidthDelaysDelivery() {
        // 1 MB/s: a 20 kB frame takes 20 ms to leave, plus 5 ms latency
        InProcessNetwork net = new InProcessNetwork(2, 1e6, TimeUnit.MILLISECONDS.toNanos(5),
                InProcessNetwork.DEFAULT_TIMEOUT_NANOS, 1 << 20);
        long t0 = System.nanoTime();
        net.endpoint(0).send(1, 0, new byte[20_000]);
        net.endpoint(0).send(1, 0, new byte[20_000]); // queued behind the first on the same link
        net.endpoint(1).receive(0, 0);
        long first = System.nanoTime() - t0;
        net.endpoint(1).receive(0, 0);
        long second = System.nanoTime() - t0;
        assertThat(first).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(25));
        assertThat(second).isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(45));
    }

    @Test
    void communicatorHandsOutDisjointTagBlocksAndCountsBytes() {
        InProcessNetwork net = new InProcessNetwork(2);
        Communicator c0 = new Communicator(net.endpoint(0));
        Communicator c1 = new Communicator(net.endpoint(1));
        int b0 = c0.newTagBlock();
        int b1 = c0.newTagBlock();
        assertThat(b1 - b0).isEqualTo(Communicator.TAGS_PER_BLOCK);
        c0.send(1, b0, new byte[100]);
        assertThat(c1.receive(0, b0)).hasSize(100);
        assertThat(c0.bytesSent()).isEqualTo(100);
        assertThat(c1.bytesReceived()).isEqualTo(100);
    }
}
