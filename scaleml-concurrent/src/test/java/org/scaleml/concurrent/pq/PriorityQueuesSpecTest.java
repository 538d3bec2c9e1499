package org.scaleml.concurrent.pq;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Textual specifications of {@link PriorityQueues#create}: valid ones build the named implementation; every kind
 * of bad input throws {@link IllegalArgumentException} whose message names the offending parameter (by its
 * specification key or its documented long name) and the offending value.
 */
class PriorityQueuesSpecTest {

    /** spec, threads, the offending value as it must appear, accepted names of the offending parameter. */
    static Stream<Arguments> badSpecs() {
        return Stream.of(
                // unknown names
                Arguments.of("fifo", 2, "fifo", new String[] {"queue"}),
                Arguments.of("mqq:c=2", 2, "mqq", new String[] {"queue"}),
                Arguments.of("heap-tl", 2, "heap-tl", new String[] {"queue"}),
                // unknown keys, including keys that exist for another implementation
                Arguments.of("mq:x=1", 2, "x", new String[] {"parameter"}),
                Arguments.of("heap:c=2", 2, "c", new String[] {"parameter"}),
                Arguments.of("skiplist:d=4", 2, "d", new String[] {"parameter"}),
                Arguments.of("pbq:ibuf=4", 2, "ibuf", new String[] {"parameter"}),
                Arguments.of("mq:psteal=0.5", 2, "psteal", new String[] {"parameter"}),
                Arguments.of("smq:stick=8", 2, "stick", new String[] {"parameter"}),
                Arguments.of("smq:c=2", 2, "c", new String[] {"parameter"}),
                // malformed values and pairs
                Arguments.of("mq:c=abc", 2, "abc", new String[] {"c"}),
                Arguments.of("mq:c=1.5", 2, "1.5", new String[] {"c"}),
                Arguments.of("mq:c=99999999999", 2, "99999999999", new String[] {"c"}),
                Arguments.of("mq:d=", 2, "d=", new String[] {"parameter"}),
                Arguments.of("mq:=4", 2, "=4", new String[] {"parameter"}),
                Arguments.of("mq:stick", 2, "stick", new String[] {"parameter"}),
                Arguments.of("mq:c=2,,d=4", 2, "mq:c=2,,d=4", new String[] {"parameter"}),
                Arguments.of("mq:c=2,c=3", 2, "c", new String[] {"twice"}),
                Arguments.of("smq:psteal=abc", 2, "abc", new String[] {"psteal"}),
                Arguments.of("smq:batch=x", 2, "x", new String[] {"batch"}),
                // out of range
                Arguments.of("mq:c=0", 2, "0", new String[] {"c", "queuesPerThread"}),
                Arguments.of("mq-tl:c=-3", 2, "-3", new String[] {"c", "queuesPerThread"}),
                Arguments.of("mq:d=1", 2, "1", new String[] {"d", "arity"}),
                Arguments.of("mq-tl:d=0", 2, "0", new String[] {"d", "arity"}),
                Arguments.of("heap:d=1", 2, "1", new String[] {"d", "arity"}),
                Arguments.of("smq:d=1", 2, "1", new String[] {"d", "arity"}),
                Arguments.of("mq:stick=0", 2, "0", new String[] {"stick", "stickiness"}),
                Arguments.of("mq-tl:stick=-1", 2, "-1", new String[] {"stick", "stickiness"}),
                Arguments.of("mq:ibuf=-1", 2, "-1", new String[] {"ibuf", "insertBuffer"}),
                Arguments.of("mq:dbuf=-16", 2, "-16", new String[] {"dbuf", "deleteBuffer"}),
                Arguments.of("smq:psteal=-0.25", 2, "-0.25", new String[] {"psteal"}),
                Arguments.of("smq:psteal=1.5", 2, "1.5", new String[] {"psteal"}),
                Arguments.of("smq:psteal=NaN", 2, "NaN", new String[] {"psteal"}),
                Arguments.of("smq:psteal=Infinity", 2, "Infinity", new String[] {"psteal"}),
                Arguments.of("smq:batch=0", 2, "0", new String[] {"batch"}),
                Arguments.of("smq:batch=-8", 2, "-8", new String[] {"batch"}),
                // threads
                Arguments.of("heap", 0, "0", new String[] {"threads"}),
                Arguments.of("skiplist", -1, "-1", new String[] {"threads"}),
                Arguments.of("pbq", 0, "0", new String[] {"threads"}),
                Arguments.of("mq", 0, "0", new String[] {"threads"}),
                Arguments.of("mq-tl", -4, "-4", new String[] {"threads"}),
                Arguments.of("smq", 0, "0", new String[] {"threads"}));
    }

    @ParameterizedTest(name = "[{index}] create(\"{0}\", threads={1})")
    @MethodSource("badSpecs")
    void badSpecificationIsRejectedWithAMessageNamingParameterAndValue(String spec, int threads, String value,
            String[] parameterNames) {
        assertThatThrownBy(() -> PriorityQueues.create(spec, threads, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> {
                    String m = e.getMessage();
                    assertThat(m).as("message").isNotBlank().contains(value);
                    assertThat(namesAny(m, parameterNames))
                            .as("message '%s' names one of %s", m, String.join(", ", parameterNames)).isTrue();
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void emptySpecificationIsRejectedAndListsTheKnownQueues(String spec) {
        assertThatThrownBy(() -> PriorityQueues.create(spec, 2, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("empty")
                .hasMessageContaining("heap").hasMessageContaining("smq");
    }

    @Test
    void nullSpecificationIsRejected() {
        assertThatThrownBy(() -> PriorityQueues.create(null, 2, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void unknownNameListsTheKnownNames() {
        assertThatThrownBy(() -> PriorityQueues.create("fifo", 2, 1))
                .hasMessageContaining("fifo")
                .satisfies(e -> {
                    for (String name : PriorityQueues.names()) {
                        assertThat(e.getMessage()).contains(name);
                    }
                });
    }

    @Test
    void directFactoriesAndRecordsValidateToo() {
        assertThatThrownBy(() -> PriorityQueues.lockedHeap(1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("arity").hasMessageContaining("1");
        assertThatThrownBy(() -> PriorityQueues.multiQueue(0, MultiQueueConfig.CLASSIC, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> PriorityQueues.stealingMultiQueue(0, StealingConfig.DEFAULT, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("threads");
        assertThatThrownBy(() -> new MultiQueueConfig(0, 4, 1, 0, 0)).hasMessageContaining("queuesPerThread");
        assertThatThrownBy(() -> new MultiQueueConfig(2, 1, 1, 0, 0)).hasMessageContaining("arity");
        assertThatThrownBy(() -> new MultiQueueConfig(2, 4, 0, 0, 0)).hasMessageContaining("stickiness");
        assertThatThrownBy(() -> new MultiQueueConfig(2, 4, 1, -1, 0)).hasMessageContaining("insertBuffer");
        assertThatThrownBy(() -> new MultiQueueConfig(2, 4, 1, 0, -1)).hasMessageContaining("deleteBuffer");
        assertThatThrownBy(() -> new StealingConfig(4, Double.NaN, 8)).hasMessageContaining("NaN");
        assertThatThrownBy(() -> new StealingConfig(4, 1.0000001, 8)).hasMessageContaining("pSteal");
        assertThatThrownBy(() -> new StealingConfig(4, 0.5, 0)).hasMessageContaining("batch");
    }

    @ParameterizedTest
    @ValueSource(strings = {"heap", "heap:d=2", "skiplist", "pbq", "mq", "mq:c=1", "mq:c=4,d=8", "mq-tl",
            "mq:stick=8", "mq:ibuf=16", "mq:dbuf=16", "mq:c=4,d=8,stick=8,ibuf=16,dbuf=16", "smq",
            "smq:psteal=0", "smq:psteal=1,batch=1", "smq:psteal=0.25,batch=16", "smq:d=8",
            "MQ:C=4", " mq : c = 4 , d = 8 ", "mq-tl:ibuf=0,dbuf=0"})
    void validSpecificationBuildsTheNamedImplementation(String spec) {
        ConcurrentPriorityQueue q = PriorityQueues.create(spec, 3, 1);
        String base = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        base = base.trim().toLowerCase(java.util.Locale.ROOT);
        boolean relaxed = base.startsWith("mq") || base.equals("smq") || base.equals("obim");
        assertThat(q.isRelaxed()).as("isRelaxed of %s", spec).isEqualTo(relaxed);
        assertThat(q.name()).as("name of %s", spec).startsWith(base.equals("mq-tl") ? "mq" : base);
        try (ConcurrentPriorityQueue.Handle h = q.register()) {
            h.insert(2, 20);
            h.insert(1, 10);
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.tryDeleteMin()).isTrue();
            assertThat(h.tryDeleteMin()).isFalse();
        }
    }

    @Test
    void namesListsEveryImplementationExactOnesFirst() {
        assertThat(PriorityQueues.names()).containsExactly("heap", "skiplist", "pbq", "mq", "mq-tl", "smq", "obim");
        for (String name : PriorityQueues.names()) {
            assertThat(PriorityQueues.create(name, 1, 1).isRelaxed()).as(name)
                    .isEqualTo(name.startsWith("mq") || name.equals("smq") || name.equals("obim"));
        }
    }

    /** Whether the message names one of the parameters as a whole word (so "c" does not match inside "arity"). */
    private static boolean namesAny(String message, String[] names) {
        for (String n : names) {
            if (Pattern.compile("(?i)(^|[^a-z])" + Pattern.quote(n) + "([^a-z]|$)").matcher(message).find()) {
                return true;
            }
        }
        return false;
    }
}
