package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchUfCommandTest {
    @Test
    void printsOneJsonLinePerVariantWithTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "uf", "--impl", "uf-seq", "--impl", "uf:link=rank", "--impl", "uf-lock",
                "--workload", "random:20000", "--threads", "2", "--warmups", "1", "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> impls = new ArrayList<>();
        long merges = -1;
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("impl", "workload", "threads", "opsPerSec", "opsPerSecRuns", "elements",
                    "edges", "merges");
            assertThat(o.get("workload").getAsString()).isEqualTo("random:20000");
            assertThat(o.get("edges").getAsInt()).isEqualTo(20000);
            assertThat(o.get("opsPerSec").getAsLong()).isPositive();
            assertThat(o.getAsJsonArray("opsPerSecRuns")).hasSize(2);
            long m = o.get("merges").getAsLong();
            if (merges >= 0) {
                assertThat(m).as("every variant merges the same number of sets").isEqualTo(merges);
            }
            merges = m;
            impls.add(o.get("impl").getAsString());
            assertThat(o.get("threads").getAsInt()).isEqualTo(o.get("impl").getAsString().equals("uf-seq") ? 1 : 2);
        }
        assertThat(impls).containsExactly("uf-seq", "uf:link=rank", "uf-lock");
    }

    @Test
    void measuresTheEdgesOfAGraphFileAndPrintsATable(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("triangle-and-edge.txt");
        Files.writeString(file, "# from to\n0 1\n1 2\n2 0\n3 4\n");
        Run r = ScaleMlTest.run("bench", "uf", "--impl", "uf-seq", "--impl", "uf", "--workload", "graph:" + file,
                "--threads", "1", "--warmups", "0", "--repeats", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench uf: graph:" + file, "unions/s", "vs uf-seq", "1.00x");
        assertThat(r.outLines()).anyMatch(l -> l.startsWith("uf "));
    }

    @Test
    void badInputGetsOneClearLine() {
        Run impl = ScaleMlTest.run("bench", "uf", "--impl", "uf:link=size");
        assertThat(impl.exit()).isEqualTo(2);
        assertThat(impl.err()).contains("--impl", "link must be one of index, rank").doesNotContain("Exception");
        Run workload = ScaleMlTest.run("bench", "uf", "--workload", "grid:10");
        assertThat(workload.exit()).isEqualTo(2);
        assertThat(workload.err()).contains("--workload must be random:N or graph:FILE");
        Run missing = ScaleMlTest.run("bench", "uf", "--workload", "graph:/no/such/file.gr");
        assertThat(missing.exit()).isEqualTo(2);
        assertThat(missing.err()).contains("no such graph file");
        Run n = ScaleMlTest.run("bench", "uf", "--workload", "random:0");
        assertThat(n.exit()).isEqualTo(2);
        assertThat(n.err()).contains("random:N");
        Run warmups = ScaleMlTest.run("bench", "uf", "--warmups", "-1");
        assertThat(warmups.exit()).isEqualTo(2);
        assertThat(warmups.err()).contains("--warmups");
        Run help = ScaleMlTest.run("bench", "uf", "--help");
        assertThat(help.out()).contains("opsPerSec", "workload", "uf-lock", "compact=none|splitting");
        Run bench = ScaleMlTest.run("bench", "--help");
        assertThat(bench.out()).contains("uf");
    }
}
