package org.scaleml.concurrent.stm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.scaleml.concurrent.TestThreads;

/** The transactional sorted set against {@link TreeSet}, sequentially and under concurrent updates. */
class StmSortedSetTest {
    @Test
    void behavesLikeATreeSet() {
        Stm stm = Stm.create((int) StmSortedSet.cellsNeeded(100) + 3, VersionClocks.create("gv1", 1));
        StmSortedSet set = new StmSortedSet(stm, 3, 100);
        TreeSet<Long> model = new TreeSet<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 5000; i++) {
            long key = random.nextInt(100);
            switch (random.nextInt(3)) {
                case 0 -> assertThat(set.add(key)).isEqualTo(model.add(key));
                case 1 -> assertThat(set.remove(key)).isEqualTo(model.remove(key));
                default -> assertThat(set.contains(key)).isEqualTo(model.contains(key));
            }
        }
        assertThat(set.size()).isEqualTo(model.size());
        assertThat(stm.get(0)).as("cells before the set are untouched").isZero();
        assertThat(set.universe()).isEqualTo(100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gv1", "gv4", "mc"})
    void concurrentUpdatesKeepASortedListWithExactlyTheKeysEachThreadLeft(String clock) throws Exception {
        int threads = 4;
        int universe = 128;
        Stm stm = Stm.create((int) StmSortedSet.cellsNeeded(universe), VersionClocks.create(clock, threads));
        StmSortedSet set = new StmSortedSet(stm, 0, universe);
        List<TreeSet<Long>> models = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            models.add(new TreeSet<>());
        }
        TestThreads.run(threads, id -> {
            TreeSet<Long> mine = models.get(id);
            SplittableRandom random = new SplittableRandom(id);
            for (int i = 0; i < 5000; i++) {
                long key = (long) random.nextInt(universe / threads) * threads + id; // keys of this thread
                int op = random.nextInt(4);
                if (op == 0) {
                    assertThat(set.add(key)).isEqualTo(mine.add(key));
                } else if (op == 1) {
                    assertThat(set.remove(key)).isEqualTo(mine.remove(key));
                } else {
                    assertThat(set.contains(key)).isEqualTo(mine.contains(key));
                    set.contains(random.nextInt(universe)); // and traversals over everyone's keys
                }
            }
        });
        TreeSet<Long> expected = new TreeSet<>();
        models.forEach(expected::addAll);
        List<Long> listed = new ArrayList<>();
        for (long next = stm.get(0); next != 0; next = stm.get((int) next)) {
            listed.add(next - 1);
        }
        assertThat(listed).containsExactlyElementsOf(expected);
    }

    @Test
    void rejectsKeysOutsideTheUniverseAndLayoutsThatDoNotFit() {
        Stm stm = Stm.create(11, VersionClocks.create("gv1", 1));
        StmSortedSet set = new StmSortedSet(stm, 0, 10);
        assertThatThrownBy(() -> set.add(10)).hasMessageContaining("outside the set's universe 0..9");
        assertThatThrownBy(() -> set.contains(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StmSortedSet(stm, 1, 10)).hasMessageContaining("the STM has 11");
    }
}
