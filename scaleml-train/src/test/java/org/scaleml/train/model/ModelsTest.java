package org.scaleml.train.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelsTest {
    private static final int[] FLAT = {784};
    private static final int[] IMAGE = {1, 28, 28};

    @Test
    void defaultsAndCanonicalSpecs() {
        Model mlp = Models.create("mlp", FLAT, 10);
        assertThat(mlp.spec()).isEqualTo("mlp:hidden=256-128,act=relu");
        assertThat(mlp.parameterCount()).isEqualTo(784 * 256 + 256 + 256 * 128 + 128 + 128 * 10 + 10);
        assertThat(mlp.layers()).extracting(Layer::name).containsExactly("fc1.weight", "fc1.bias", "fc2.weight",
                "fc2.bias", "fc3.weight", "fc3.bias");
        assertThat(Models.create(" MLP : act = tanh , hidden = 64 ", FLAT, 10).spec())
                .isEqualTo("mlp:hidden=64,act=tanh");

        Model cnn = Models.create("cnn", IMAGE, 10);
        assertThat(cnn.spec()).isEqualTo("cnn:c1=16,c2=32,fc=128");
        assertThat(cnn.layers()).extracting(Layer::name).containsExactly("conv1.weight", "conv1.bias",
                "conv2.weight", "conv2.bias", "fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias");
        assertThat(cnn.layers().get(0).length()).isEqualTo(16 * 25);
        assertThat(cnn.layers().get(2).length()).isEqualTo(32 * 16 * 25);
        assertThat(cnn.layers().get(4).length()).isEqualTo(32 * 7 * 7 * 128);
        assertThat(Models.create("cnn:c1=8,c2=16,fc=64", new int[] {3, 32, 32}, 10).layers().get(4).length())
                .isEqualTo(16 * 8 * 8 * 64);

        assertThat(Models.create("logreg", new int[] {123}, 2).parameterCount()).isEqualTo(124);
        assertThat(Models.create("softmax", FLAT, 10).parameterCount()).isEqualTo(7850);
        assertThat(Models.create("softmax", IMAGE, 10).inputs()).isEqualTo(784);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "nope                      | unknown model 'nope'; accepted: logreg, softmax, mlp, cnn",
            "''                        | empty model specification",
            "mlp:width=3               | mlp: unknown option 'width'; accepted: hidden, act",
            "mlp:hidden=256-x          | hidden=256-x: 'x' is not a width",
            "mlp:hidden=256--128       | hidden=256--128: '' is not a width",
            "mlp:hidden=0              | hidden=0: '0' is not a width",
            "mlp:act=gelu              | unknown activation 'gelu'; accepted: relu, tanh, sigmoid",
            "mlp:hidden=4,hidden=5     | option 'hidden' given twice",
            "mlp:256-128               | option '256-128' is not of the form key=value",
            "mlp:                      | empty option list",
            "mlp:act=                  | empty key or value",
            "softmax:lr=1              | softmax: unknown option 'lr'; accepted: none",
            "logreg                    | logreg is binary",
            "cnn:c1=-1                 | cnn: c1=-1 is not an integer",
            "cnn:c3=1                  | unknown option 'c3'; accepted: c1, c2, fc",
    })
    void errorsSayWhatIsWrongAndWhatIsAccepted(String spec, String message) {
        assertThatThrownBy(() -> Models.create(spec, FLAT, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }

    @Test
    void shapesAndClassesTheModelsCannotTake() {
        assertThatThrownBy(() -> Models.create("cnn", FLAT, 10)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cnn needs image input of shape {channels, height, width}, got [784]");
        assertThatThrownBy(() -> Models.create("cnn", new int[] {1, 3, 28}, 10))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 4 x 4");
        assertThatThrownBy(() -> Models.create("softmax", FLAT, 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 2 classes");
        assertThatThrownBy(() -> Models.create("softmax", new int[] {0}, 3))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-positive");
    }

    @Test
    void cnnRejectsADataSetOfAnotherShape() {
        Model cnn = Models.create("cnn:c1=2,c2=2,fc=4", new int[] {1, 8, 8}, 3);
        org.scaleml.train.data.Dataset flat = ModelTesting.randomDense("flat", 2, 3, 1, 0, 64);
        float[] p = new float[cnn.parameterCount()];
        assertThatThrownBy(() -> cnn.lossAndGradient(p, org.scaleml.train.data.Batch.range(flat, 0, 2),
                new float[p.length], cnn.workspace(2))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has shape [64]").hasMessageContaining("[1, 8, 8]");
    }

    @Test
    void namesAndHelp() {
        assertThat(Models.names()).containsExactly("logreg", "softmax", "mlp", "cnn");
        for (String n : Models.names()) {
            assertThat(Models.help(n)).startsWith(n);
        }
        assertThat(Models.help()).contains("name[:key=value,...]", "hidden=256-128", "c1=16");
        assertThatThrownBy(() -> Models.help("svm")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("accepted: logreg, softmax, mlp, cnn");
    }
}
