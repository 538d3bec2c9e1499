package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;
import org.scaleml.comm.codec.Codecs;

class BenchCodecCommandTest {
    @Test
    void printsOneJsonLinePerCodecWithTheDocumentedKeys() {
        Run r = ScaleMlTest.run("bench", "codec", "--codec", "fp32,fp16", "--size", "64K", "--warmups", "0",
                "--repeats", "2", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> codecs = new ArrayList<>();
        for (String l : r.outLines()) {
            JsonObject o = JsonParser.parseString(l).getAsJsonObject();
            assertThat(o.keySet()).contains("codec", "elements", "bitsPerElement", "encodeGBps", "decodeGBps",
                    "relError", "formulaBitsPerElement", "bytes");
            assertThat(o.get("elements").getAsInt()).isEqualTo(65536);
            assertThat(o.get("encodeGBps").getAsDouble()).isPositive();
            // the test JVM does not ask for the vector kernels (-Dscaleml.simd), so the plain ones run
            assertThat(o.get("kernels").getAsString()).isEqualTo("plain");
            codecs.add(o.get("codec").getAsString());
        }
        assertThat(codecs).containsExactly("fp32", "fp16");
        JsonObject fp32 = JsonParser.parseString(r.outLines().get(0)).getAsJsonObject();
        assertThat(fp32.get("relError").getAsDouble()).isZero();
        assertThat(fp32.get("bytes").getAsInt()).isEqualTo(10 + 4 * 65536);
        assertThat(fp32.get("bitsPerElement").getAsDouble())
                .isEqualTo(fp32.get("formulaBitsPerElement").getAsDouble());
        JsonObject fp16 = JsonParser.parseString(r.outLines().get(1)).getAsJsonObject();
        assertThat(fp16.get("relError").getAsDouble()).isBetween(1e-6, 1e-3);
    }

    @Test
    void allRunsEveryRegisteredCodecAndTheTableShowsRatios() {
        Run r = ScaleMlTest.run("bench", "codec", "--codec", "all", "--size", "8192", "--warmups", "0",
                "--repeats", "1");
        assertThat(r.exit()).as(r.err()).isZero();
        for (String name : Codecs.names()) {
            assertThat(r.out()).contains(name);
        }
        assertThat(r.out()).contains("ratio vs fp32", "1.0x", "2.0x");
    }

    @Test
    void badInputGetsOneClearLine() {
        Run unknown = ScaleMlTest.run("bench", "codec", "--codec", "zip:level=9");
        assertThat(unknown.exit()).isEqualTo(2);
        assertThat(unknown.err()).contains("unknown codec 'zip'").doesNotContain("Exception");
        Run size = ScaleMlTest.run("bench", "codec", "--size", "lots");
        assertThat(size.exit()).isEqualTo(2);
        assertThat(size.err()).contains("--size");
        Run help = ScaleMlTest.run("bench", "codec", "--help");
        assertThat(help.out()).contains("encodeGBps", "fp32", "bf16", "ef:SPEC");
    }
}
