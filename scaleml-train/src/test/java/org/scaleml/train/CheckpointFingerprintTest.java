package org.scaleml.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.scaleml.train.data.Dataset;

class CheckpointFingerprintTest {
    private static final String SAVED = "model=softmax;batch=8;epochs=4;seed=42;data=blobs.csv/1200;dataHash=1a2b";

    @Test
    void equalOrRaisedEpochsMatch() {
        assertThat(Checkpoint.mismatch(SAVED, SAVED)).isNull();
        assertThat(Checkpoint.mismatch(SAVED, SAVED.replace("epochs=4", "epochs=6"))).isNull();
    }

    @Test
    void eachDifferingSettingIsNamedOnOneLine() {
        String why = Checkpoint.mismatch(SAVED, SAVED.replace("epochs=4", "epochs=3").replace("batch=8", "batch=16"));
        assertThat(why).contains("(this run != checkpoint): batch 16 != 8, epochs 3 != 4",
                "may raise the epoch count, not lower it").doesNotContain("\n").doesNotContain("--resume");
        // the same data name and size with other content
        assertThat(Checkpoint.mismatch(SAVED, SAVED.replace("dataHash=1a2b", "dataHash=77")))
                .contains("dataHash 77 != 1a2b").doesNotContain("epochs");
    }

    @Test
    void aCheckpointWithoutADataHashIsFromAnOlderVersion() {
        String old = SAVED.replace(";dataHash=1a2b", "");
        assertThat(Checkpoint.mismatch(old, SAVED)).contains("older version");
        Checkpoint c = new Checkpoint(old, 0, 1, 10, 0, 0, 0, 0, 0, 0, new float[1], 0, new float[0][],
                new float[0][][]);
        assertThatThrownBy(() -> Checkpoint.matching(c, "ckpt/step-10.rank-0.ckpt", SAVED))
                .isInstanceOf(Checkpoint.CheckpointException.class)
                .hasMessageStartingWith("ckpt/step-10.rank-0.ckpt was written by an older version");
    }

    @Test
    void contentHashSeesEveryValueAndLabelButNotTheName() {
        float[] x = {0, 1, 2, 3, 4, 5};
        Dataset a = Dataset.dense("a", x, new int[] {0, 1, 0}, 2, 2);
        assertThat(Dataset.dense("renamed", x.clone(), new int[] {0, 1, 0}, 2, 2).contentHash())
                .isEqualTo(a.contentHash());
        float[] y = x.clone();
        y[5] = 5.0001f;
        assertThat(Dataset.dense("a", y, new int[] {0, 1, 0}, 2, 2).contentHash()).isNotEqualTo(a.contentHash());
        assertThat(Dataset.dense("a", x, new int[] {0, 1, 1}, 2, 2).contentHash()).isNotEqualTo(a.contentHash());
        assertThat(Dataset.dense("a", x, new int[] {0, 1, 0}, 2, 3).contentHash()).isNotEqualTo(a.contentHash());
        assertThat(Dataset.dense("a", x, new int[] {0, 1, 0}, 2, 2).subset("s", new int[] {2, 1, 0})
                .contentHash()).isNotEqualTo(a.contentHash()); // reordered rows
        assertThat(a.contentHash()).isNotZero().isEqualTo(a.contentHash());
    }
}
