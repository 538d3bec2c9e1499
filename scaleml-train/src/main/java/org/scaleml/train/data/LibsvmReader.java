package org.scaleml.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import org.scaleml.common.io.TextScanner;

/**
 * Reads svmlight / LIBSVM text files into a sparse (CSR) {@link Dataset}, streaming the file once. Plain or gzip
 * (detected from the magic bytes).
 *
 * <p><b>Format.</b> One example per line: {@code label index:value index:value ...}, indices 1-based and strictly
 * increasing within a line; an optional svmlight {@code qid:N} right after the label is skipped; {@code #} starts a
 * comment that runs to the end of the line; blank and comment-only lines are skipped. Values must be finite.
 * Feature index {@code i} becomes column {@code i - 1}. Explicit zero values are kept as written.
 *
 * <p><b>Labels.</b> Mapped to classes by a {@link LabelMap}: inferred from the file by default (binary
 * {@code +1/-1} or {@code 1/0}: positive = class 1; otherwise sorted ascending), or given, so a test file
 * matches its training file; a label the given map does not know is an error.
 *
 * <p><b>Features.</b> Inferred as the largest index, or given: pass the training set's count when reading its test
 * set (a9a has 123 features, a9a.t uses only up to 122). An index above a given count is an error.
 *
 * <p><b>Errors.</b> {@link DatasetFormatException} with {@code file:line: what}: a bad label or value, a bad or
 * non-positive index, indices that do not increase, a token without a colon, an index above the given feature
 * count, an unknown label.
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class LibsvmReader {
    /*
     * One pass: each line is scanned by hand (no regex, no split) into growing primitive arrays (doubling):
     * rowStart (long), columns, values, and the raw labels as doubles. After the pass the label map is inferred
     * (or the given one applied) and the features fixed, then the arrays are trimmed and wrapped in a Dataset
     * without further copying. Arrays grow only with the data actually read, never from a count in the file.
     */

    private LibsvmReader() {
    }

    /**
     * The largest feature index read by default (2^24): a model's parameters grow with it, so an index from a damaged
     * or hostile file must not size them; larger data sets pass their own limit.
     */
    public static final int DEFAULT_MAX_FEATURES = 1 << 24;

    /** A data set and the label map used to build it (reuse the map for the matching test file). */
    public record Result(Dataset data, LabelMap labels) {
    }

    /** Reads a file, inferring labels and features; the data set is named after the file. */
    public static Dataset read(Path file) throws IOException {
        return read(file, null, 0).data();
    }

    /**
     * Reads a file.
     *
     * @param labels   the label map to apply, or {@code null} to infer it from the file
     * @param features the feature count, or 0 to use the largest index in the file
     * @throws DatasetFormatException if the file is malformed
     */
    public static Result read(Path file, LabelMap labels, int features) throws IOException {
        return read(file, labels, features, DEFAULT_MAX_FEATURES);
    }

    /**
     * Reads a file, refusing any feature index above {@code maxFeatures} (at its line, before anything is sized by
     * it).
     *
     * @throws DatasetFormatException if the file is malformed or an index exceeds {@code maxFeatures}
     */
    public static Result read(Path file, LabelMap labels, int features, int maxFeatures) throws IOException {
        if (features < 0) {
            throw new IllegalArgumentException("features must be >= 0 (0 = infer), got " + features);
        }
        if (maxFeatures < 1) {
            throw new IllegalArgumentException("maxFeatures must be >= 1, got " + maxFeatures);
        }
        Parser p = new Parser(file, features, labels, maxFeatures);
        try (TextScanner<IOException> r = Datasets.lines(file)) {
            String line;
            while ((line = r.readLine()) != null) {
                p.line++;
                p.parse(line);
            }
        }
        return p.finish();
    }

    private static final class Parser {
        final Path file;
        final int givenFeatures;
        final LabelMap given;
        long line;
        int rows;
        long nnz;
        long[] rowStart = new long[1024];
        int[] columns = new int[8192];
        float[] values = new float[8192];
        double[] raw = new double[1024];
        int maxIndex;
        final int maxFeatures;

        Parser(Path file, int features, LabelMap given, int maxFeatures) {
            this.file = file;
            this.givenFeatures = features;
            this.given = given;
            this.maxFeatures = maxFeatures;
        }

        DatasetFormatException error(String what) {
            return DatasetFormatException.atLine(file, line, what);
        }

        void parse(String s) throws DatasetFormatException {
            int end = s.indexOf('#');
            if (end < 0) {
                end = s.length();
            }
            int i = skipSpace(s, 0, end);
            if (i == end) {
                return;
            }
            int j = token(s, i, end);
            double label = parseDouble(s, i, j, "label");
            if (rows == Integer.MAX_VALUE - 9) {
                throw error("more than " + rows + " examples");
            }
            if (rows + 1 >= rowStart.length) {
                rowStart = Arrays.copyOf(rowStart, rowStart.length * 2);
                raw = Arrays.copyOf(raw, rowStart.length);
            }
            if (given != null && given.classOf(label) < 0) {
                throw error("label " + LabelMap.fmt(label) + " is not in the given label map " + given);
            }
            raw[rows] = label;
            int prev = 0;
            boolean first = true;
            for (i = skipSpace(s, j, end); i < end; i = skipSpace(s, j, end)) {
                j = token(s, i, end);
                int colon = s.indexOf(':', i);
                if (colon < 0 || colon >= j) {
                    throw error("token '" + s.substring(i, j) + "' has no ':' (expected index:value)");
                }
                if (first && s.startsWith("qid:", i)) {
                    first = false;
                    continue;
                }
                first = false;
                int index;
                try {
                    index = Integer.parseInt(s, i, colon, 10); // above Integer.MAX_VALUE: "bad feature index"
                } catch (NumberFormatException e) {
                    throw error("bad feature index '" + s.substring(i, colon) + "' in '" + s.substring(i, j) + "'");
                }
                if (index <= 0) {
                    throw error("feature index " + index + " must be >= 1 (indices are 1-based)");
                }
                if (index <= prev) {
                    throw error("feature index " + index + " does not increase (it follows " + prev + ")");
                }
                if (index > maxFeatures) {
                    throw error("feature index " + index + " exceeds the limit of " + maxFeatures
                            + " features (raise it with --max-features if the data really has that many)");
                }
                if (givenFeatures > 0 && index > givenFeatures) {
                    throw error("feature index " + index + " exceeds the feature count " + givenFeatures);
                }
                float v = (float) parseDouble(s, colon + 1, j, "value of feature " + index);
                if (!Float.isFinite(v)) {
                    throw error("value of feature " + index + " '" + s.substring(colon + 1, j)
                            + "' overflows a float");
                }
                prev = index;
                if (nnz == columns.length) {
                    if (nnz >= Integer.MAX_VALUE - 8) {
                        throw error("more than " + nnz + " non-zero values");
                    }
                    int cap = (int) Math.min(Integer.MAX_VALUE - 8L, 2L * columns.length);
                    columns = Arrays.copyOf(columns, cap);
                    values = Arrays.copyOf(values, cap);
                }
                columns[(int) nnz] = index - 1;
                values[(int) nnz] = v;
                nnz++;
            }
            maxIndex = Math.max(maxIndex, prev);
            rows++;
            rowStart[rows] = nnz;
        }

        double parseDouble(String s, int from, int to, String what) throws DatasetFormatException {
            String t = s.substring(from, to);
            double d;
            try {
                d = Double.parseDouble(t);
            } catch (NumberFormatException e) {
                throw error("bad " + what + " '" + t + "': not a number");
            }
            if (!Double.isFinite(d) || t.indexOf('x') >= 0 || t.indexOf('X') >= 0 || Character.isLetter(
                    t.charAt(t.length() - 1))) {
                throw error("bad " + what + " '" + t + "': not a finite decimal number");
            }
            return d;
        }

        Result finish() throws DatasetFormatException {
            if (rows == 0) {
                throw DatasetFormatException.atLine(file, 0, "no examples (empty or only comments)");
            }
            double[] lab = Arrays.copyOf(raw, rows);
            LabelMap map;
            if (given != null) {
                map = given;
            } else {
                try {
                    map = LabelMap.infer(lab);
                } catch (IllegalArgumentException e) {
                    throw DatasetFormatException.atLine(file, 0, e.getMessage());
                }
            }
            int[] classes = new int[rows];
            for (int k = 0; k < rows; k++) {
                int c = map.classOf(lab[k]);
                if (c < 0) {
                    throw DatasetFormatException.atLine(file, 0, "example " + (k + 1) + " has label "
                            + LabelMap.fmt(lab[k]) + ", which the label map " + map + " does not know");
                }
                classes[k] = c;
            }
            int features = givenFeatures > 0 ? givenFeatures : Math.max(1, maxIndex);
            Dataset d = Dataset.sparse(String.valueOf(file.getFileName()), Arrays.copyOf(rowStart, rows + 1),
                    Arrays.copyOf(columns, (int) nnz), Arrays.copyOf(values, (int) nnz), classes, features,
                    map.classes());
            return new Result(d, map);
        }
    }

    static int skipSpace(String s, int i, int end) {
        while (i < end && (s.charAt(i) == ' ' || s.charAt(i) == '\t' || s.charAt(i) == '\r')) {
            i++;
        }
        return i;
    }

    private static int token(String s, int i, int end) {
        while (i < end && s.charAt(i) != ' ' && s.charAt(i) != '\t' && s.charAt(i) != '\r') {
            i++;
        }
        return i;
    }
}
