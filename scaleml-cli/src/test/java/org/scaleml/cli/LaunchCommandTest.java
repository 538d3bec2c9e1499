package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.scaleml.cli.launch.JobEnvironment;
import org.scaleml.cli.launch.Launcher;

class LaunchCommandTest {
    @Test
    void workersSeeTheirPlaceInTheJobAndRankZeroOutputPassesThrough() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Launcher(3, "127.0.0.1", List.of("bench", "codec", "--codec", "fp32", "--size", "1K",
                "--warmups", "0", "--repeats", "1", "--json"), Map.of())
                .run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        List<String> lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines).filteredOn(l -> l.startsWith("{")).hasSize(1);
        assertThat(lines).anyMatch(l -> l.startsWith("[1] {")).anyMatch(l -> l.startsWith("[2] {"));
    }

    @Test
    void tcpRanksTakeTheIntegrityModeAndLivenessTimeoutFromTheCommandLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = new Launcher(2, "127.0.0.1", List.of("bench", "allreduce", "--transport", "tcp", "--size", "64K",
                "--warmups", "0", "--repeats", "1", "--integrity", "crc32c", "--liveness-timeout", "5", "--json"),
                Map.of()).run(new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).anyMatch(l -> l.startsWith("{"));
    }

    @Test
    void oneFailingWorkerStopsTheJobWithItsExitCode() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = new Launcher(2, "127.0.0.1", List.of("sssp", "--graph", "/no/such/file.gr"), Map.of())
                .run(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("no such graph file", "exited with code 2");
        assertThat(System.nanoTime() - t0).isLessThan(60_000_000_000L);
    }

    /**
     * A launcher killed with SIGKILL runs no shutdown hook; its workers must notice on their own (their standard
     * input, the launcher's pipe, reaches end of file) and exit within seconds instead of running on forever.
     */
    @Test
    void workersExitWhenTheLauncherIsKilled() throws Exception {
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        // workers that would run for two minutes if nobody stopped them
        Process launcher = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                "org.scaleml.cli.ScaleMl", "launch", "-n", "2", "--", "bench", "pq", "--impl", "heap",
                "--threads", "1", "--seconds", "120", "--repeats", "1", "--prefill", "1000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        List<ProcessHandle> workers = List.of();
        try {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (System.nanoTime() < deadline && launcher.isAlive()) {
                workers = launcher.toHandle().children().toList();
                if (workers.size() == 2) {
                    break;
                }
                Thread.sleep(50);
            }
            assertThat(workers).as("the launcher's workers").hasSize(2);
            Thread.sleep(1000); // let the workers get under way
            assertThat(workers).allMatch(ProcessHandle::isAlive);
            launcher.destroyForcibly(); // SIGKILL
            assertThat(launcher.waitFor(30, TimeUnit.SECONDS)).isTrue();
            long killed = System.nanoTime();
            for (ProcessHandle w : workers) {
                w.onExit().get(30, TimeUnit.SECONDS);
            }
            // in practice well under a second; the bound is generous for a loaded machine
            assertThat(System.nanoTime() - killed).isLessThan(30_000_000_000L);
            assertThat(workers).noneMatch(ProcessHandle::isAlive);
        } finally {
            launcher.destroyForcibly();
            workers.forEach(ProcessHandle::destroyForcibly); // never leave a worker behind, even on failure
        }
    }

    private static final String SECRET = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @Test
    void environmentIsValidated() {
        JobEnvironment ok = JobEnvironment.from(Map.of(JobEnvironment.RANK, "1", JobEnvironment.WORLD, "2",
                JobEnvironment.PEERS, "127.0.0.1:5000, [::1]:5001", JobEnvironment.SECRET, SECRET));
        assertThat(ok.rank()).isEqualTo(1);
        assertThat(ok.peers()).hasSize(2);
        assertThat(ok.peers().get(1).getHostString()).isEqualTo("::1");
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "2", JobEnvironment.WORLD, "2",
                JobEnvironment.PEERS, "a:1,b:2"))).hasMessageContaining(JobEnvironment.RANK);
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "2",
                JobEnvironment.PEERS, "a:1"))).hasMessageContaining("1 addresses for a world of 2");
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "1",
                JobEnvironment.PEERS, "a:x"))).hasMessageContaining("bad port");
        assertThat(ScaleMlTest.run("launch", "-n", "0", "--", "demo").exit()).isEqualTo(2);
        // two ranks on one address: refused at once instead of a 30 s connect timeout
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "3",
                JobEnvironment.PEERS, "127.0.0.1:5000,127.0.0.1:5001,LOCALHOST:5002,127.0.0.1:5000",
                JobEnvironment.SECRET, SECRET))).hasMessageContaining("4 addresses");
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "3",
                JobEnvironment.PEERS, "127.0.0.1:5000,h:5001,127.0.0.1:5000", JobEnvironment.SECRET, SECRET)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("127.0.0.1:5000 is listed for ranks 0 and 2");
        // no secret, or one too short: invalid input (exit 2), not a failure to connect
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "1",
                JobEnvironment.PEERS, "h:1"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no shared secret");
        assertThatThrownBy(() -> JobEnvironment.from(Map.of(JobEnvironment.RANK, "0", JobEnvironment.WORLD, "1",
                JobEnvironment.PEERS, "h:1", JobEnvironment.SECRET, "short"))).isInstanceOf(
                IllegalArgumentException.class).hasMessageContaining(JobEnvironment.SECRET);
    }
}
