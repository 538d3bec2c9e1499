package org.scaleml.train.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvReaderTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    @Test
    void detectedHeaderFirstColumnLabel() throws IOException {
        Dataset d = CsvReader.read(write("h.csv", "label,a,b\n1,0.5,2\n\n0, 1.5 ,\"3\"\n"));
        assertThat(d.isSparse()).isFalse();
        assertThat(d.size()).isEqualTo(2);
        assertThat(d.features()).isEqualTo(2);
        assertThat(d.labels()).containsExactly(1, 0);
        assertThat(d.dense()).containsExactly(0.5f, 2f, 1.5f, 3f);
    }

    @Test
    void noHeaderLastColumnAndNamedColumn() throws IOException {
        Path p = write("n.csv", "1,2,5\n3,4,7\n5,6,5\n");
        CsvReader.Result r = CsvReader.read(p, CsvReader.Options.defaults().withLabelColumn("last"));
        assertThat(r.data().dense()).containsExactly(1f, 2f, 3f, 4f, 5f, 6f);
        assertThat(r.data().labels()).containsExactly(0, 1, 0);
        assertThat(r.labels().label(1)).isEqualTo(7.0);
        Path h = write("named.csv", "x;y;class\n1;2;3\n4;5;6\n");
        Dataset d = CsvReader.read(h, CsvReader.Options.defaults().withDelimiter(';').withLabelColumn("class"))
                .data();
        assertThat(d.dense()).containsExactly(1f, 2f, 4f, 5f);
        assertThat(d.labels()).containsExactly(0, 1);
        Dataset c1 = CsvReader.read(p, CsvReader.Options.defaults().withLabelColumn("1")).data();
        assertThat(c1.dense()).containsExactly(1f, 5f, 3f, 7f, 5f, 5f);
    }

    @Test
    void forcedHeader() throws IOException {
        Path p = write("f.csv", "0,1,2\n1,3,4\n0,5,6\n");
        Dataset d = CsvReader.read(p, CsvReader.Options.defaults().withHeader(CsvReader.Header.PRESENT)).data();
        assertThat(d.size()).isEqualTo(2);
        assertThat(CsvReader.read(p, CsvReader.Options.defaults().withHeader(CsvReader.Header.ABSENT)).data().size())
                .isEqualTo(3);
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        assertError("a,b\n1,2\n0,x\n", CsvReader.Options.defaults(), "bad.csv:3: column 1: 'x' is not a finite number");
        assertError("1,2\n0,2,3\n", CsvReader.Options.defaults(), "bad.csv:2: 3 fields, but the first row has 2");
        assertError("1,2\n0,\n", CsvReader.Options.defaults(), "bad.csv:2: column 1 is empty");
        assertError("1,2\nNaN,2\n", CsvReader.Options.defaults(), "bad.csv:2: column 0 (label)");
        assertError("1,2\n0,2\n", CsvReader.Options.defaults().withLabelColumn("y"),
                "bad.csv:1: label column 'y' is not first, last");
        assertError("1,2\n0,2\n", CsvReader.Options.defaults().withLabelColumn("5"),
                "bad.csv:1: label column 5 does not exist");
        assertError("1,2\n0,2\n", CsvReader.Options.defaults().withLabels(LabelMap.sorted(3, 4)),
                "bad.csv:1: label 1 is not in the given label map");
        assertError("12\n", CsvReader.Options.defaults(), "bad.csv:1: only 1 field");
        assertError("a,b\n", CsvReader.Options.defaults(), "bad.csv: no data rows");
    }

    @Test
    void labelsMustBeNonNegativeIntegersOrWithinTheDeclaredClasses() throws IOException {
        assertError("0,1\n1,2\n2.5,3\n", CsvReader.Options.defaults(),
                "bad.csv:3: label '2.5' is not a class: labels must be integers from 0 to");
        assertError("0,1\n-1,2\n", CsvReader.Options.defaults(), "bad.csv:2: label '-1' is not a class");
        assertError("0,1\n1e9,2\n", CsvReader.Options.defaults(), "bad.csv:2: label '1e9' is not a class");
        assertError("0,1\n1,2\n12,3\n", CsvReader.Options.defaults().withLabels(LabelMap.indices(10)),
                "bad.csv:3: label 12 is not one of the 10 declared classes 0 to 9");
        // declared: exactly K classes, labels as indices (class 2 need not occur)
        Dataset d = CsvReader.read(write("k.csv", "0,1\n3,2\n1,3\n"), CsvReader.Options.defaults()
                .withLabels(LabelMap.indices(4))).data();
        assertThat(d.classes()).isEqualTo(4);
        assertThat(d.labels()).containsExactly(0, 3, 1);
    }

    private void assertError(String text, CsvReader.Options o, String msg) throws IOException {
        Path p = write("bad.csv", text);
        assertThatThrownBy(() -> CsvReader.read(p, o))
                .isInstanceOf(DatasetFormatException.class)
                .hasMessageStartingWith(msg);
    }
}
