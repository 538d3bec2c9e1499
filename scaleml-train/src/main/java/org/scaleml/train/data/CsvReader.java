package org.scaleml.train.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.scaleml.common.io.TextScanner;

/**
 * Reads numeric CSV files into a dense {@link Dataset}, streaming the file once. Plain or gzip (detected from the
 * magic bytes).
 *
 * <p><b>Format.</b> One example per line, fields separated by {@link Options#delimiter()} (default {@code ,});
 * surrounding spaces and double quotes around a field are ignored; blank lines are skipped. Every row has the
 * same number of fields. One field is the label ({@link Options#labelColumn()}: {@code first} (default),
 * {@code last}, a 0-based column number, or a header name); the others are the features, in file order. Labels
 * are non-negative integers (at most {@link #MAX_LABEL}) mapped to classes by a {@link LabelMap}: inferred (the
 * model then has one class per distinct label, or two for 0/1 labels), or given, e.g. {@link LabelMap#indices} when
 * the class count is declared, or a training file's map so a test file matches it.
 *
 * <p><b>Header.</b> {@link Header#AUTO} (default) treats the first non-blank line as a header if any of its
 * fields is not a number; {@link Header#PRESENT} and {@link Header#ABSENT} force the choice.
 *
 * <p><b>Errors.</b> {@link DatasetFormatException} with {@code file:line: what}: a field that is not a finite
 * number (naming the column), an empty field, a row with the wrong field count, an unknown label column, a label
 * that is not a non-negative integer, a label the given map does not know.
 *
 * <p><b>Thread safety.</b> Stateless; all methods may be called concurrently.
 */
public final class CsvReader {
    /** The largest label an inferred label map accepts. */
    public static final int MAX_LABEL = 1 << 20;

    /*
     * One pass: fields are cut by hand at the delimiter (no quoting rules beyond stripping one pair of outer
     * quotes: the format is numeric), features appended to a doubling float[], raw labels to a double[]. The
     * column count and label column are fixed by the first row (header or data); afterwards the label map is
     * inferred or applied, then the arrays are trimmed and wrapped without further copying.
     */

    private CsvReader() {
    }

    /** Whether the first non-blank line is a header. */
    public enum Header { AUTO, PRESENT, ABSENT }

    /**
     * Reading options.
     *
     * @param header      header handling
     * @param labelColumn {@code first}, {@code last}, a 0-based column number, or a header name
     * @param delimiter   field separator
     * @param labels      the label map to apply, or {@code null} to infer it
     */
    public record Options(Header header, String labelColumn, char delimiter, LabelMap labels) {
        public Options {
            Objects.requireNonNull(header, "header");
            Objects.requireNonNull(labelColumn, "labelColumn");
            if (delimiter == '"' || delimiter == '\n' || delimiter == '\r') {
                throw new IllegalArgumentException("delimiter " + delimiter + " cannot separate fields");
            }
        }

        /** Header detected, label in the first column, comma-separated, labels inferred. */
        public static Options defaults() {
            return new Options(Header.AUTO, "first", ',', null);
        }

        public Options withHeader(Header h) {
            return new Options(h, labelColumn, delimiter, labels);
        }

        public Options withLabelColumn(String c) {
            return new Options(header, c, delimiter, labels);
        }

        public Options withDelimiter(char d) {
            return new Options(header, labelColumn, d, labels);
        }

        public Options withLabels(LabelMap m) {
            return new Options(header, labelColumn, delimiter, m);
        }
    }

    /** A data set and the label map used to build it. */
    public record Result(Dataset data, LabelMap labels) {
    }

    /** Reads a file with {@link Options#defaults()}. */
    public static Dataset read(Path file) throws IOException {
        return read(file, Options.defaults()).data();
    }

    /**
     * Reads a file.
     *
     * @throws DatasetFormatException if the file is malformed
     */
    public static Result read(Path file, Options opt) throws IOException {
        long line = 0;
        int columns = -1;
        int labelCol = -1;
        int rows = 0;
        long n = 0;
        float[] x = new float[8192];
        double[] raw = new double[1024];
        List<String> fields = new ArrayList<>();
        try (TextScanner<IOException> r = Datasets.lines(file)) {
            String s;
            while ((s = r.readLine()) != null) {
                line++;
                if (s.isBlank()) {
                    continue;
                }
                split(s, opt.delimiter(), fields);
                if (columns < 0) {
                    columns = fields.size();
                    if (columns < 2) {
                        throw DatasetFormatException.atLine(file, line, "only " + columns + " field; a label and "
                                + "at least one feature are needed (delimiter '" + opt.delimiter() + "')");
                    }
                    boolean header = switch (opt.header()) {
                        case PRESENT -> true;
                        case ABSENT -> false;
                        case AUTO -> fields.stream().anyMatch(f -> !isNumber(f));
                    };
                    labelCol = labelColumn(file, line, opt.labelColumn(), header ? fields : null, columns);
                    if (header) {
                        continue;
                    }
                }
                if (fields.size() != columns) {
                    throw DatasetFormatException.atLine(file, line, fields.size() + " fields, but the first row has "
                            + columns);
                }
                if (rows == raw.length) {
                    if (rows >= Integer.MAX_VALUE - 9) {
                        throw DatasetFormatException.atLine(file, line, "more than " + rows + " examples");
                    }
                    raw = Arrays.copyOf(raw, (int) Math.min(Integer.MAX_VALUE - 8L, 2L * raw.length));
                }
                if (n + columns - 1 > x.length) {
                    if (n + columns - 1 > Integer.MAX_VALUE - 8L) {
                        throw DatasetFormatException.atLine(file, line, "more than " + n + " feature values");
                    }
                    x = Arrays.copyOf(x, (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(n + columns, 2L * x.length)));
                }
                for (int c = 0; c < columns; c++) {
                    String f = fields.get(c);
                    if (f.isEmpty()) {
                        throw DatasetFormatException.atLine(file, line, "column " + c + " is empty");
                    }
                    double v;
                    try {
                        v = Double.parseDouble(f);
                    } catch (NumberFormatException e) {
                        v = Double.NaN;
                    }
                    if (!Double.isFinite(v) || !isNumber(f) || (c != labelCol && !Float.isFinite((float) v))) {
                        throw DatasetFormatException.atLine(file, line, "column " + c + (c == labelCol ? " (label)"
                                : "") + ": '" + f + "' is not a finite number");
                    }
                    if (c == labelCol) {
                        if (opt.labels() != null && opt.labels().classOf(v) < 0) {
                            throw DatasetFormatException.atLine(file, line, "label " + f + " is not "
                                    + (opt.labels().isIndices() ? "one of the " + opt.labels().classes()
                                    + " declared classes 0 to " + (opt.labels().classes() - 1)
                                    : "in the given label map " + opt.labels()));
                        }
                        if (opt.labels() == null && !(v >= 0 && v <= MAX_LABEL && v == Math.rint(v))) {
                            throw DatasetFormatException.atLine(file, line, "label '" + f + "' is not a class: "
                                    + "labels must be integers from 0 to " + MAX_LABEL);
                        }
                        raw[rows] = v;
                    } else {
                        x[(int) n++] = (float) v;
                    }
                }
                rows++;
            }
        }
        if (rows == 0) {
            throw DatasetFormatException.atLine(file, 0, "no data rows");
        }
        double[] lab = Arrays.copyOf(raw, rows);
        LabelMap map = opt.labels();
        if (map == null) {
            try {
                map = LabelMap.infer(lab);
            } catch (IllegalArgumentException e) {
                throw DatasetFormatException.atLine(file, 0, e.getMessage());
            }
        }
        int[] classes = new int[rows];
        for (int k = 0; k < rows; k++) {
            classes[k] = map.classOf(lab[k]);
        }
        Dataset d = Dataset.dense(String.valueOf(file.getFileName()), Arrays.copyOf(x, (int) n), classes,
                columns - 1, map.classes());
        return new Result(d, map);
    }

    private static int labelColumn(Path file, long line, String spec, List<String> header, int columns)
            throws DatasetFormatException {
        String s = spec.trim();
        if (s.equalsIgnoreCase("first")) {
            return 0;
        }
        if (s.equalsIgnoreCase("last")) {
            return columns - 1;
        }
        if (!s.isEmpty() && s.chars().allMatch(Character::isDigit)) {
            int c;
            try {
                c = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                c = Integer.MAX_VALUE;
            }
            if (c >= columns) {
                throw DatasetFormatException.atLine(file, line, "label column " + s + " does not exist; the rows have "
                        + columns + " columns (0-based numbers 0.." + (columns - 1) + ")");
            }
            return c;
        }
        if (header != null) {
            int c = header.indexOf(s);
            if (c >= 0) {
                return c;
            }
        }
        throw DatasetFormatException.atLine(file, line, "label column '" + spec + "' is not first, last, a 0-based "
                + "column number" + (header == null ? " (the file has no header, so no names)" : " or a header name "
                + header));
    }

    private static void split(String s, char delim, List<String> out) {
        out.clear();
        int from = 0;
        while (true) {
            int to = s.indexOf(delim, from);
            String f = (to < 0 ? s.substring(from) : s.substring(from, to)).strip();
            if (f.length() >= 2 && f.charAt(0) == '"' && f.charAt(f.length() - 1) == '"') {
                f = f.substring(1, f.length() - 1).strip();
            }
            out.add(f);
            if (to < 0) {
                return;
            }
            from = to + 1;
        }
    }

    /** A plain decimal number (no hex, no NaN/Infinity, no f/d suffix). */
    private static boolean isNumber(String f) {
        if (f.isEmpty()) {
            return false;
        }
        for (int i = 0; i < f.length(); i++) {
            char c = f.charAt(i);
            if (!(c >= '0' && c <= '9' || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E')) {
                return false;
            }
        }
        try {
            Double.parseDouble(f);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }
}
