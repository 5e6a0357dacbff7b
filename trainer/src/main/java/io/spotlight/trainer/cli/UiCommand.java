package io.spotlight.trainer.cli;

import io.spotlight.trainer.tracking.MlflowInstall;
import io.spotlight.trainer.tracking.MlflowServer;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./spotlight ui}: starts (or finds) the local MLflow server and prints its address. */
@Command(name = "ui", mixinStandardHelpOptions = true,
        description = "Start the local MLflow server (data in mlruns/) for browsing, or print the running one's address.")
public final class UiCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        MlflowServer server = MlflowServer.startOrReuse(MlflowInstall.ensure(Home.get(), System.out), Home.get().resolve("mlruns"));
        System.out.println("MLflow UI: " + server.uri() + "  (stop it with: kill " + server.pid() + ")");
        return 0;
    }
}
