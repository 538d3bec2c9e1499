package org.scaleml.train;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32C;

/**
 * One rank's training state at the end of a step, and its file: everything a run needs to continue exactly as if
 * it had not stopped.
 *
 * <h2>File format (version 2, big-endian)</h2>
 * <pre>
 *   8 bytes  magic "SCALEMLC"
 *   int      format version (2)
 *   UTF      fingerprint: the settings that must match to resume, {@code key=value} pairs separated by
 *            {@code ;} (model, optimizer, codec plan, world, batch, epochs, seed, the data set's name, size and
 *            content hash); a mismatch is refused, naming each differing setting (see {@link #matching})
 *   int      rank, int world
 *   long     steps completed (global step count)
 *   double   training seconds so far, long bytes sent so far by this rank
 *   double   loss sum of the current epoch's steps, long number of those steps
 *   double   training seconds and long bytes sent at the start of the current epoch
 *   int n,   n floats: parameters
 *   long     optimizer steps; int b; b times (int len, len floats): optimizer buffers
 *   int L;   L times (int S; S times (int len, len floats)): error-feedback residuals per layer and stream
 *   int k;   k times (int len, len floats): the trainer's own state (e.g. local SGD's last averaged model,
 *            a robust aggregator's memory); version 2 only
 *   UTF      the exchange's state (e.g. a layer-wise adaptive plan), empty if none; version 2 only
 *   long     CRC32C of every byte before it
 * </pre>
 * Version 1 files (without the last two fields) are still read, with empty trainer and exchange state.
 * Every length is checked against a bound the caller gives (the model's parameter count) before anything is
 * allocated, so a damaged file cannot make the reader allocate without bound; a damaged file fails its CRC.
 *
 * <h2>Files and atomicity</h2>
 * Checkpoints live in a {@link CheckpointStore} (a local directory, or e.g. a Hadoop file system path on a Spark
 * cluster). Rank r's checkpoint after step s is {@code step-<s>.rank-<r>.ckpt} there. {@link #write} stores it
 * atomically (a temporary name, forced to disk, renamed over the final name), then deletes this rank's
 * checkpoints older than the newest {@code keep}; so a crash at any point leaves every earlier checkpoint intact.
 * Ranks write independently; resuming picks the newest step for which every rank has a file
 * ({@link #steps}), so a crash between two ranks' writes costs one checkpoint interval at most.
 *
 * @param fingerprint settings that must match to resume
 * @param rank        the rank that wrote it
 * @param world       the job size
 * @param steps       global steps completed
 * @param seconds     training seconds so far (not counting evaluation)
 * @param bytesSent   bytes this rank sent so far
 * @param epochLoss   sum of the current epoch's step losses so far
 * @param epochSteps  number of steps of the current epoch so far
 * @param epochStartSeconds training seconds at the start of the current epoch
 * @param epochStartBytes   bytes sent at the start of the current epoch
 * @param params      parameters
 * @param optSteps    the optimizer's step count
 * @param optBuffers  the optimizer's buffers
 * @param residuals   error-feedback residuals per compressed layer and codec stream
 * @param trainerState the trainer's own arrays (empty for synchronous training)
 * @param exchangeState the gradient exchange's state string (empty if none)
 */
public record Checkpoint(String fingerprint, int rank, int world, long steps, double seconds, long bytesSent,
                         double epochLoss, long epochSteps, double epochStartSeconds, long epochStartBytes,
                         float[] params, long optSteps, float[][] optBuffers,
                         float[][][] residuals, float[][] trainerState, String exchangeState) {
    private static final byte[] MAGIC = "SCALEMLC".getBytes(StandardCharsets.US_ASCII);
    private static final int VERSION = 2;
    private static final int MAX_TRAINER_ARRAYS = 1 << 12;

    /** A checkpoint without trainer or exchange state. */
    public Checkpoint(String fingerprint, int rank, int world, long steps, double seconds, long bytesSent,
                      double epochLoss, long epochSteps, double epochStartSeconds, long epochStartBytes,
                      float[] params, long optSteps, float[][] optBuffers, float[][][] residuals) {
        this(fingerprint, rank, world, steps, seconds, bytesSent, epochLoss, epochSteps, epochStartSeconds,
                epochStartBytes, params, optSteps, optBuffers, residuals, new float[0][], "");
    }

    public Checkpoint {
        Objects.requireNonNull(fingerprint, "fingerprint");
        Objects.requireNonNull(params, "params");
        Objects.requireNonNull(optBuffers, "optBuffers");
        Objects.requireNonNull(residuals, "residuals");
        Objects.requireNonNull(trainerState, "trainerState");
        Objects.requireNonNull(exchangeState, "exchangeState");
    }

    /** The file of rank {@code rank}'s checkpoint after step {@code step} in directory {@code dir}. */
    public static Path file(Path dir, long step, int rank) {
        return dir.resolve(CheckpointStore.fileName(step, rank));
    }

    /** The steps for which {@code dir} holds a checkpoint of {@code rank}, ascending (none if no directory). */
    public static List<Long> steps(Path dir, int rank) throws IOException {
        return CheckpointStore.directory(dir).steps(rank);
    }

    /**
     * Writes this checkpoint atomically into {@code dir} (created if needed) and keeps only this rank's newest
     * {@code keep} checkpoints.
     *
     * @return the file written
     */
    public Path write(Path dir, int keep) throws IOException {
        return Path.of(write(CheckpointStore.directory(dir), keep));
    }

    /**
     * Writes this checkpoint atomically into {@code store} and keeps only this rank's newest {@code keep}
     * checkpoints there.
     *
     * @return where it went
     */
    public String write(CheckpointStore store, int keep) throws IOException {
        String where = store.write(steps, rank, encode());
        List<Long> all = store.steps(rank);
        for (int i = 0; i + keep < all.size(); i++) {
            store.delete(all.get(i), rank);
        }
        return where;
    }

    /** The checkpoint's bytes in the format above, CRC included. */
    public byte[] encode() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + 4 * params.length * (1 + optBuffers.length));
        try {
            DataOutputStream out = new DataOutputStream(bytes);
            out.write(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(fingerprint);
            out.writeInt(rank);
            out.writeInt(world);
            out.writeLong(steps);
            out.writeDouble(seconds);
            out.writeLong(bytesSent);
            out.writeDouble(epochLoss);
            out.writeLong(epochSteps);
            out.writeDouble(epochStartSeconds);
            out.writeLong(epochStartBytes);
            writeFloats(out, params);
            out.writeLong(optSteps);
            out.writeInt(optBuffers.length);
            for (float[] b : optBuffers) {
                writeFloats(out, b);
            }
            out.writeInt(residuals.length);
            for (float[][] layer : residuals) {
                out.writeInt(layer.length);
                for (float[] s : layer) {
                    writeFloats(out, s);
                }
            }
            out.writeInt(trainerState.length);
            for (float[] a : trainerState) {
                writeFloats(out, a);
            }
            out.writeUTF(exchangeState);
            out.flush();
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // a byte array stream does not fail
        }
        return bytes.toByteArray();
    }

    /**
     * {@link #write}, with an I/O failure as an {@link java.io.UncheckedIOException} naming the directory (for
     * trainers, whose callers see it as the run's failure).
     */
    public Path save(Path dir, int keep) {
        return Path.of(save(CheckpointStore.directory(dir), keep));
    }

    /** {@link #write(CheckpointStore, int)}, with an I/O failure as an {@link java.io.UncheckedIOException}. */
    public String save(CheckpointStore store, int keep) {
        try {
            return write(store, keep);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write a checkpoint into " + store + ": " + e.getMessage(),
                    e);
        }
    }

    /**
     * {@link #read}, refusing a checkpoint written by another configuration (naming both fingerprints); an I/O
     * failure as an {@link java.io.UncheckedIOException} naming the file.
     */
    public static Checkpoint readMatching(Path file, int maxFloats, String fingerprint) {
        Checkpoint c;
        try {
            c = read(file, maxFloats);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + file, e);
        }
        return matching(c, file.toString(), fingerprint);
    }

    /** {@link #readMatching(Path, int, String)} of rank {@code rank}'s checkpoint of step {@code step} in a store. */
    public static Checkpoint readMatching(CheckpointStore store, long step, int rank, int maxFloats,
                                          String fingerprint) {
        String where = store.location(step, rank);
        Checkpoint c;
        try {
            c = decode(store.read(step, rank), where, maxFloats);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot read " + where, e);
        }
        return matching(c, where, fingerprint);
    }

    /**
     * {@code c}, or a {@link CheckpointException} if it was written by another configuration. Fingerprints are
     * {@code key=value} pairs separated by {@code ;}; the message names every key whose values differ, on one
     * line, as {@code key <this run> != <checkpoint>} (e.g. {@code epochs 4 != 6}). One difference is allowed:
     * a larger {@value #EPOCHS_KEY} value than the checkpoint's, so a run that finished can be continued for more
     * epochs. A checkpoint without the {@value #DATA_HASH_KEY} key comes from an older version that did not record
     * the training data's content; it is refused, since its data cannot be checked.
     */
    static Checkpoint matching(Checkpoint c, String where, String fingerprint) {
        String why = mismatch(c.fingerprint(), fingerprint);
        if (why != null) {
            throw new CheckpointException(where + " " + why);
        }
        return c;
    }

    /** The fingerprint key of the epoch count, which a resumed run may raise. */
    public static final String EPOCHS_KEY = "epochs";
    /** The fingerprint key of the training data's {@link org.scaleml.train.data.Dataset#contentHash()}. */
    public static final String DATA_HASH_KEY = "dataHash";

    /**
     * Why a checkpoint of fingerprint {@code saved} cannot be resumed by a run of fingerprint {@code run}, or null
     * if it can (see {@link #matching}).
     */
    static String mismatch(String saved, String run) {
        if (saved.equals(run)) {
            return null;
        }
        java.util.Map<String, String> a = pairs(run);
        java.util.Map<String, String> b = pairs(saved);
        if (a == null || b == null) { // not key=value lists: compare whole
            return "was written by another configuration (this run != checkpoint): " + oneLine(run) + " != "
                    + oneLine(saved);
        }
        if (a.containsKey(DATA_HASH_KEY) && !b.containsKey(DATA_HASH_KEY)) {
            return "was written by an older version of ScaleML, which did not record the training data's content, "
                    + "so it cannot be resumed safely; start afresh in another checkpoint directory";
        }
        java.util.Set<String> keys = new java.util.LinkedHashSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<String> diffs = new java.util.ArrayList<>();
        String lowered = null;
        for (String k : keys) {
            String mine = a.getOrDefault(k, "(none)");
            String theirs = b.getOrDefault(k, "(none)");
            if (mine.equals(theirs)) {
                continue;
            }
            if (k.equals(EPOCHS_KEY)) {
                try {
                    if (Long.parseLong(mine) > Long.parseLong(theirs)) {
                        continue; // continuing for more epochs
                    }
                    lowered = "; a resumed run may raise the epoch count, not lower it";
                } catch (NumberFormatException e) {
                    // compared as text
                }
            }
            diffs.add(k + " " + oneLine(mine) + " != " + oneLine(theirs));
        }
        if (diffs.isEmpty()) {
            return null;
        }
        return "was written by another configuration (this run != checkpoint): " + String.join(", ", diffs)
                + (lowered != null ? lowered : "") + "; resume with the checkpoint's settings and data, or start "
                + "afresh in another checkpoint directory";
    }

    /** The pairs of a {@code k=v;k=v} fingerprint in order, or null if it is not one. */
    private static java.util.Map<String, String> pairs(String fp) {
        java.util.Map<String, String> m = new java.util.LinkedHashMap<>();
        for (String part : fp.split(";")) {
            int eq = part.indexOf('=');
            if (eq <= 0) {
                return null;
            }
            m.put(part.substring(0, eq), part.substring(eq + 1));
        }
        return m;
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*\\R\\s*", " ");
    }

    private static void writeFloats(DataOutputStream out, float[] a) throws IOException {
        out.writeInt(a.length);
        ByteBuffer bb = ByteBuffer.allocate(4 * a.length);
        bb.asFloatBuffer().put(a);
        out.write(bb.array());
    }

    /**
     * Reads a checkpoint file.
     *
     * @param maxFloats the largest length any array may have (the model's parameter count)
     * @throws CheckpointException naming the file and what is wrong: not a checkpoint, another version, damaged
     *                             (CRC), truncated, or a length out of bounds
     */
    public static Checkpoint read(Path file, int maxFloats) throws IOException {
        return decode(Files.readAllBytes(file), file.toString(), maxFloats);
    }

    /**
     * Reads a checkpoint from its bytes.
     *
     * @param file      where the bytes came from, for messages
     * @param maxFloats the largest length any array may have (the model's parameter count)
     * @throws CheckpointException as {@link #read}
     */
    public static Checkpoint decode(byte[] all, String file, int maxFloats) throws IOException {
        if (all.length < MAGIC.length + 12) {
            throw new CheckpointException(file + ": too short for a checkpoint (" + all.length + " bytes)");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (all[i] != MAGIC[i]) {
                throw new CheckpointException(file + ": not a ScaleML checkpoint (bad magic)");
            }
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 8);
        long stored = ByteBuffer.wrap(all, all.length - 8, 8).getLong();
        if (crc.getValue() != stored) {
            throw new CheckpointException(file + ": damaged (CRC32C mismatch)");
        }
        try (DataInputStream in = new DataInputStream(new java.io.ByteArrayInputStream(all, 0, all.length - 8))) {
            in.skipNBytes(MAGIC.length);
            int version = in.readInt();
            if (version != 1 && version != VERSION) {
                throw new CheckpointException(file + ": format version " + version + ", this build reads 1 to "
                        + VERSION);
            }
            String fp = in.readUTF();
            int rank = in.readInt();
            int world = in.readInt();
            long steps = in.readLong();
            double seconds = in.readDouble();
            long bytesSent = in.readLong();
            double epochLoss = in.readDouble();
            long epochSteps = in.readLong();
            double epochStartSeconds = in.readDouble();
            long epochStartBytes = in.readLong();
            float[] params = readFloats(in, maxFloats, file, "parameters");
            long optSteps = in.readLong();
            int nb = bounded(in.readInt(), MAX_TRAINER_ARRAYS, file, "optimizer buffer count");
            float[][] bufs = new float[nb][];
            for (int i = 0; i < nb; i++) {
                bufs[i] = readFloats(in, maxFloats, file, "optimizer buffer " + i);
            }
            int nl = bounded(in.readInt(), 1 << 16, file, "layer count");
            float[][][] res = new float[nl][][];
            for (int l = 0; l < nl; l++) {
                int ns = bounded(in.readInt(), 1 << 16, file, "stream count");
                res[l] = new float[ns][];
                for (int s = 0; s < ns; s++) {
                    res[l][s] = readFloats(in, maxFloats, file, "residual");
                }
            }
            float[][] trainer = new float[0][];
            String exchange = "";
            if (version >= 2) {
                int nt = bounded(in.readInt(), MAX_TRAINER_ARRAYS, file, "trainer state count");
                trainer = new float[nt][];
                for (int i = 0; i < nt; i++) {
                    trainer[i] = readFloats(in, maxFloats, file, "trainer state " + i);
                }
                exchange = in.readUTF();
            }
            if (in.available() != 0) {
                throw new CheckpointException(file + ": " + in.available() + " unexpected bytes before the CRC");
            }
            return new Checkpoint(fp, rank, world, steps, seconds, bytesSent, epochLoss, epochSteps,
                    epochStartSeconds, epochStartBytes, params,
                    optSteps, bufs, res, trainer, exchange);
        } catch (EOFException e) {
            throw new CheckpointException(file + ": truncated");
        } catch (java.io.UTFDataFormatException e) {
            throw new CheckpointException(file + ": damaged (a text field is not valid modified UTF-8)");
        }
    }

    private static int bounded(int v, int max, String file, String what) {
        if (v < 0 || v > max) {
            throw new CheckpointException(file + ": " + what + " " + v + " outside [0, " + max + "]");
        }
        return v;
    }

    private static float[] readFloats(DataInputStream in, int max, String file, String what) throws IOException {
        int n = bounded(in.readInt(), max, file, what + " length");
        byte[] b = in.readNBytes(4 * n);
        if (b.length != 4 * n) {
            throw new CheckpointException(file + ": truncated in " + what);
        }
        float[] a = new float[n];
        ByteBuffer.wrap(b).asFloatBuffer().get(a);
        return a;
    }

    /** A checkpoint that cannot be used, with the file and the reason. */
    public static final class CheckpointException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public CheckpointException(String message) {
            super(message);
        }
    }
}
