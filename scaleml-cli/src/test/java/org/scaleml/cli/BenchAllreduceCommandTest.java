package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchAllreduceCommandTest {
    @Test
    void inProcessPlainAllreduceIsExactToRoundingAndReportsTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "allreduce", "--world", "3", "--size", "10000", "--transport", "inproc",
                "--algorithm", "ring", "--warmups", "0", "--repeats", "2", "--p2p", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonObject o = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(o.keySet()).contains("world", "elements", "codec", "algorithm", "millis", "bytesSentPerRank",
                "busGBps", "relError", "p2pGBps");
        assertThat(o.get("world").getAsInt()).isEqualTo(3);
        assertThat(o.get("algorithm").getAsString()).isEqualTo("ring");
        assertThat(o.get("relError").getAsDouble()).isLessThan(1e-6);
        // ring: each rank sends 2 (N-1)/N of the vector, within a chunk of rounding
        assertThat(o.get("bytesSentPerRank").getAsLong()).isBetween(2L * 2 * 10000 * 4 / 3 - 16,
                2L * 2 * 10000 * 4 / 3 + 16);
        assertThat(o.get("p2pGBps").getAsDouble()).isPositive();
    }

    @Test
    void compressedAllreduceSendsFewerBytes() {
        Run plain = ScaleMlTest.run("bench", "allreduce", "--world", "4", "--size", "64K", "--warmups", "0",
                "--repeats", "1", "--json");
        Run comp = ScaleMlTest.run("bench", "allreduce", "--world", "4", "--size", "64K", "--codec",
                "maxmin:bits=4", "--warmups", "0", "--repeats", "1", "--json");
        assertThat(comp.exit()).as(comp.err()).isZero();
        long a = JsonParser.parseString(plain.outLines().get(0)).getAsJsonObject().get("bytesSentPerRank").getAsLong();
        JsonObject c = JsonParser.parseString(comp.outLines().get(0)).getAsJsonObject();
        assertThat(c.get("bytesSentPerRank").getAsLong()).isLessThan(a / 6);
        assertThat(c.get("relError").getAsDouble()).isLessThan(0.5);
        assertThat(c.get("codec").getAsString()).startsWith("maxmin");
    }

    @Test
    void badOptionsAreRefused() {
        assertThat(ScaleMlTest.run("bench", "allreduce", "--transport", "udp").err()).contains("inproc or tcp");
        assertThat(ScaleMlTest.run("bench", "allreduce", "--codec", "zip").exit()).isEqualTo(2);
        assertThat(ScaleMlTest.run("bench", "allreduce", "--algorithm", "tree").err()).contains("ring, rd or auto");
        assertThat(ScaleMlTest.run("bench", "allreduce", "--transport", "tcp", "--link-gbps", "1").exit())
                .isEqualTo(2);
        assertThat(ScaleMlTest.run("bench", "allreduce", "--integrity", "crc32c").err())
                .contains("--integrity applies to --transport tcp only");
        assertThat(ScaleMlTest.run("bench", "allreduce", "--transport", "tcp", "--integrity", "sha1").err())
                .contains("--integrity must be mac, crc32c or none, got 'sha1'");
        assertThat(ScaleMlTest.run("bench", "allreduce", "--transport", "tcp", "--liveness-timeout", "0").err())
                .contains("--liveness-timeout must be between 0.1 and 86400 seconds");
    }
}
