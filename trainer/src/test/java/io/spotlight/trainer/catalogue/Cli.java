package io.spotlight.trainer.catalogue;

import io.spotlight.trainer.cli.SpotlightCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * {@code ./spotlight ARGS} in this JVM, as the launcher runs it: home = the given folder (its
 * {@code configs} links to the repository's), output and errors captured.
 */
public final class Cli {
    public static final Path REPO = Path.of("..").toAbsolutePath().normalize();

    private Cli() {}

    /** What the user sees. */
    public record Result(int code, String out, String err) {}

    public static Result run(Path home, String... args) {
        String oldHome = System.getProperty("spotlight.home");
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setProperty("spotlight.home", home.toString());
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        System.setErr(errStream); // commands print their own reports there too
        try {
            int code = SpotlightCli.commandLine().setErr(new PrintWriter(errStream, true)).execute(args);
            return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
            if (oldHome == null) {
                System.clearProperty("spotlight.home");
            } else {
                System.setProperty("spotlight.home", oldHome);
            }
        }
    }
}
