package io.spotlight.trainer.view;

import io.spotlight.trainer.cli.Home;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./spotlight view DIR [--port P]}: the CAM viewer in the browser, until Ctrl-C. */
@Command(name = "view", mixinStandardHelpOptions = true,
        description = "Serve an interactive, live CAM viewer for a run, a comparison or a multirun on 127.0.0.1.")
public final class ViewCommand implements Callable<Integer> {
    /** Tried first when no --port is given; a free port is taken when it is busy. */
    static final int DEFAULT_PORT = 8765;

    @Parameters(index = "0", paramLabel = "DIR",
            description = "a run directory (outputs/DATE/TIME), a comparison (outputs/compare/DATE/TIME_NAME) or a multirun (multirun/DATE/TIME)")
    Path dir;

    @Option(names = "--port", paramLabel = "P",
            description = "port on 127.0.0.1 (default " + DEFAULT_PORT + ", or a free one if that is taken; 0: any free port)")
    Integer port;

    @Override
    public Integer call() throws InterruptedException {
        // relative to where the command is typed; failing that, to the repository root, as train's paths are
        Path target = Files.exists(dir) || dir.isAbsolute() ? dir : Home.get().resolve(dir);
        if (port != null && (port < 0 || port > 65535)) {
            throw new ViewException("--port must be between 0 and 65535 (0: any free port), got " + port);
        }
        ViewServer server;
        if (port != null) {
            server = ViewServer.start(target, port);
        } else {
            ViewServer tried;
            try {
                tried = ViewServer.start(target, DEFAULT_PORT);
            } catch (ViewException.PortInUse busy) {
                tried = ViewServer.start(target, 0);
                System.out.println("port " + DEFAULT_PORT + " is in use; serving on " + tried.port() + " instead");
            }
            server = tried;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "spotlight-view-stop"));
        System.out.println("Spotlight viewer for " + target.toAbsolutePath().normalize() + " (Ctrl-C stops it):");
        System.out.println(server.address());
        stopped.await();
        return 0;
    }
}
