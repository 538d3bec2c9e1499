package org.scaleml.train.data;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates the workspace's shared data directory ({@code ../shared/data} from the project root), or null. */
final class TestData {
    private TestData() {
    }

    /** {@code shared/data/<sub>} in the working directory or the nearest ancestor that has it, or null. */
    static Path shared(String sub) {
        for (Path a = Path.of("").toAbsolutePath(); a != null; a = a.getParent()) {
            Path p = a.resolve("shared/data").resolve(sub);
            if (Files.exists(p)) {
                return p;
            }
        }
        return null;
    }
}
