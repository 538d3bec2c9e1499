package org.scaleml.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.scaleml.graph.TestFiles.Kind;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

class GraphReaderTest {
    @TempDir
    Path dir;

    static final String DIMACS = "c tiny road graph\n"
            + "c\n"
            + "p sp 4 5\n"
            + "c arcs\n"
            + "a 1 2 10\n"
            + "a 2 1 10\n"
            + "\n"
            + "a 2 3 4\r\n"
            + "a\t3 4  1\n"
            + "a 1 2 7";   // parallel arc, no final newline

    static final String DIMACS_CO = "c coordinates\np aux sp co 4\nv 2 -73 41\nv 1 -74 40\nv 4 0 0\nv 3 5 -6\n";

    static final String PACE = "c pace\np tw 5 4\n1 2\n2 3\nc mid comment\n3 4\n4 5\n";

    static final String SNAP = "# Directed graph\n# FromNodeId\tToNodeId\n30\t1412\n30\t7\n7\t30\n1412 99999999999\n";

    static final String MTX_INT = "%%MatrixMarket matrix coordinate integer general\n% comment\n%\n3 3 4\n1 2 5\n2 3 6\n3 1 7\n1 1 2\n";

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsDimacsPlainGzipAndXz(Kind kind) throws IOException {
        Path f = TestFiles.write(dir, "tiny.gr" + suffix(kind), DIMACS, kind);
        CsrGraph g = GraphReader.read(f);
        assertThat(g.nodes()).isEqualTo(4);
        assertThat(g.arcs()).isEqualTo(5);
        assertThat(g.isDirected()).isTrue();
        assertThat(GraphBuilderTest.arcsOf(g, 0)).containsExactly("1:10", "1:7");
        assertThat(GraphBuilderTest.arcsOf(g, 1)).containsExactly("0:10", "2:4");
        assertThat(GraphBuilderTest.arcsOf(g, 2)).containsExactly("3:1");
        assertThat(g.fileId(0)).isEqualTo(1);
        assertThat(g.nodeOf(4)).isEqualTo(3);
    }

    @Test
    void compressionIsDetectedByMagicBytesNotName() throws IOException {
        Path f = TestFiles.write(dir, "misnamed.gr", DIMACS, Kind.GZIP);
        assertThat(GraphReader.read(f).arcs()).isEqualTo(5);
        Path x = TestFiles.write(dir, "misnamed2.txt.gz", DIMACS, Kind.XZ);
        assertThat(GraphReader.read(x, GraphFormat.DIMACS).arcs()).isEqualTo(5);
    }

    @Test
    void dimacsOptions() throws IOException {
        Path f = TestFiles.write(dir, "tiny.gr", DIMACS, Kind.PLAIN);
        CsrGraph dedup = GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults().withDeduplicate(true));
        assertThat(GraphBuilderTest.arcsOf(dedup, 0)).containsExactly("1:7");
        assertThat(dedup.arcs()).isEqualTo(4);
        CsrGraph sym = GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults().withSymmetrize(true));
        assertThat(sym.isDirected()).isFalse();
        assertThat(sym.edges()).isEqualTo(3);
        assertThat(GraphBuilderTest.arcsOf(sym, 0)).containsExactly("1:7");
        assertThat(GraphBuilderTest.arcsOf(sym, 3)).containsExactly("2:1");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsDimacsCoordinates(Kind kind) throws IOException {
        Path co = TestFiles.write(dir, "tiny.co" + suffix(kind), DIMACS_CO, kind);
        Coordinates c = GraphReader.readDimacsCoordinates(co);
        assertThat(c.x()).containsExactly(-74, -73, 5, 0);
        assertThat(c.y()).containsExactly(40, 41, -6, 0);
        Path gr = TestFiles.write(dir, "tiny.gr", DIMACS, Kind.PLAIN);
        CsrGraph g = GraphReader.readDimacs(gr, co, ReadOptions.defaults());
        assertThat(g.hasCoordinates()).isTrue();
        assertThat(g.xs()[1]).isEqualTo(-73);
    }

    static Stream<Arguments> malformedDimacs() {
        return Stream.of(
                Arguments.of("c only comments\n", 1, "missing problem line 'p sp N M'"),
                Arguments.of("", 0, "missing problem line"),
                Arguments.of("c x\na 1 2 3\n", 2, "arc before the problem line"),
                Arguments.of("p sp 2 1\np sp 2 1\na 1 2 3\n", 2, "duplicate problem line (the first is line 1)"),
                Arguments.of("p sp 2 2\na 1 2 3\n", 2, "found 1 arcs, fewer than the 2 declared on line 1"),
                Arguments.of("p sp 2 1\na 1 2 3\na 2 1 3\n", 3, "more arcs than the 1 declared on line 1"),
                Arguments.of("p sp 2 1\na 1 x 3\n", 2, "non-numeric arc head 'x'"),
                Arguments.of("p sp 2 1\na 1 2 3.5\n", 2, "non-numeric arc weight '3.5'"),
                Arguments.of("p sp 2 1\na 1 2\n", 2, "missing arc weight"),
                Arguments.of("c\nc\np sp 2 1\na 1 3 3\n", 4, "arc head 3 outside 1..2"),
                Arguments.of("p sp 2 1\na 0 1 3\n", 2, "arc tail 0 outside 1..2"),
                Arguments.of("p sp 2 1\na 1 2 -5\n", 2, "negative arc weight -5"),
                Arguments.of("p sp 2 1\na 1 2 3000000000\n", 2, "does not fit in an int"),
                Arguments.of("p sp 2 1\na 1 2 99999999999999999999\n", 2, "too large"),
                Arguments.of("p sp 2 1\na 1 2 3 4\n", 2, "unexpected extra token '4'"),
                Arguments.of("p sp 2 1\nx 1 2\n", 2, "unexpected line starting with 'x'"),
                Arguments.of("p sp 2 1\nabc 1 2\n", 2, "unexpected line starting with 'abc'"),
                Arguments.of("p tw 2 1\n", 1, "problem type 'tw', expected 'p sp N M'"),
                Arguments.of("p sp -2 1\n", 1, "node count -2 outside"),
                Arguments.of("p sp 2\n", 1, "missing arc count"));
    }

    @ParameterizedTest
    @MethodSource("malformedDimacs")
    void malformedDimacsNamesFileAndLine(String content, int line, String what) throws IOException {
        for (Kind kind : Kind.values()) {
            Path f = TestFiles.write(dir, "bad.gr" + suffix(kind), content, kind);
            assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults()))
                    .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                        assertThat(e.line()).isEqualTo(line);
                        assertThat(e.file()).isEqualTo(f);
                        assertThat(e.getMessage()).startsWith(f.getFileName() + (line > 0 ? ":" + line + ": " : ": "));
                        assertThat(e.getMessage()).contains(what);
                    });
        }
    }

    @Test
    void messageLooksLikeTheSpec() throws IOException {
        StringBuilder sb = new StringBuilder("p sp 264346 20\n");
        for (int i = 2; i <= 16; i++) {
            sb.append("a 1 2 3\n");
        }
        sb.append("a 1 300000 5\n");
        Path f = TestFiles.write(dir, "USA-road-d.NY.gr.gz", sb.toString(), Kind.GZIP);
        assertThatThrownBy(() -> GraphReader.read(f))
                .hasMessage("USA-road-d.NY.gr.gz:17: arc head 300000 outside 1..264346");
    }

    @Test
    void negativeWeightsCanBeAllowed() throws IOException {
        Path f = TestFiles.write(dir, "neg.gr", "p sp 2 1\na 1 2 -5\n", Kind.PLAIN);
        CsrGraph g = GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults().withAllowNegativeWeights(true));
        assertThat(g.weight(0)).isEqualTo(-5);
    }

    static Stream<Arguments> malformedCoordinates() {
        return Stream.of(
                Arguments.of("v 1 2 3\n", 1, "coordinate before the problem line"),
                Arguments.of("p aux sp co 2\nv 1 2 3\nv 1 2 3\n", 3, "duplicate coordinates for node 1"),
                Arguments.of("p aux sp co 2\nv 1 2 3\n", 2, "coordinates for 1 nodes, fewer than the 2 declared"),
                Arguments.of("p aux sp co 2\nv 3 2 3\n", 2, "node id 3 outside 1..2"),
                Arguments.of("p aux sp xx 2\n", 1, "expected 'p aux sp co N'"),
                Arguments.of("p aux sp co 2\nv 1 2 y\n", 2, "non-numeric y coordinate 'y'"),
                Arguments.of("p aux sp co 2\nv 1 2 3\nv 2 0 0\np aux sp co 2\n", 4, "duplicate problem line"));
    }

    @ParameterizedTest
    @MethodSource("malformedCoordinates")
    void malformedCoordinatesNameFileAndLine(String content, int line, String what) throws IOException {
        Path f = TestFiles.write(dir, "bad.co", content, Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.readDimacsCoordinates(f))
                .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("bad.co:" + line + ": ").contains(what);
                });
    }

    @Test
    void coordinateCountMismatchWithGraph() throws IOException {
        Path gr = TestFiles.write(dir, "tiny.gr", DIMACS, Kind.PLAIN);
        Path co = TestFiles.write(dir, "small.co", "p aux sp co 1\nv 1 0 0\n", Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.readDimacs(gr, co, ReadOptions.defaults()))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("small.co").hasMessageContaining("has 4");
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsPace(Kind kind) throws IOException {
        Path f = TestFiles.write(dir, "g.gr" + suffix(kind), PACE, kind);
        CsrGraph g = GraphReader.read(f);
        assertThat(g.isDirected()).isFalse();
        assertThat(g.hasWeights()).isFalse();
        assertThat(g.nodes()).isEqualTo(5);
        assertThat(g.edges()).isEqualTo(4);
        assertThat(g.arcs()).isEqualTo(8);
        assertThat(GraphBuilderTest.arcsOf(g, 1)).containsExactly("0:1", "2:1");
        assertThat(g.fileId(4)).isEqualTo(5);
    }

    static Stream<Arguments> malformedPace() {
        return Stream.of(
                Arguments.of("1 2\n", 1, "edge before the problem line 'p tw N M'"),
                Arguments.of("p tw 3 1\n1 2\n2 3\n", 3, "more edges than the 1 declared"),
                Arguments.of("p tw 3 3\n1 2\n2 3\n", 3, "found 2 edges, fewer than the 3 declared"),
                Arguments.of("p tw 3 1\n1 4\n", 2, "edge endpoint 4 outside 1..3"),
                Arguments.of("p tw 3 1\n1 b\n", 2, "non-numeric edge endpoint 'b'"),
                Arguments.of("p tw 3 1\np tw 3 1\n", 2, "duplicate problem line"),
                Arguments.of("p sp 3 1\n", 1, "expected 'p tw N M'"),
                Arguments.of("c nothing\n", 1, "missing problem line 'p tw N M'"));
    }

    @ParameterizedTest
    @MethodSource("malformedPace")
    void malformedPaceNamesFileAndLine(String content, int line, String what) throws IOException {
        Path f = TestFiles.write(dir, "bad.gr.xz", content, Kind.XZ);
        assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.PACE, ReadOptions.defaults()))
                .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("bad.gr.xz:" + line + ": ").contains(what);
                });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsSnapWithRemappedIds(Kind kind) throws IOException {
        Path f = TestFiles.write(dir, "s.txt" + suffix(kind), SNAP, kind);
        CsrGraph g = GraphReader.read(f);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.nodes()).isEqualTo(4);
        assertThat(g.arcs()).isEqualTo(4);
        assertThat(g.fileIds()).containsExactly(7, 30, 1412, 99999999999L);
        int n30 = g.nodeOf(30);
        assertThat(n30).isEqualTo(1);
        assertThat(GraphBuilderTest.arcsOf(g, n30)).containsExactly("2:1", "0:1");
        assertThat(GraphBuilderTest.arcsOf(g, g.nodeOf(1412))).containsExactly("3:1");
        assertThat(g.fileId(3)).isEqualTo(99999999999L);
    }

    @Test
    void snapSymmetrizeMergesReciprocalArcs() throws IOException {
        Path f = TestFiles.write(dir, "s.txt", SNAP, Kind.PLAIN);
        CsrGraph g = GraphReader.read(f, GraphFormat.SNAP, ReadOptions.defaults().withSymmetrize(true));
        assertThat(g.isDirected()).isFalse();
        assertThat(g.edges()).isEqualTo(3); // 30-1412, 30-7 (twice in the file), 1412-99999999999
        assertThat(g.arcs()).isEqualTo(6);
    }

    static Stream<Arguments> malformedSnap() {
        return Stream.of(
                Arguments.of("# c\n1 2\n3\n", 3, "missing target node id"),
                Arguments.of("1 2\nx 2\n", 2, "non-numeric source node id 'x'"),
                Arguments.of("1 2\n1 -2\n", 2, "negative node id -2"),
                Arguments.of("1 2\n1 2.0\n", 2, "non-numeric target node id '2.0'"));
    }

    @ParameterizedTest
    @MethodSource("malformedSnap")
    void malformedSnapNamesFileAndLine(String content, int line, String what) throws IOException {
        Path f = TestFiles.write(dir, "bad.txt.gz", content, Kind.GZIP);
        assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.SNAP, ReadOptions.defaults()))
                .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("bad.txt.gz:" + line + ": ").contains(what);
                });
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void readsMatrixMarketIntegerGeneral(Kind kind) throws IOException {
        Path f = TestFiles.write(dir, "m.mtx" + suffix(kind), MTX_INT, kind);
        CsrGraph g = GraphReader.read(f);
        assertThat(g.isDirected()).isTrue();
        assertThat(g.nodes()).isEqualTo(3);
        assertThat(g.arcs()).isEqualTo(4);
        assertThat(GraphBuilderTest.arcsOf(g, 0)).containsExactly("1:5", "0:2");
        assertThat(GraphBuilderTest.arcsOf(g, 2)).containsExactly("0:7");
    }

    @Test
    void readsMatrixMarketPatternSymmetricAndReal() throws IOException {
        Path p = TestFiles.write(dir, "p.mtx",
                "%%MatrixMarket matrix coordinate pattern symmetric\n3 3 3\n2 1\n3 2\n3 3\n", Kind.PLAIN);
        CsrGraph g = GraphReader.read(p);
        assertThat(g.isDirected()).isFalse();
        assertThat(g.hasWeights()).isFalse();
        assertThat(g.edges()).isEqualTo(3);
        assertThat(g.arcs()).isEqualTo(5); // two edges twice, the diagonal once
        assertThat(GraphBuilderTest.arcsOf(g, 2)).containsExactly("1:1", "2:1");

        Path r = TestFiles.write(dir, "r.mtx",
                "%%MatrixMarket matrix coordinate real general\n2 3 3\n1 2 2.5\n2 3 1e2\n1 3 0.4\n", Kind.PLAIN);
        CsrGraph gr = GraphReader.read(r);
        assertThat(gr.nodes()).isEqualTo(3); // max(rows, cols)
        assertThat(GraphBuilderTest.arcsOf(gr, 0)).containsExactly("1:3", "2:0"); // Math.round
        CsrGraph scaled = GraphReader.read(r, GraphFormat.MTX, ReadOptions.defaults().withRealWeightScale(10));
        assertThat(GraphBuilderTest.arcsOf(scaled, 0)).containsExactly("1:25", "2:4");
        assertThat(GraphBuilderTest.arcsOf(scaled, 1)).containsExactly("2:1000");
    }

    static Stream<Arguments> malformedMtx() {
        String h = "%%MatrixMarket matrix coordinate integer general\n";
        return Stream.of(
                Arguments.of("3 3 1\n1 1 1\n", 1, "missing '%%MatrixMarket"),
                Arguments.of("%%MatrixMarket matrix array real general\n", 1, "format 'array' is not supported"),
                Arguments.of("%%MatrixMarket matrix coordinate complex general\n", 1, "field 'complex'"),
                Arguments.of("%%MatrixMarket matrix coordinate real skew-symmetric\n", 1, "symmetry 'skew-symmetric'"),
                Arguments.of("%%MatrixMarket matrix coordinate real\n", 1, "missing symmetry"),
                Arguments.of(h + "% only comments\n", 2, "missing size line"),
                Arguments.of(h + "3 3 1\n1 1 1\n2 2 2\n", 4, "more entries than the 1 declared on line 2"),
                Arguments.of(h + "3 3 3\n1 1 1\n2 2 2\n", 4, "found 2 entries, fewer than the 3 declared"),
                Arguments.of(h + "3 2 1\n1 3 1\n", 3, "column index 3 outside 1..2"),
                Arguments.of(h + "3 3 1\n4 1 1\n", 3, "row index 4 outside 1..3"),
                Arguments.of(h + "3 3 1\n1 1 -4\n", 3, "negative value -4"),
                Arguments.of(h + "3 3 1\n1 1 1.5\n", 3, "non-numeric value '1.5'"),
                Arguments.of(h + "3 3 1\n1 1\n", 3, "missing value"),
                Arguments.of("%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 abc\n", 3, "non-numeric value 'abc'"),
                Arguments.of("%%MatrixMarket matrix coordinate real general\n1 1 1\n1 1 1e30\n", 3, "does not fit"),
                Arguments.of("%%MatrixMarket matrix coordinate real symmetric\n2 3 1\n", 2, "must be square"));
    }

    @ParameterizedTest
    @MethodSource("malformedMtx")
    void malformedMtxNamesFileAndLine(String content, int line, String what) throws IOException {
        Path f = TestFiles.write(dir, "bad.mtx", content, Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.MTX, ReadOptions.defaults()))
                .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                    assertThat(e.line()).isEqualTo(line);
                    assertThat(e.getMessage()).startsWith("bad.mtx:" + line + ": ").contains(what);
                });
    }

    @ParameterizedTest
    @EnumSource(value = Kind.class, names = {"GZIP", "XZ"})
    void truncatedCompressedInputIsAFormatError(Kind kind) throws IOException {
        StringBuilder sb = new StringBuilder("p sp 1000 20000\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
        for (int i = 0; i < 20000; i++) {
            sb.append("a ").append(1 + rnd.nextInt(1000)).append(' ').append(1 + rnd.nextInt(1000)).append(' ')
                    .append(rnd.nextInt(100000)).append('\n');
        }
        byte[] full = TestFiles.encode(sb.toString(), kind);
        Path f = dir.resolve("cut.gr" + suffix(kind));
        Files.write(f, Arrays.copyOf(full, full.length / 2));
        String what = "truncated or corrupt " + (kind == Kind.GZIP ? "gzip" : "xz") + " data";
        assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults()))
                .isInstanceOfSatisfying(GraphFormatException.class, e -> {
                    assertThat(e.getMessage()).startsWith("cut.gr" + suffix(kind) + ":").contains(what);
                    // gzip fails where the data ends; xz decodes whole LZMA2 chunks (up to 2 MiB of text),
                    // so a cut in the first chunk fails before any line.
                    assertThat(e.line()).isGreaterThan(kind == Kind.GZIP ? 1000 : -1);
                });
        // Through format detection the same error comes out.
        assertThatThrownBy(() -> GraphReader.read(f)).isInstanceOf(GraphFormatException.class).hasMessageContaining(what);
        // Corrupt payload (flipped bytes in the middle) is also reported, not silently accepted.
        byte[] corrupt = full.clone();
        for (int i = full.length / 2; i < full.length / 2 + 64; i++) {
            corrupt[i] ^= 0x5a;
        }
        Path c = dir.resolve("corrupt.gr" + suffix(kind));
        Files.write(c, corrupt);
        assertThatThrownBy(() -> GraphReader.read(c, GraphFormat.DIMACS, ReadOptions.defaults()))
                .isInstanceOf(GraphFormatException.class).hasMessageStartingWith("corrupt.gr" + suffix(kind) + ":");
    }

    @Test
    void unsupportedCompressionIsRefused() throws IOException {
        Path f = dir.resolve("g.gr.bz2");
        Files.write(f, "BZh91AY&SY".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> GraphReader.read(f, GraphFormat.DIMACS, ReadOptions.defaults()))
                .isInstanceOf(GraphFormatException.class).hasMessage("g.gr.bz2: bzip2-compressed input is not supported; use plain text, gzip or xz");
    }

    @Test
    void formatDetectionByContentThenExtension() throws IOException {
        assertThat(GraphFormat.detect(TestFiles.write(dir, "a.dat", DIMACS, Kind.GZIP))).isEqualTo(GraphFormat.DIMACS);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "b.gr", PACE, Kind.XZ))).isEqualTo(GraphFormat.PACE);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "c.dat", SNAP, Kind.PLAIN))).isEqualTo(GraphFormat.SNAP);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "c2.dat", "1 2\n3 4\n", Kind.PLAIN))).isEqualTo(GraphFormat.SNAP);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "d.dat", MTX_INT, Kind.PLAIN))).isEqualTo(GraphFormat.MTX);
        // Only comments: the extension decides.
        assertThat(GraphFormat.detect(TestFiles.write(dir, "e.gr.gz", "c hello\n", Kind.GZIP))).isEqualTo(GraphFormat.DIMACS);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "f.txt", "", Kind.PLAIN))).isEqualTo(GraphFormat.SNAP);
        assertThat(GraphFormat.detect(TestFiles.write(dir, "g.mtx.xz", "", Kind.XZ))).isEqualTo(GraphFormat.MTX);
        assertThatThrownBy(() -> GraphFormat.detect(TestFiles.write(dir, "h.co", DIMACS_CO, Kind.PLAIN)))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("h.co:2:").hasMessageContaining("coordinate file");
        assertThatThrownBy(() -> GraphFormat.detect(TestFiles.write(dir, "i.bin", "hello\n", Kind.PLAIN)))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("cannot detect");
        assertThatThrownBy(() -> GraphFormat.detect(TestFiles.write(dir, "j.gr", "p edge 3 3\n", Kind.PLAIN)))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("j.gr:1: unknown problem line");
        assertThat(GraphFormat.fromName("Dimacs")).isEqualTo(GraphFormat.DIMACS);
        assertThat(GraphFormat.fromName("auto")).isEqualTo(GraphFormat.AUTO);
        assertThatThrownBy(() -> GraphFormat.fromName("csv")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void readsFromAStreamWithoutClosingIt() throws IOException {
        byte[] data = TestFiles.encode(PACE, Kind.GZIP);
        boolean[] closed = {false};
        ByteArrayInputStream in = new ByteArrayInputStream(data) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        CsrGraph g = GraphReader.read(in, null, GraphFormat.PACE, ReadOptions.defaults());
        assertThat(g.edges()).isEqualTo(4);
        assertThat(closed[0]).isFalse();
        assertThatThrownBy(() -> GraphReader.read(new ByteArrayInputStream("p tw 1 1\n".getBytes()), null,
                GraphFormat.PACE, ReadOptions.defaults())).hasMessage("<input>:1: found 0 edges, fewer than the 1 declared on line 1");
    }

    @Test
    void hugeDeclaredCountsDoNotPreallocate() throws IOException {
        // Header counts size nothing beyond a capped first allocation: a lying arc count fails on the count
        // check, and a node count whose offsets alone would not fit in the heap fails with a clear message.
        Path f = TestFiles.write(dir, "liar.gr", "p sp 10 1000000000000000\na 1 2 3\n", Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.read(f))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("liar.gr:2: found 1 arcs");
        Path m = TestFiles.write(dir, "liar.mtx", "%%MatrixMarket matrix coordinate pattern general\n5 5 999999999999\n1 1\n", Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.read(m)).hasMessageContaining("liar.mtx:3: found 1 entries");
        Path co = TestFiles.write(dir, "liar.co", "p aux sp co 2000000000\nv 1 0 0\n", Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.readDimacsCoordinates(co)).hasMessageContaining("liar.co:2: coordinates for 1 nodes");
        Path big = TestFiles.write(dir, "big.gr", "p sp 2000000000 1\na 1 2 3\n", Kind.PLAIN);
        assertThatThrownBy(() -> GraphReader.read(big))
                .isInstanceOf(GraphFormatException.class).hasMessageContaining("big.gr:1: a graph of 2000000000 nodes")
                .hasMessageContaining("MiB of heap left");
    }

    static String suffix(Kind kind) {
        return kind == Kind.GZIP ? ".gz" : kind == Kind.XZ ? ".xz" : "";
    }

    @Test
    void controlBytesFromTheFileAreEscapedInMessages() throws IOException {
        Path f = dir.resolve("bin.gr");
        java.nio.file.Files.write(f, new byte[] {'p', ' ', 's', 'p', ' ', '2', ' ', '1', '\n', 'a', ' ', '1', ' ', 1, 27,
                '[', '2', 'J', ' ', '5', '\n'});
        assertThatThrownBy(() -> GraphReader.read(f)).isInstanceOf(GraphFormatException.class)
                .hasMessageContaining("'\\u0001\\u001b[2J'")
                .satisfies(e -> assertThat(e.getMessage().chars().allMatch(c -> c >= 0x20 && c != 0x7f)).isTrue())
                .satisfies(e -> assertThat(((GraphFormatException) e).detail()).doesNotContain("\u0001"));
        Path c1 = dir.resolve("c1.gr");
        java.nio.file.Files.write(c1, new byte[] {'p', ' ', 's', 'p', ' ', '2', ' ', '1', '\n', (byte) 0x9b, '3', '1', 'm',
                '\n'});
        assertThatThrownBy(() -> GraphReader.read(c1)).isInstanceOf(GraphFormatException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\u009b"));
    }

    @Test
    void aControlByteQuotedFromTheInputIsEscapedInTheMessage() {
        byte[] text = "p s\u001a23p 3 1\na 1 2 3\n".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> GraphReader.read(new ByteArrayInputStream(text), Path.of("ctl.gr"), GraphFormat.DIMACS,
                ReadOptions.defaults())).isInstanceOf(GraphFormatException.class)
                .hasMessage("ctl.gr:1: problem type 's\\u001a23p', expected 'p sp N M'");
    }

    /**
     * A 64-byte xz file of a valid two-line graph whose block header declares a 1536 MiB dictionary (made with {@code
     * xz --check=crc32}, then the dictionary byte and the header CRC patched): refused before the decoder allocates.
     */
    @Test
    void anXzStreamDeclaringAHugeDictionaryIsRefusedBeforeAllocating() {
        byte[] xz = java.util.HexFormat.of().parseHex("fd377a585a0000016922de3602002101250000003b787b4101001070207370203220310a612031203220330a0000000053d00f33000125113e45c5a29042990d010000000001595a");
        long before = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes();
        assertThatThrownBy(() -> GraphReader.read(new ByteArrayInputStream(xz), Path.of("dict.gr.xz"),
                GraphFormat.DIMACS, ReadOptions.defaults())).isInstanceOf(GraphFormatException.class)
                .hasMessage("dict.gr.xz: xz data that needs 1537 MiB of memory to decompress, more than the limit of "
                        + "128 MiB (recompress with a smaller dictionary, e.g. xz -6)");
        long used = ((com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean())
                .getCurrentThreadAllocatedBytes() - before;
        assertThat(used).as("bytes allocated").isLessThan(16L << 20);
    }
}
