package org.scaleml.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.scaleml.graph.TestFiles.Kind;

class GraphCacheTest {
    @TempDir
    Path dir;

    static void assertSameGraph(CsrGraph a, CsrGraph b) {
        assertThat(b.nodes()).isEqualTo(a.nodes());
        assertThat(b.arcs()).isEqualTo(a.arcs());
        assertThat(b.edges()).isEqualTo(a.edges());
        assertThat(b.isDirected()).isEqualTo(a.isDirected());
        assertThat(b.offsets()).isEqualTo(a.offsets());
        assertThat(b.targets()).isEqualTo(a.targets());
        assertThat(b.hasWeights()).isEqualTo(a.hasWeights());
        if (a.hasWeights()) {
            assertThat(b.weights()).isEqualTo(a.weights());
        }
        assertThat(b.hasCoordinates()).isEqualTo(a.hasCoordinates());
        if (a.hasCoordinates()) {
            assertThat(b.xs()).isEqualTo(a.xs());
            assertThat(b.ys()).isEqualTo(a.ys());
        }
        assertThat(b.hasFileIds()).isEqualTo(a.hasFileIds());
        if (a.hasFileIds()) {
            assertThat(b.fileIds()).isEqualTo(a.fileIds());
        } else {
            assertThat(b.idOffset()).isEqualTo(a.idOffset());
        }
    }

    @Test
    void roundTripsEveryKindOfGraph() throws IOException {
        List<CsrGraph> graphs = List.of(
                GraphGenerators.grid(7, 9, 100, 3),
                GraphGenerators.rmat(8, 4, 5),
                GraphGenerators.randomGeometric(500, 0.08, 9),
                GraphBuilder.directed(0).build(),
                GraphBuilder.directed(3).weighted(false).idOffset(1).addEdge(0, 2).build(),
                GraphBuilder.undirected(3).fileIds(new long[] {4, 9, 1L << 40}).addEdge(0, 1, -3).build());
        int i = 0;
        for (CsrGraph g : graphs) {
            Path f = dir.resolve("g" + i++ + GraphCache.SUFFIX);
            GraphCache.write(g, f);
            assertSameGraph(g, GraphCache.read(f));
        }
        try (Stream<Path> s = Files.list(dir)) {
            assertThat(s.filter(p -> p.toString().endsWith(".tmp"))).isEmpty();
        }
    }

    @Test
    void largerThanOneChunkRoundTrips() throws IOException {
        CsrGraph g = GraphGenerators.grid(400, 700, 1000, 1); // ~1.1M arcs: crosses the 4 MiB buffer
        Path f = dir.resolve("big" + GraphCache.SUFFIX);
        GraphCache.write(g, f);
        assertSameGraph(g, GraphCache.read(f));
    }

    @Test
    void loadWritesThenReadsCacheAndInvalidatesOnSourceChange() throws IOException {
        Path src = TestFiles.write(dir, "tiny.gr", GraphReaderTest.DIMACS, Kind.PLAIN);
        Path cacheDir = dir.resolve("cache");
        GraphCache cache = GraphCache.inDirectory(cacheDir);

        GraphCache.Loaded first = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
        assertThat(first.fromCache()).isFalse();
        assertThat(first.cacheFile()).exists();
        assertThat(first.cacheFile().getFileName().toString()).startsWith("tiny.gr." + Files.size(src) + "-")
                .endsWith(GraphCache.SUFFIX);

        GraphCache.Loaded second = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
        assertThat(second.fromCache()).isTrue();
        assertSameGraph(first.graph(), second.graph());

        // Other options use another cache file.
        GraphCache.Loaded dedup = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults().withDeduplicate(true));
        assertThat(dedup.fromCache()).isFalse();
        assertThat(dedup.graph().arcs()).isEqualTo(4);

        // Change the source: new content and mtime; the stale cache is not used and is deleted.
        Files.writeString(src, "p sp 2 1\na 1 2 9\n");
        Files.setLastModifiedTime(src, FileTime.fromMillis(Files.getLastModifiedTime(src).toMillis() + 5000));
        GraphCache.Loaded third = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
        assertThat(third.fromCache()).isFalse();
        assertThat(third.graph().arcs()).isEqualTo(1);
        assertThat(first.cacheFile()).doesNotExist();
        assertThat(dedup.cacheFile()).exists(); // other key: left alone
        assertThat(cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults()).fromCache()).isTrue();
    }

    @Test
    void sameSizeButTouchedSourceIsInvalidated() throws IOException {
        Path src = TestFiles.write(dir, "t.gr", "p sp 2 1\na 1 2 5\n", Kind.PLAIN);
        GraphCache cache = GraphCache.inDirectory(dir.resolve("c"));
        cache.load(src, GraphFormat.DIMACS, ReadOptions.defaults());
        Files.writeString(src, "p sp 2 1\na 1 2 7\n"); // same size
        Files.setLastModifiedTime(src, FileTime.fromMillis(Files.getLastModifiedTime(src).toMillis() + 2000));
        GraphCache.Loaded l = cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults());
        assertThat(l.fromCache()).isFalse();
        assertThat(l.graph().weight(0)).isEqualTo(7);
    }

    @Test
    void sourceRewrittenWithSameSizeAndSameMtimeIsInvalidated() throws IOException {
        for (Kind kind : new Kind[] {Kind.PLAIN, Kind.GZIP}) {
            Path src = TestFiles.write(dir, "same." + kind + ".gr", "p sp 3 2\na 1 2 5\na 2 3 6\n", kind);
            GraphCache cache = GraphCache.inDirectory(dir.resolve("c"));
            assertThat(cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults()).fromCache()).isFalse();
            assertThat(cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults()).fromCache()).isTrue();
            FileTime mtime = Files.getLastModifiedTime(src);
            long size = Files.size(src);
            Path other = TestFiles.write(dir, "other." + kind + ".gr", "p sp 3 2\na 1 2 9\na 2 3 6\n", kind);
            Files.write(src, Files.readAllBytes(other)); // different content ...
            Files.setLastModifiedTime(src, mtime); // ... same size and same time
            assertThat(Files.size(src)).as(kind.toString()).isEqualTo(size);
            GraphCache.Loaded l = cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults());
            assertThat(l.fromCache()).as(kind.toString()).isFalse();
            assertThat(l.graph().weight(0)).as(kind.toString()).isEqualTo(9);
            GraphCache.Loaded again = cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults());
            assertThat(again.fromCache()).as(kind.toString()).isTrue();
            assertThat(again.graph().weight(0)).isEqualTo(9);
        }
    }

    @Test
    void cacheOfTheFormerVersionIsRebuiltNotMisread() throws IOException {
        Path src = TestFiles.write(dir, "old.gr", "p sp 2 1\na 1 2 5\n", Kind.PLAIN);
        GraphCache cache = GraphCache.inDirectory(dir.resolve("c"));
        Path cf = cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults()).cacheFile();
        // Rewrite it as version 1 wrote it: version 1, no content hash (the field was reserved, 0), valid CRC,
        // describing another graph (weight 99), as a cache of an earlier content would.
        byte[] b = Files.readAllBytes(cf);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt(8, 1).putLong(72, 0);
        int weightsAt = GraphCache.HEADER + 8 * 3 + 4 * 1; // offsets long[3], targets int[1]
        bb.putInt(weightsAt, 99);
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(b, 0, b.length - 4);
        bb.putInt(b.length - 4, (int) crc.getValue());
        Files.write(cf, b);
        assertThatThrownBy(() -> GraphCache.read(cf)).hasMessageContaining("cache version 1");
        GraphCache.Loaded l = cache.loadDetailed(src, GraphFormat.DIMACS, ReadOptions.defaults());
        assertThat(l.fromCache()).isFalse();
        assertThat(l.graph().weight(0)).isEqualTo(5);
        assertThat(GraphCache.read(cf).weight(0)).isEqualTo(5); // rebuilt in the current version
    }

    @Test
    void hashComputedWhileParsingMatchesTheFileHash() throws IOException {
        for (Kind kind : Kind.values()) {
            Path src = TestFiles.write(dir, "h." + kind + ".gr", GraphReaderTest.DIMACS, kind);
            try (GraphCache.ContentHashingStream in = new GraphCache.ContentHashingStream(Files.newInputStream(src))) {
                GraphReader.read(in, src, GraphFormat.DIMACS, ReadOptions.defaults());
                in.transferTo(java.io.OutputStream.nullOutputStream());
                assertThat(in.hash()).as(kind.toString()).isEqualTo(GraphCache.contentHash(src));
            }
        }
        Path a = TestFiles.write(dir, "a.gr", "p sp 2 1\na 1 2 5\n", Kind.PLAIN);
        Path b = TestFiles.write(dir, "b.gr", "p sp 2 1\na 1 2 6\n", Kind.PLAIN);
        assertThat(GraphCache.contentHash(a)).isNotEqualTo(GraphCache.contentHash(b));
    }

    @Test
    void corruptOrTruncatedCacheIsRebuiltSilently() throws IOException {
        Path src = TestFiles.write(dir, "tiny.gr.xz", GraphReaderTest.DIMACS, Kind.XZ);
        GraphCache cache = GraphCache.besideSource();
        GraphCache.Loaded first = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
        Path cf = first.cacheFile();
        assertThat(cf.getParent()).isEqualTo(dir.toAbsolutePath());

        byte[] bytes = Files.readAllBytes(cf);
        bytes[GraphCache.HEADER + 3] ^= 1; // flip a bit in the offsets
        Files.write(cf, bytes);
        assertThatThrownBy(() -> GraphCache.read(cf)).isInstanceOf(GraphFormatException.class)
                .hasMessageContaining("checksum mismatch");
        GraphCache.Loaded rebuilt = cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults());
        assertThat(rebuilt.fromCache()).isFalse();
        assertSameGraph(first.graph(), rebuilt.graph());
        assertThat(cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults()).fromCache()).isTrue();

        Files.write(cf, Arrays.copyOf(Files.readAllBytes(cf), 100));
        assertThatThrownBy(() -> GraphCache.read(cf)).isInstanceOf(GraphFormatException.class)
                .hasMessageContaining("does not match the header");
        assertThat(cache.loadDetailed(src, GraphFormat.AUTO, ReadOptions.defaults()).fromCache()).isFalse();
    }

    @Test
    void readRejectsForeignAndHostileFiles() throws IOException {
        Path junk = dir.resolve("junk" + GraphCache.SUFFIX);
        Files.write(junk, new byte[200]);
        assertThatThrownBy(() -> GraphCache.read(junk)).hasMessage(junk.getFileName() + ": not a graph cache file (bad magic)");
        Path tiny = dir.resolve("tiny" + GraphCache.SUFFIX);
        Files.write(tiny, new byte[10]);
        assertThatThrownBy(() -> GraphCache.read(tiny)).hasMessageContaining("too short");

        // A header claiming a huge graph is refused from the length check, before any allocation.
        CsrGraph g = GraphBuilder.directed(2).addEdge(0, 1, 1).build();
        Path f = dir.resolve("g" + GraphCache.SUFFIX);
        GraphCache.write(g, f);
        byte[] b = Files.readAllBytes(f);
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1L << 30);
        Files.write(f, b);
        assertThatThrownBy(() -> GraphCache.read(f)).hasMessageContaining("does not match the header");
        ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(24, 1).putInt(8, 3);
        Files.write(f, b);
        assertThatThrownBy(() -> GraphCache.read(f)).hasMessageContaining("cache version 3");
    }

    @Test
    void besideSourceFallsBackWhenDirectoryIsReadOnly() throws IOException {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Path src = TestFiles.write(ro, "g.gr", "p sp 2 1\na 1 2 5\n", Kind.PLAIN);
        assertThat(ro.toFile().setWritable(false)).isTrue();
        try {
            if (Files.isWritable(ro)) {
                return; // running as root: permissions are not enforced
            }
            Path cf = GraphCache.besideSource().cacheFileFor(src, GraphFormat.AUTO, ReadOptions.defaults());
            assertThat(cf.getParent()).isEqualTo(GraphCache.defaultDirectory());
        } finally {
            ro.toFile().setWritable(true);
        }
    }
}
