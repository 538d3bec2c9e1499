package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;
import org.scaleml.cli.ScaleMlTest.Run;

class BenchDmeCommandTest {
    @Test
    void jsonReportsTheDocumentedKeysAndTheLatticeBeatsQsgdWithALargeOffset() {
        Run r = ScaleMlTest.run("bench", "dme", "--world", "3", "--size", "20000", "--offset", "100", "--spread",
                "1", "--codec", "lattice:bits=4,range=8", "--codec", "qsgd:bits=4", "--repeats", "1", "--json");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.outLines();
        assertThat(lines).hasSize(2);
        JsonObject lattice = JsonParser.parseString(lines.get(0)).getAsJsonObject();
        JsonObject qsgd = JsonParser.parseString(lines.get(1)).getAsJsonObject();
        for (JsonObject o : List.of(lattice, qsgd)) {
            assertThat(o.keySet()).contains("codec", "world", "elements", "offset", "spread", "bitsPerElement",
                    "meanError", "bytesSent", "retries", "millis");
            assertThat(o.get("world").getAsInt()).isEqualTo(3);
            assertThat(o.get("elements").getAsInt()).isEqualTo(20000);
            assertThat(o.get("offset").getAsDouble()).isEqualTo(100.0);
            assertThat(o.get("spread").getAsDouble()).isEqualTo(1.0);
        }
        assertThat(lattice.get("codec").getAsString()).isEqualTo("lattice:bits=4,range=8,basis=cubic");
        assertThat(qsgd.get("codec").getAsString()).isEqualTo("qsgd:bits=4,bucket=512,norm=l2");
        // 4 bits per color; 34 header bytes and a 1-byte type or acknowledgement per vector
        assertThat(lattice.get("bitsPerElement").getAsDouble()).isBetween(4.0, 4.03);
        assertThat(lattice.get("retries").getAsLong()).isZero();
        assertThat(qsgd.get("meanError").getAsDouble()).isGreaterThan(10 * lattice.get("meanError").getAsDouble());
    }

    @Test
    void tableShowsTheRatioAgainstQsgd() {
        Run r = ScaleMlTest.run("bench", "dme", "--world", "2", "--size", "4096", "--offset", "0", "--repeats", "1",
                "--codec", "qsgd:bits=4", "--codec", "lattice:bits=4,range=8,basis=hadamard", "--noise", "uniform");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("bench dme: 2 ranks", "qsgd error / this", "1.0x", "basis=hadamard");
    }

    @Test
    void badFlagsGetOneClearLine() {
        Run codec = ScaleMlTest.run("bench", "dme", "--codec", "lattice:bits=1");
        assertThat(codec.exit()).isEqualTo(2);
        assertThat(codec.err()).contains("--codec", "bits must be in [2, 16]").doesNotContain("Exception");
        Run world = ScaleMlTest.run("bench", "dme", "--world", "1");
        assertThat(world.exit()).isEqualTo(2);
        assertThat(world.err()).contains("--world must be between 2 and 64");
        assertThat(ScaleMlTest.run("bench", "dme", "--size", "lots").err()).contains("--size: not a count");
        assertThat(ScaleMlTest.run("bench", "dme", "--spread", "0").err()).contains("--spread must be a number");
        assertThat(ScaleMlTest.run("bench", "dme", "--noise", "pink").err())
                .contains("--noise must be gaussian, uniform or spiky, got 'pink'");
        assertThat(ScaleMlTest.run("bench", "dme", "--repeats", "0").exit()).isEqualTo(2);
    }

    @Test
    void helpDocumentsEveryJsonKey() {
        Run r = ScaleMlTest.run("bench", "dme", "--help");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("--world", "--size", "--offset", "--spread", "--codec", "--repeats", "--seed",
                "--json", "codec", "bitsPerElement", "meanError", "bytesSent", "retries");
    }
}
