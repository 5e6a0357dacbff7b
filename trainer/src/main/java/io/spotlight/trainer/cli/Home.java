package io.spotlight.trainer.cli;

import java.nio.file.Path;

/** The repository root: configs/, outputs/ and mlruns/ live there (set by the launcher). */
public final class Home {
    private Home() {}

    public static Path get() {
        return Path.of(System.getProperty("spotlight.home", ".")).toAbsolutePath().normalize();
    }
}
