package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchMapCommandTest {
    @Test
    void printsOneJsonLinePerRunWithTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "map", "--impl", "cist,splay:sample=4,levels=16", "--impl", "skiplist",
                "--dist", "uniform,zipf:0.99", "--mix", "90-5-5", "--keys", "2K", "--threads", "1,2",
                "--seconds", "0.05", "--warmups", "0", "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> seen = new ArrayList<>();
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("impl", "dist", "mix", "keys", "threads", "opsPerSec", "bytesPerKey",
                    "opsPerSecRuns", "seconds", "size");
            assertThat(o.get("keys").getAsLong()).isEqualTo(2048);
            assertThat(o.get("mix").getAsString()).isEqualTo("90-5-5");
            assertThat(o.get("opsPerSec").getAsLong()).isPositive();
            assertThat(o.getAsJsonArray("opsPerSecRuns")).hasSize(2);
            assertThat(o.get("size").getAsLong()).isBetween(1000L, 3000L);
            seen.add(o.get("impl").getAsString() + " " + o.get("dist").getAsString() + " "
                    + o.get("threads").getAsInt());
        }
        assertThat(seen).containsExactly(
                "cist uniform 1", "cist uniform 2", "cist zipf:0.99 1", "cist zipf:0.99 2",
                "splay:sample=4,levels=16 uniform 1", "splay:sample=4,levels=16 uniform 2",
                "splay:sample=4,levels=16 zipf:0.99 1", "splay:sample=4,levels=16 zipf:0.99 2",
                "skiplist uniform 1", "skiplist uniform 2", "skiplist zipf:0.99 1", "skiplist zipf:0.99 2");
    }

    @Test
    void printsATableWithRatiosAgainstTheSkipListAndRunsTheSequentialTreeOnOneThread() {
        Run r = ScaleMlTest.run("bench", "map", "--impl", "skiplist,tree-seq", "--dist", "uniform", "--mix",
                "50-25-25", "--keys", "1000", "--threads", "1,2", "--seconds", "0.05", "--warmups", "0",
                "--repeats", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench map: skiplist, tree-seq", "ops/s", "bytes/key", "vs skiplist", "1.00x");
        assertThat(r.outLines().stream().filter(l -> l.startsWith("tree-seq "))).hasSize(1);
        assertThat(r.outLines().stream().filter(l -> l.startsWith("skiplist "))).hasSize(2);
    }

    @Test
    void badInputGetsOneClearLine() {
        Run impl = ScaleMlTest.run("bench", "map", "--impl", "cist:leaf=1");
        assertThat(impl.exit()).isEqualTo(2);
        assertThat(impl.err()).contains("--impl", "leaf must be an integer from 2 to 256").doesNotContain("Exception");
        Run name = ScaleMlTest.run("bench", "map", "--impl", "btree");
        assertThat(name.exit()).isEqualTo(2);
        assertThat(name.err()).contains("unknown map 'btree'");
        Run dist = ScaleMlTest.run("bench", "map", "--dist", "normal");
        assertThat(dist.exit()).isEqualTo(2);
        assertThat(dist.err()).contains("--dist", "unknown distribution 'normal'");
        Run mix = ScaleMlTest.run("bench", "map", "--mix", "90-5");
        assertThat(mix.exit()).isEqualTo(2);
        assertThat(mix.err()).contains("--mix", "must be G-P-R");
        Run keys = ScaleMlTest.run("bench", "map", "--keys", "lots");
        assertThat(keys.exit()).isEqualTo(2);
        assertThat(keys.err()).contains("--keys");
        Run threads = ScaleMlTest.run("bench", "map", "--threads", "0");
        assertThat(threads.exit()).isEqualTo(2);
        assertThat(threads.err()).contains("--threads");
        Run seconds = ScaleMlTest.run("bench", "map", "--seconds", "0");
        assertThat(seconds.exit()).isEqualTo(2);
        assertThat(seconds.err()).contains("--seconds");
        Run help = ScaleMlTest.run("bench", "map", "--help");
        assertThat(help.out()).contains("opsPerSec", "bytesPerKey", "zipf:0.99", "locked-tree", "cist");
        Run bench = ScaleMlTest.run("bench", "--help");
        assertThat(bench.out()).contains("map");
    }

    @Test
    void splitsSpecificationListsKeepingTheirOptions() {
        assertThat(BenchMapCommand.splitSpecs("cist:leaf=8,rebuild=1,splay,skiplist"))
                .containsExactly("cist:leaf=8,rebuild=1", "splay", "skiplist");
        assertThat(BenchMapCommand.splitSpecs("splay:sample=4")).containsExactly("splay:sample=4");
    }
}
