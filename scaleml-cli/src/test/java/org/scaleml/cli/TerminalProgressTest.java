package org.scaleml.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The progress bar is drawn on standard error, so it needs stderr to be a terminal, not only stdout. */
class TerminalProgressTest {
    @Test
    void onlyATerminalDeviceOnStderrCountsAsATerminal() {
        assertThat(TerminalProgress.stderrIsTerminal("/dev/pts/3")).isTrue();
        assertThat(TerminalProgress.stderrIsTerminal("/dev/tty1")).isTrue();
        assertThat(TerminalProgress.stderrIsTerminal("/dev/console")).isTrue();
        assertThat(TerminalProgress.stderrIsTerminal("/tmp/err.log")).isFalse(); // 2> file
        assertThat(TerminalProgress.stderrIsTerminal("pipe:[12345]")).isFalse(); // 2>&1 | tee
        assertThat(TerminalProgress.stderrIsTerminal("/dev/null")).isFalse();
        assertThat(TerminalProgress.stderrIsTerminal(null)).as("no /proc: the console check decides").isTrue();
        // under the test runner stderr is redirected: no bar
        assertThat(TerminalProgress.interactive()).isFalse();
    }
}
