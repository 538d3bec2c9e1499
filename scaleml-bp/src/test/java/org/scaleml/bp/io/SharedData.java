package org.scaleml.bp.io;

import java.nio.file.Files;
import java.nio.file.Path;

/** Locates {@code ../shared/data} from the project root or from a module directory (where Maven runs tests). */
public final class SharedData {
    private SharedData() {
    }

    /** The data folder, or a non-existent path if absent (tests then skip via assumptions). */
    public static Path dir() {
        for (Path p : new Path[] {Path.of("..", "shared", "data"), Path.of("..", "..", "shared", "data")}) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("..", "shared", "data");
    }

    /** A file under the data folder. */
    public static Path file(String first, String... more) {
        return dir().resolve(Path.of(first, more));
    }
}
