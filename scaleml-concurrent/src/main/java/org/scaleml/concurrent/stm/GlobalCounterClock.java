package org.scaleml.concurrent.stm;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * TL2's global version clock on one padded counter, in two commit rules: {@code gv1}, increment-and-get on every
 * commit, and {@code gv4}, one compare-and-set whose failure borrows the value that won. Read versions are volatile
 * reads of the counter. Thread-safe and lock-free ({@code gv1} is wait-free with a hardware fetch-and-add).
 */
final class GlobalCounterClock implements VersionClock {
    /*
     * [1] D. Dice, O. Shalev, N. Shavit, "Transactional Locking II", DISC 2006; GV4 from the TL2 release notes
     * (Dice and Shavit, Sun Labs, 2006-2007).
     *
     * gv1: wv = ++clock. A transaction that read rv before the committer's lock acquisition completed sees a
     * clock of at most the value the committer's increment started from, so wv > rv (the VersionClock invariant),
     * and wv is unique: wv == rv + 1 means no commit happened in between, so the committer may skip validation.
     *
     * gv4 ("pass on failure"): read c after locking, CAS c -> c + 1 once; on failure take the value w that the
     * winner installed instead of retrying. Both c + 1 and w exceed every rv read before our locks were complete
     * (such an rv is <= c, because c was read after them, and w > c), so the invariant holds, but two committers
     * may share one wv. That is safe because both held their write locks when they got it, so their write sets are
     * disjoint, and a read-write overlap fails the other's validation (the lock is held or the version is new);
     * it is why gv4 must always validate. It removes the CAS retry loop of a contended increment.
     *
     * Catching up: versions on cells never exceed the counter (wv <= counter once returned, and max(wv, old+1) ==
     * wv because the old version came from an earlier, smaller wv), so a fresh read of the counter is >= any
     * version a reader can meet.
     *
     * The counter sits in the middle of a padded long[] (128 bytes either side) against false sharing.
     */
    private static final VarHandle CLOCK = MethodHandles.arrayElementVarHandle(long[].class);
    private static final int AT = 16;

    private final long[] clock = new long[2 * AT + 1];
    private final boolean passOnFailure;

    GlobalCounterClock(boolean passOnFailure) {
        this.passOnFailure = passOnFailure;
    }

    @Override
    public long readVersion() {
        return (long) CLOCK.getVolatile(clock, AT);
    }

    @Override
    public long writeVersion(long readVersion) {
        if (!passOnFailure) {
            return (long) CLOCK.getAndAdd(clock, AT, 1L) + 1;
        }
        long c = (long) CLOCK.getVolatile(clock, AT);
        long witness = (long) CLOCK.compareAndExchange(clock, AT, c, c + 1);
        return witness == c ? c + 1 : witness;
    }

    @Override
    public long catchUp(long version) {
        return readVersion();
    }

    @Override
    public boolean uniqueWriteVersions() {
        return !passOnFailure;
    }

    @Override
    public String spec() {
        return passOnFailure ? "gv4" : "gv1";
    }

    @Override
    public String toString() {
        return spec() + "(" + readVersion() + ")";
    }
}
