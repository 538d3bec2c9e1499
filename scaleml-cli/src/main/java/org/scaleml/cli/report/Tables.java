package org.scaleml.cli.report;

import java.util.List;

/** Layout and number helpers shared by the reports. */
public final class Tables {
    private Tables() {
    }

    /** Rounds to 6 decimals for JSON; non-finite values become 0. */
    static double round6(double v) {
        return Double.isFinite(v) ? Math.round(v * 1e6) / 1e6 : 0.0;
    }

    /** Rounds to 3 decimals for JSON; non-finite values become 0. */
    static double round3(double v) {
        return Double.isFinite(v) ? Math.round(v * 1000.0) / 1000.0 : 0.0;
    }

    /** First column left-aligned, the others right-aligned; two spaces between columns; header underlined. */
    public static String align(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] width = new int[cols];
        for (String[] row : rows) {
            for (int c = 0; c < cols; c++) {
                width[c] = Math.max(width[c], row[c].length());
            }
        }
        int total = 2 * (cols - 1);
        for (int wd : width) {
            total += wd;
        }
        StringBuilder sb = new StringBuilder();
        for (int r = 0; r < rows.size(); r++) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < cols; c++) {
                String cell = rows.get(r)[c];
                String pad = " ".repeat(width[c] - cell.length());
                line.append(c > 0 ? "  " : "").append(c == 0 ? cell + pad : pad + cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
            if (r == 0) {
                sb.append("-".repeat(total)).append('\n');
            }
        }
        return sb.toString();
    }
}
