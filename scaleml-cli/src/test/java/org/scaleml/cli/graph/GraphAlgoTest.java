package org.scaleml.cli.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.scaleml.sched.Scheduler;

class GraphAlgoTest {

    @Test
    void plainObimGetsTheAlgorithmsBucketWidth() {
        assertThat(GraphAlgo.BFS.schedulerSpec("obim")).isEqualTo("obim:delta=0");
        assertThat(GraphAlgo.MIS.schedulerSpec(" OBIM ")).isEqualTo("obim:delta=62");
        assertThat(GraphAlgo.MATCHING.schedulerSpec("obim")).isEqualTo("obim:delta=62");
        assertThat(GraphAlgo.SSSP.schedulerSpec("obim")).isEqualTo("obim");
        assertThat(new Scheduler(GraphAlgo.BFS.schedulerSpec("obim"), 2, 1).queueName()).isEqualTo("obim(delta=0,chunk=64)");
    }

    @Test
    void explicitSpecificationsAndOtherSchedulersAreKept() {
        assertThat(GraphAlgo.BFS.schedulerSpec("obim:delta=10")).isEqualTo("obim:delta=10");
        assertThat(GraphAlgo.MIS.schedulerSpec("mq")).isEqualTo("mq");
        assertThat(GraphAlgo.CC.schedulerSpec("obim")).isEqualTo("obim");
    }
}
