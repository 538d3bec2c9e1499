package org.scaleml.concurrent.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.concurrent.TestThreads;

/**
 * The {@link VersionClock} contract for every clock: the TL2 invariant (a write version exceeds every read version
 * taken before it was requested), catching up, monotone read versions; and the specification syntax.
 */
class VersionClocksTest {
    @ParameterizedTest
    @ValueSource(strings = {"gv1", "gv4", "mc", "mc:m=1", "mc:m=64"})
    void writeVersionsExceedEveryEarlierReadVersionUnderConcurrency(String spec) throws Exception {
        VersionClock clock = VersionClocks.create(spec, 4);
        int threads = 4;
        long[] violations = new long[threads];
        TestThreads.run(threads, id -> {
            long lastRead = -1;
            for (int i = 0; i < 200_000; i++) {
                long rv = clock.readVersion();
                if (rv < lastRead) {
                    violations[id]++; // read versions must not go back
                }
                lastRead = rv;
                if ((i & 3) == 0) {
                    long wv = clock.writeVersion(rv);
                    if (wv <= rv) {
                        violations[id]++;
                    }
                    if ((i & 7) == 0 && clock.catchUp(wv) < wv) {
                        violations[id]++;
                    }
                }
            }
        });
        assertThat(violations).containsOnly(0L);
    }

    @Test
    void gv1HandsOutUniqueConsecutiveVersionsAndGv4MayShare() {
        VersionClock gv1 = VersionClocks.create("gv1", 1);
        assertThat(gv1.uniqueWriteVersions()).isTrue();
        assertThat(gv1.writeVersion(0)).isEqualTo(1);
        assertThat(gv1.writeVersion(0)).isEqualTo(2);
        assertThat(gv1.readVersion()).isEqualTo(2);
        assertThat(gv1.catchUp(2)).isEqualTo(2);
        VersionClock gv4 = VersionClocks.create("gv4", 1);
        assertThat(gv4.uniqueWriteVersions()).isFalse();
        assertThat(gv4.writeVersion(0)).isEqualTo(1);
        assertThat(gv4.readVersion()).isEqualTo(1);
    }

    @Test
    void theRelaxedClockMovesItsFloorAboutOncePerMCommitsAndCatchesUpOnDemand() {
        MultiCounterClock mc = (MultiCounterClock) VersionClocks.create("mc:m=8", 1);
        assertThat(mc.uniqueWriteVersions()).isFalse();
        long moves = 0;
        long last = mc.readVersion();
        for (int i = 0; i < 8000; i++) {
            long rv = mc.readVersion();
            assertThat(mc.writeVersion(rv)).isGreaterThan(rv);
            if (mc.readVersion() != last) {
                moves++;
                last = mc.readVersion();
            }
        }
        // two-choice keeps the 8 counters level: the floor follows the highest, about one move per 8 commits
        assertThat(moves).isBetween(8000L / 8 - 50, 8000L / 8 + 50);
        long floor = mc.readVersion();
        assertThat(mc.catchUp(floor + 100)).isEqualTo(floor + 100);
        assertThat(mc.readVersion()).isEqualTo(floor + 100);
        assertThat(mc.writeVersion(floor + 100)).isEqualTo(floor + 101);
        assertThat(mc.catchUp(5)).isEqualTo(floor + 100);
        assertThat(mc.counters()).isEqualTo(8);
        assertThat(mc.toString()).startsWith("mc:m=8(floor ");
    }

    @Test
    void parsesSpecificationsAndDefaults() {
        assertThat(VersionClocks.create("gv1", 2).spec()).isEqualTo("gv1");
        assertThat(VersionClocks.create(" GV4 ", 2).spec()).isEqualTo("gv4");
        assertThat(VersionClocks.create("mc", 2).spec()).isEqualTo("mc:m=8");
        assertThat(VersionClocks.create("mc:m=3", 2).spec()).isEqualTo("mc:m=3");
        assertThat(VersionClocks.names()).containsExactly("gv1", "gv4", "mc");
        for (String name : VersionClocks.names()) {
            VersionClock c = VersionClocks.create(name, 3);
            assertThat(VersionClocks.create(c.spec(), 1).spec()).isEqualTo(c.spec());
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "''         | empty clock specification; known: gv1, gv4, mc",
            "gv2        | unknown clock 'gv2' in 'gv2'; known: gv1, gv4, mc",
            "mc:m=0     | m must be an integer from 1 to 65536, got '0'",
            "gv1:m=2    | unknown option(s) [m] for 'gv1'",
            "mc:slack=1 | unknown option(s) [slack] for 'mc'",
    })
    void badSpecificationsSayWhatIsWrong(String spec, String message) {
        assertThatThrownBy(() -> VersionClocks.create(spec, 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
        assertThatThrownBy(() -> VersionClocks.create("gv1", 0)).hasMessageContaining("threads");
    }
}
