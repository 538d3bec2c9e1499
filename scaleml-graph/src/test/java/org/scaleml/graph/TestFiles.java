package org.scaleml.graph;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

/** Helpers for tests: write inline graph files (plain, gzip, xz) and find the shared real data. */
public final class TestFiles {
    enum Kind { PLAIN, GZIP, XZ }

    private TestFiles() {
    }

    static Path write(Path dir, String name, String content, Kind kind) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, encode(content, kind));
        return p;
    }

    static byte[] encode(String content, Kind kind) throws IOException {
        byte[] raw = content.getBytes(StandardCharsets.US_ASCII);
        java.io.ByteArrayOutputStream bos = new java.io.ByteArrayOutputStream();
        switch (kind) {
            case PLAIN:
                return raw;
            case GZIP:
                try (OutputStream o = new GZIPOutputStream(bos)) {
                    o.write(raw);
                }
                return bos.toByteArray();
            default:
                try (OutputStream o = new XZOutputStream(bos, new LZMA2Options())) {
                    o.write(raw);
                }
                return bos.toByteArray();
        }
    }

    /**
     * The shared data folder: system property {@code scaleml.data} if set, else the first {@code
     * ../shared/data} found walking up from the working directory (the module directory under surefire; the
     * project root's sibling {@code shared/data}).
     */
    public static Optional<Path> sharedData() {
        String prop = System.getProperty("scaleml.data");
        if (prop != null && !prop.isBlank()) {
            Path p = Path.of(prop);
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null) {
            Path candidate = dir.resolve("../shared/data").normalize();
            if (Files.isDirectory(candidate)) {
                return Optional.of(candidate);
            }
            dir = dir.getParent();
        }
        return Optional.empty();
    }
}
