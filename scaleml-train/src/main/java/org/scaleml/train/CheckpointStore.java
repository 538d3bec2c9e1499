package org.scaleml.train;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where the {@link Checkpoint}s of a run live: a local directory ({@link #directory}), or any other storage a
 * deployment provides (a Hadoop file system path on a Spark cluster, in {@code scaleml-spark}). The trainer sees
 * only this interface, so checkpointing, resuming and the choice of the newest step every rank holds are the same
 * everywhere.
 *
 * <h2>Contract</h2>
 * <ul>
 *   <li>Entries are named by (step, rank); rank r's checkpoint after step s is
 *       {@code step-<s>.rank-<r>.ckpt} ({@link #fileName}) in the store's location.</li>
 *   <li>{@link #write} is atomic: a reader sees either no entry or the whole of it, also if the writer dies midway
 *       (a temporary name, then a rename).</li>
 *   <li>Ranks write their own entries only; the methods are safe to call from the ranks' threads concurrently.</li>
 *   <li>I/O failures are {@link IOException}s naming the location.</li>
 * </ul>
 */
public interface CheckpointStore {
    /** The steps for which the store holds a checkpoint of {@code rank}, ascending (empty if none). */
    List<Long> steps(int rank) throws IOException;

    /** Stores rank {@code rank}'s checkpoint of step {@code step} atomically; returns where it went. */
    String write(long step, int rank, byte[] bytes) throws IOException;

    /** The bytes of rank {@code rank}'s checkpoint of step {@code step}. */
    byte[] read(long step, int rank) throws IOException;

    /** Deletes rank {@code rank}'s checkpoint of step {@code step}, if present. */
    void delete(long step, int rank) throws IOException;

    /** Where rank {@code rank}'s checkpoint of step {@code step} is (or would be), for messages. */
    String location(long step, int rank);

    /** The name of rank {@code rank}'s checkpoint of step {@code step} within the store. */
    static String fileName(long step, int rank) {
        return "step-" + step + ".rank-" + rank + ".ckpt";
    }

    /** The pattern of {@link #fileName}: group 1 the step, group 2 the rank. */
    Pattern NAME = Pattern.compile("step-(\\d{1,18})\\.rank-(\\d{1,6})\\.ckpt");

    /**
     * The steps among {@code names} (file names) that are checkpoints of {@code rank}, ascending; for stores that
     * list names.
     */
    static List<Long> stepsAmong(Iterable<String> names, int rank) {
        List<Long> out = new ArrayList<>();
        for (String name : names) {
            Matcher m = NAME.matcher(name);
            if (m.matches() && Integer.parseInt(m.group(2)) == rank) {
                out.add(Long.parseLong(m.group(1)));
            }
        }
        out.sort(null);
        return out;
    }

    /** A store in a local directory (created on the first write); writes are forced to disk before the rename. */
    static CheckpointStore directory(Path dir) {
        return new Directory(dir);
    }

    /** The local-directory store. */
    final class Directory implements CheckpointStore {
        private final Path dir;

        Directory(Path dir) {
            this.dir = Objects.requireNonNull(dir, "dir");
        }

        /** The directory. */
        public Path dir() {
            return dir;
        }

        @Override
        public List<Long> steps(int rank) throws IOException {
            if (!Files.isDirectory(dir)) {
                return new ArrayList<>();
            }
            List<String> names = new ArrayList<>();
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "step-*.rank-*.ckpt")) {
                for (Path p : ds) {
                    names.add(p.getFileName().toString());
                }
            }
            return stepsAmong(names, rank);
        }

        @Override
        public String write(long step, int rank, byte[] bytes) throws IOException {
            Files.createDirectories(dir);
            Path target = dir.resolve(fileName(step, rank));
            Path tmp = dir.resolve(target.getFileName() + ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                        StandardOpenOption.TRUNCATE_EXISTING)) {
                    ByteBuffer bb = ByteBuffer.wrap(bytes);
                    while (bb.hasRemaining()) {
                        ch.write(bb);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException | RuntimeException e) {
                try {
                    Files.deleteIfExists(tmp); // a failed write leaves nothing behind
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
                throw e;
            }
            return target.toString();
        }

        @Override
        public byte[] read(long step, int rank) throws IOException {
            return Files.readAllBytes(dir.resolve(fileName(step, rank)));
        }

        @Override
        public void delete(long step, int rank) throws IOException {
            Files.deleteIfExists(dir.resolve(fileName(step, rank)));
        }

        @Override
        public String location(long step, int rank) {
            return dir.resolve(fileName(step, rank)).toString();
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }
}
