package org.scaleml.spark;

import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import org.scaleml.comm.transport.InProcessNetwork;
import org.scaleml.comm.transport.Transport;

/**
 * In-process networks for the ranks of one stage attempt that run in this JVM ({@code local[N]}, or a multi-core
 * executor holding several tasks): they exchange frames through shared memory instead of TCP on loopback, which
 * costs a kernel copy each way of every byte on the cores that also compute (measured: 1.7x the epoch time of an
 * in-process job for an MLP on 2 cores). When some ranks run elsewhere, each rank combines its JVM's network with
 * TCP to the others ({@link org.scaleml.comm.transport.HybridTransport}).
 *
 * <p>The ranks find out that they share a JVM from the rendezvous: each sends {@link #JVM} (random per JVM and class
 * loader) with its address, and the ranks that sent this JVM's token join the network registered under the run id,
 * the fit, the stage attempt and the token. Nothing crosses a process boundary, so there is nothing to authenticate. A network is
 * dropped from the registry when its last rank leaves.
 */
final class SharedNetworks {
    /** This JVM's (and class loader's) token. */
    static final String JVM = UUID.randomUUID().toString();

    private static final ConcurrentHashMap<String, Entry> NETWORKS = new ConcurrentHashMap<>();

    private SharedNetworks() {
    }

    private static final class Entry {
        final InProcessNetwork net;
        int members;

        Entry(InProcessNetwork net) {
            this.net = net;
        }
    }

    /** A rank's membership: its transport, and leaving. */
    static final class Member implements AutoCloseable {
        private final String key;
        private final Entry entry;
        private final int rank;
        private boolean left;

        Member(String key, Entry entry, int rank) {
            this.key = key;
            this.entry = entry;
            this.rank = rank;
        }

        Transport transport() {
            return entry.net.endpoint(rank);
        }

        /** The rank failed: every other rank's calls to it fail at once (as a closed TCP connection would). */
        void fail() {
            entry.net.kill(rank);
        }

        @Override
        public void close() {
            synchronized (entry) {
                if (left) {
                    return;
                }
                left = true;
                if (--entry.members == 0) {
                    NETWORKS.remove(key, entry);
                }
            }
        }
    }

    /** Joins the network of {@code key} (run id and stage attempt) as {@code rank} of {@code world}. */
    static Member join(String key, int rank, int world, long timeoutMillis) {
        Entry e = NETWORKS.computeIfAbsent(key, k -> new Entry(new InProcessNetwork(world, 0, 0,
                TimeUnit.MILLISECONDS.toNanos(timeoutMillis), InProcessNetwork.DEFAULT_MAX_FRAME)));
        synchronized (e) {
            e.members++;
        }
        return new Member(key, e, rank);
    }
}
