package org.scaleml.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.scaleml.train.CheckpointStore;

/**
 * A {@link CheckpointStore} in a directory of any Hadoop file system (HDFS, S3A, ABFS, GCS, a local
 * {@code file:} path): what a Spark cluster's ranks share. A write goes to a temporary name in the same directory
 * and is renamed over the final name, so a reader never sees half a checkpoint (on object stores whose rename is a
 * copy, a crash mid-rename can leave the temporary file, which the store ignores).
 */
final class HadoopCheckpointStore implements CheckpointStore {
    private final Path dir;
    private final FileSystem fs;

    HadoopCheckpointStore(String dir, Configuration conf) throws IOException {
        this.dir = new Path(dir);
        this.fs = this.dir.getFileSystem(conf);
    }

    @Override
    public List<Long> steps(int rank) throws IOException {
        if (!fs.exists(dir)) {
            return new ArrayList<>();
        }
        List<String> names = new ArrayList<>();
        for (FileStatus st : fs.listStatus(dir)) {
            names.add(st.getPath().getName());
        }
        return CheckpointStore.stepsAmong(names, rank);
    }

    @Override
    public String write(long step, int rank, byte[] bytes) throws IOException {
        fs.mkdirs(dir);
        Path target = new Path(dir, CheckpointStore.fileName(step, rank));
        Path tmp = new Path(dir, "." + target.getName() + ".tmp");
        try {
            try (OutputStream out = fs.create(tmp, true)) {
                out.write(bytes);
            }
            if (fs.exists(target)) {
                fs.delete(target, false);
            }
            if (!fs.rename(tmp, target)) {
                throw new IOException("cannot rename " + tmp + " to " + target);
            }
        } catch (IOException | RuntimeException e) {
            try {
                fs.delete(tmp, false); // a failed write leaves nothing behind
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
        return target.toString();
    }

    @Override
    public byte[] read(long step, int rank) throws IOException {
        Path p = new Path(dir, CheckpointStore.fileName(step, rank));
        try (InputStream in = fs.open(p)) {
            return in.readAllBytes();
        }
    }

    @Override
    public void delete(long step, int rank) throws IOException {
        fs.delete(new Path(dir, CheckpointStore.fileName(step, rank)), false);
    }

    @Override
    public String location(long step, int rank) {
        return new Path(dir, CheckpointStore.fileName(step, rank)).toString();
    }

    @Override
    public String toString() {
        return dir.toString();
    }
}
