package org.scaleml.train.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ScheduleAndSpecTest {

    @Test
    void scheduleValues() {
        assertThat(LrSchedule.constant(0.3).at(12345)).isEqualTo(0.3);
        LrSchedule st = LrSchedule.stepDecay(1, 10, 0.5);
        assertThat(st.at(0)).isEqualTo(1);
        assertThat(st.at(9)).isEqualTo(1);
        assertThat(st.at(10)).isEqualTo(0.5);
        assertThat(st.at(25)).isEqualTo(0.25);
        LrSchedule cos = LrSchedule.cosine(2, 100);
        assertThat(cos.at(0)).isEqualTo(2);
        assertThat(cos.at(25)).isCloseTo(1 + Math.sqrt(0.5), within(1e-12));
        assertThat(cos.at(50)).isCloseTo(1, within(1e-12));
        assertThat(cos.at(100)).isCloseTo(0, within(1e-15));
        assertThat(cos.at(150)).isCloseTo(0, within(1e-15));
        LrSchedule w = LrSchedule.constant(1).withWarmup(4);
        assertThat(new double[] {w.at(0), w.at(1), w.at(2), w.at(3), w.at(4), w.at(99)})
                .containsExactly(0.25, 0.5, 0.75, 1, 1, 1);
        LrSchedule ws = LrSchedule.stepDecay(1, 10, 0.5).withWarmup(5);
        assertThat(ws.at(14)).isEqualTo(1); // decay counts from the end of the warmup
        assertThat(ws.at(15)).isEqualTo(0.5);
        assertThat(LrSchedule.constant(1).withWarmup(0).at(0)).isEqualTo(1);
    }

    @Test
    void specScheduleWithWarmupEndsAtZero() {
        Optimizer o = Optimizers.create("sgd:lr=0.5,schedule=cosine,warmup=4", 1, 104);
        assertThat(o.learningRate()).isEqualTo(0.125);
        float[] p = {0};
        float[] g = {0};
        double[] lr = new double[105];
        for (int s = 0; s <= 104; s++) {
            lr[s] = o.learningRate();
            if (s < 104) {
                o.step(p, g);
            }
        }
        assertThat(lr[3]).isEqualTo(0.5);
        assertThat(lr[4]).isEqualTo(0.5);
        assertThat(lr[54]).isCloseTo(0.25, within(1e-12));
        assertThat(lr[104]).isCloseTo(0, within(1e-15));
        assertThat(lr[103]).isGreaterThan(0);
    }

    @Test
    void bothStepDecaySpellings() {
        Optimizer a = Optimizers.create("sgd:lr=0.1,schedule=step:every=1000,gamma=0.5", 1, 0);
        Optimizer b = Optimizers.create("sgd:gamma=0.5,every=1000,schedule=step,lr=0.1", 1, 0);
        assertThat(a.spec()).isEqualTo(b.spec())
                .isEqualTo("sgd:lr=0.1,momentum=0.0,nesterov=false,wd=0.0,schedule=step,every=1000,gamma=0.5");
        assertThat(Optimizers.create("adam:lr=1e-3", 5, 0).spec())
                .isEqualTo("adam:lr=0.001,beta1=0.9,beta2=0.999,eps=1.0E-8,wd=0.0,schedule=constant");
        assertThat(Optimizers.create(" SGD ", 1, 0).learningRate()).isEqualTo(0.01);
        assertThat(Optimizers.create("sgd:lr=0.1,schedule=cosine,warmup=100", 1, 1).learningRate())
                .isEqualTo(0.001); // a short run with a long warmup is valid (the CLI validates with 1 step)
    }

    @Test
    void badSpecsSayWhatIsWrongAndWhatIsAccepted() {
        bad("rmsprop:lr=1", "unknown optimizer 'rmsprop'", "accepted: [sgd, adam]");
        bad("sgd:lr=0.1,beta1=0.9", "unknown key 'beta1' for sgd", "accepted: lr, momentum, nesterov, wd");
        bad("adam:momentum=0.9", "unknown key 'momentum' for adam", "beta1");
        bad("sgd:lr=fast", "bad value 'fast' for lr", "finite number");
        bad("sgd:lr=-1", "lr must be > 0");
        bad("sgd:lr=0.1,lr=0.2", "key 'lr' appears twice");
        bad("sgd:lr", "'lr'", "is not key=value");
        bad("sgd:lr=0.1,,momentum=0.9", "'' in", "is not key=value");
        bad("sgd:momentum=1", "momentum must be in [0, 1)");
        bad("sgd:nesterov=yes", "bad value 'yes' for nesterov", "true or false");
        bad("sgd:nesterov=true", "nesterov=true needs momentum > 0");
        bad("sgd:wd=-0.1", "weight decay");
        bad("adam:beta2=1", "beta2 must be in [0, 1)");
        bad("adam:eps=0", "eps must be > 0");
        bad("sgd:schedule=linear", "unknown schedule 'linear'", "constant, cosine, step");
        bad("sgd:schedule=step", "schedule=step needs every=N");
        bad("sgd:schedule=step,every=0", "every must be >= 1");
        bad("sgd:schedule=step,every=5,gamma=2", "gamma must be in (0, 1]");
        bad("sgd:gamma=0.5", "every and gamma apply only to schedule=step");
        bad("sgd:warmup=1.5", "bad value '1.5' for warmup", "whole number");
        bad("sgd:schedule=cosine", "schedule=cosine needs the total number of steps");
        bad("", "empty optimizer spec");
        assertThatThrownBy(() -> Optimizers.create("sgd", 0, 10)).hasMessageContaining("parameter count");
    }

    private static void bad(String spec, String... parts) {
        assertThatThrownBy(() -> Optimizers.create(spec, 4, spec.contains("cosine") ? 0 : 100))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    for (String p : parts) {
                        assertThat(e.getMessage()).contains(p);
                    }
                });
    }
}
