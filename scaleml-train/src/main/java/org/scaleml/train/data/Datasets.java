package org.scaleml.train.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.scaleml.common.SplitMix64;
import org.scaleml.common.io.CompressedInput;
import org.scaleml.common.io.Compression;
import org.scaleml.common.io.InputErrors;
import org.scaleml.common.io.TextScanner;

/**
 * Finds and loads a training and a test set from a name or a path.
 *
 * <p><b>What {@link #load(String)} accepts.</b>
 * <ul>
 *   <li>A known name, {@code fashion-mnist} or {@code mnist}: the IDX directory is looked for, in order, in
 *       {@code /usr/share/datasets/<name>/} (Debian's {@code dataset-fashion-mnist} package), then in
 *       {@code ../shared/data/<name>/} relative to the working directory, then the same {@code ../shared/data}
 *       relative to each ancestor of the working directory (so a test run from a module directory finds the
 *       workspace's data). If none holds the files, the error lists every place looked at.</li>
 *   <li>A directory holding {@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
 *       {@code t10k-images-idx3-ubyte} and {@code t10k-labels-idx1-ubyte}, each optionally with {@code .gz}.
 *       Images get shape {@code {1, 28, 28}} (rows and columns from the file); the test set has at least as many
 *       classes as the training set.</li>
 *   <li>A LIBSVM file: the test set is the file with {@code .t} appended if it exists (read with the training
 *       set's label map; both get the larger of the two feature counts), else a seeded split.</li>
 *   <li>A CSV file (name ending in {@code .csv} or {@code .csv.gz}, or content with commas and no colons): same
 *       rule, header detected, label in the first column.</li>
 * </ul>
 *
 * <p><b>Seeded split.</b> Without a separate test file, the examples are permuted by the split seed
 * ({@link #DEFAULT_SPLIT_SEED} unless given) and the first {@code round(0.8 n)} (at least one, leaving at least one)
 * become the training set, the rest the test set; both keep file order. The same file and seed always give the
 * same split.
 *
 * <p><b>Errors.</b> {@link NoSuchFileException} naming the path or the places searched; {@link DatasetFormatException}
 * for malformed files (file and line or offset).
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class Datasets {
    /*
     * Format detection for a plain file: extension first (.csv), else the first ten non-blank, non-comment lines
     * are sniffed: a ':' means LIBSVM, a ',' means CSV. Files of any kind may be gzip-compressed; open() detects
     * that from the two magic bytes 1f 8b (via mark/reset on a buffered stream), never from the name.
     */

    /** Names {@link #load(String)} knows. */
    public static final List<String> KNOWN = List.of("fashion-mnist", "mnist");
    /** The split seed {@link #load(String)} uses. */
    public static final long DEFAULT_SPLIT_SEED = 42;
    /** Fraction of the examples a seeded split puts in the training set. */
    public static final double TRAIN_FRACTION = 0.8;

    private static final long SPLIT_DOMAIN = 0x53504c4954000003L;
    private static final String[] IDX_FILES = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
        "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};

    private Datasets() {
    }

    /** A training set and the test set that goes with it. */
    public record TrainTest(Dataset train, Dataset test) {
    }

    /** Loads a known name or a path, with the default split seed. */
    public static TrainTest load(String nameOrPath) throws IOException {
        return load(nameOrPath, DEFAULT_SPLIT_SEED);
    }

    /** Loads a known name or a path; {@code splitSeed} fixes the train/test split of single-file data sets. */
    public static TrainTest load(String nameOrPath, long splitSeed) throws IOException {
        return load(nameOrPath, splitSeed, LibsvmReader.DEFAULT_MAX_FEATURES);
    }

    /**
     * {@link #load(String, long)}, refusing LIBSVM feature indices above {@code maxFeatures} (see
     * {@link LibsvmReader#DEFAULT_MAX_FEATURES}).
     */
    public static TrainTest load(String nameOrPath, long splitSeed, int maxFeatures) throws IOException {
        return load(nameOrPath, splitSeed, maxFeatures, 0);
    }

    /**
     * {@link #load(String, long, int)} with a declared class count: with {@code classes >= 2} the labels of every
     * format are the class indices {@code 0 .. classes-1} themselves (a label outside is an error naming the file
     * and its line or byte offset) and the data sets have exactly that many classes; with 0 the classes are
     * inferred (IDX: see {@link IdxReader#read(String, Path, Path, int)}; CSV and LIBSVM: see {@link LabelMap}).
     */
    public static TrainTest load(String nameOrPath, long splitSeed, int maxFeatures, int classes)
            throws IOException {
        if (classes < 0 || classes == 1) {
            throw new IllegalArgumentException("the class count must be 0 (inferred) or at least 2, got " + classes);
        }
        LabelMap declared = classes > 0 ? LabelMap.indices(classes) : null;
        String key = nameOrPath.trim();
        if (KNOWN.contains(key.toLowerCase(Locale.ROOT))) {
            String name = key.toLowerCase(Locale.ROOT);
            List<Path> looked = candidates(name, Path.of("").toAbsolutePath());
            for (Path dir : looked) {
                if (hasIdx(dir)) {
                    return loadIdxDirectory(dir, name, classes);
                }
            }
            StringBuilder b = new StringBuilder(name + " not found; looked for its IDX files ("
                    + String.join(", ", IDX_FILES) + ", optionally .gz) in:");
            for (Path p : looked) {
                b.append("\n  ").append(p).append(Files.isDirectory(p) ? " (incomplete)" : " (absent)");
            }
            b.append("\ninstall Debian's dataset-").append(name).append(" package or pass the directory path");
            throw new NoSuchFileException(b.toString());
        }
        Path p = Path.of(key);
        if (Files.isDirectory(p)) {
            return loadIdxDirectory(p, String.valueOf(p.toAbsolutePath().normalize().getFileName()), classes);
        }
        if (!Files.isRegularFile(p)) {
            throw new NoSuchFileException(key + ": no such file or directory, and not a known data set name "
                    + KNOWN);
        }
        Path test = p.resolveSibling(p.getFileName() + ".t");
        boolean hasTest = Files.isRegularFile(test);
        if (isCsv(p)) {
            CsvReader.Result tr = CsvReader.read(p, CsvReader.Options.defaults().withLabels(declared));
            if (!hasTest) {
                return split(tr.data(), TRAIN_FRACTION, splitSeed);
            }
            CsvReader.Result te = CsvReader.read(test, CsvReader.Options.defaults().withLabels(tr.labels()));
            if (te.data().features() != tr.data().features()) {
                throw DatasetFormatException.atLine(test, 0, te.data().features() + " features, but "
                        + p.getFileName() + " has " + tr.data().features());
            }
            return new TrainTest(tr.data(), te.data());
        }
        LibsvmReader.Result tr = LibsvmReader.read(p, declared, 0, maxFeatures);
        if (!hasTest) {
            return split(tr.data(), TRAIN_FRACTION, splitSeed);
        }
        LibsvmReader.Result te = LibsvmReader.read(test, tr.labels(), 0, maxFeatures);
        int f = Math.max(tr.data().features(), te.data().features());
        return new TrainTest(withFeatures(tr.data(), f), withFeatures(te.data(), f));
    }

    /** Loads the four IDX files of a directory (see the class comment); data sets named {@code name/train}, ... */
    public static TrainTest loadIdxDirectory(Path dir, String name) throws IOException {
        return loadIdxDirectory(dir, name, 0);
    }

    /**
     * {@link #loadIdxDirectory(Path, String)} with a declared class count (0: inferred from the training labels;
     * see {@link IdxReader#read(String, Path, Path, int)}). The test set has the training set's classes: a test
     * label outside them is an error, as are test images of another size than the training images.
     */
    public static TrainTest loadIdxDirectory(Path dir, String name, int classes) throws IOException {
        Path[] f = new Path[4];
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            f[i] = idxFile(dir, IDX_FILES[i]);
            if (f[i] == null) {
                missing.add(IDX_FILES[i] + "[.gz]");
            }
        }
        if (!missing.isEmpty()) {
            throw new NoSuchFileException(dir + ": missing IDX file(s) " + missing);
        }
        Dataset train = IdxReader.read(name + "/train", f[0], f[1], classes);
        Dataset test = IdxReader.read(name + "/test", f[2], f[3], train.classes());
        // the sizes must agree, not only the pixel counts: a cnn built for the training images would fail at
        // the first evaluation, after an epoch of training
        int[] a = train.shape();
        int[] b = test.shape();
        if (a[1] != b[1] || a[2] != b[2]) {
            throw DatasetFormatException.atOffset(f[2], 8, "images are " + b[1] + " x " + b[2] + " pixels, the "
                    + "training images (" + f[0].getFileName() + ") " + a[1] + " x " + a[2], null);
        }
        return new TrainTest(train, test);
    }

    /** A seeded split (see the class comment) with the given training fraction in (0, 1). */
    public static TrainTest split(Dataset data, double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("train fraction must be in (0, 1), got " + trainFraction);
        }
        int n = data.size();
        if (n < 2) {
            throw new IllegalArgumentException(data.name() + ": " + n + " example(s) cannot be split");
        }
        int k = (int) Math.max(1, Math.min(n - 1, Math.round(trainFraction * n)));
        int[] perm = Sharding.permutation(n, SplitMix64.mix(seed ^ SPLIT_DOMAIN));
        int[] tr = Arrays.copyOfRange(perm, 0, k);
        int[] te = Arrays.copyOfRange(perm, k, n);
        Arrays.sort(tr);
        Arrays.sort(te);
        return new TrainTest(data.subset(data.name() + "/train", tr), data.subset(data.name() + "/test", te));
    }

    /**
     * The directories searched for a known name, in order, from working directory {@code cwd}:
     * {@code /usr/share/datasets/<name>}, then {@code <a>/../shared/data/<name>} for {@code a} = cwd and each
     * ancestor.
     */
    static List<Path> candidates(String name, Path cwd) {
        Set<Path> out = new LinkedHashSet<>();
        out.add(Path.of("/usr/share/datasets", name));
        for (Path a = cwd.toAbsolutePath(); a != null; a = a.getParent()) {
            out.add(a.resolve("../shared/data").resolve(name).normalize());
        }
        return new ArrayList<>(out);
    }

    private static boolean hasIdx(Path dir) {
        if (!Files.isDirectory(dir)) {
            return false;
        }
        for (String f : IDX_FILES) {
            if (idxFile(dir, f) == null) {
                return false;
            }
        }
        return true;
    }

    private static Path idxFile(Path dir, String base) {
        for (String ext : new String[] {"", ".gz"}) {
            Path p = dir.resolve(base + ext);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static Dataset withFeatures(Dataset d, int features) {
        return d.features() == features ? d : Dataset.sparse(d.name(), d.rowStart(), d.columns(), d.values(),
                d.labels(), features, d.classes());
    }

    private static boolean isCsv(Path p) throws IOException {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".csv") || n.endsWith(".csv.gz")) {
            return true;
        }
        try (TextScanner<IOException> r = lines(p)) {
            int seen = 0;
            String s;
            while (seen < 10 && (s = r.readLine()) != null) {
                int hash = s.indexOf('#');
                String t = (hash >= 0 ? s.substring(0, hash) : s).strip();
                if (t.isEmpty()) {
                    continue;
                }
                seen++;
                if (t.indexOf(':') >= 0) {
                    return false;
                }
                if (t.indexOf(',') >= 0) {
                    return true;
                }
            }
        }
        throw DatasetFormatException.atLine(p, 0, "cannot tell the format: neither LIBSVM (label index:value ...) "
                + "nor CSV (comma-separated) in the first lines");
    }

    /**
     * How the text and IDX readers report problems in {@code file}: malformed text at a line; a bad gzip header
     * at byte offset 0; gzip data that ends early or is corrupt at the line being read; other failures as they
     * are.
     */
    static InputErrors<IOException> errors(Path file) {
        return new InputErrors<>() {
            @Override
            public IOException malformed(long line, int token, String detail) {
                return DatasetFormatException.atLine(file, line, detail);
            }

            @Override
            public IOException corrupt(long line, Compression compression, IOException e) {
                if (line == 0) {
                    return DatasetFormatException.atOffset(file, 0, "bad gzip header: " + e.getMessage(), e);
                }
                return DatasetFormatException.atLine(file, line, "gzip data "
                        + (e instanceof EOFException ? "ends early" : "is corrupt (" + e.getMessage() + ")"), e);
            }

            @Override
            public IOException failed(long line, IOException e) {
                return e;
            }
        };
    }

    /** Opens a file, decompressing it if it starts with the gzip magic bytes {@code 1f 8b}. */
    static InputStream open(Path file) throws IOException {
        return CompressedInput.GZIP_ONLY.open(file, errors(file)).in();
    }

    /** Opens a text file (plain or gzip) for reading line by line ({@link TextScanner#readLine()}). */
    static TextScanner<IOException> lines(Path file) throws IOException {
        InputErrors<IOException> errors = errors(file);
        return new TextScanner<>(CompressedInput.GZIP_ONLY.open(file, errors), errors);
    }
}
