package io.spotlight.trainer.run;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValue;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.tracking.LocalTracker;
import io.spotlight.trainer.tracking.MlflowInstall;
import io.spotlight.trainer.tracking.MlflowServer;
import io.spotlight.trainer.tracking.MlflowTracker;
import io.spotlight.trainer.tracking.NoOpTracker;
import io.spotlight.trainer.tracking.Tracker;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chooses where a run's tracking goes: off ({@code tracking.enabled = false}), the configured
 * {@code tracking.uri}, {@code MLFLOW_TRACKING_URI}, or else a local MLflow server under {@code
 * mlruns/} that is started (or reused) for the user, MLflow itself being installed on first use
 * ({@link MlflowInstall}). When MLflow cannot be installed the run still
 * trains and spools its tracking to the run directory for {@code ./spotlight sync} later.
 */
public final class TrackingSetup {
    private static String announced;

    private TrackingSetup() {}

    /** The tracking URI to use, or null when tracking is off or MLflow is not available. */
    public static String uri(Cfg cfg, Path home) {
        if (!cfg.getBoolean("tracking.enabled")) {
            return null;
        }
        if (cfg.has("tracking.uri") && !cfg.raw().getIsNull("tracking.uri")) {
            return cfg.getString("tracking.uri");
        }
        String env = System.getenv("MLFLOW_TRACKING_URI");
        if (env != null && !env.isBlank()) {
            return env;
        }
        try {
            // first use: installs the pinned MLflow (scripts/install-mlflow.sh, as ./spotlight test does)
            Path mlflow = MlflowInstall.ensure(home, System.out);
            MlflowServer server = MlflowServer.startOrReuse(mlflow, home.resolve("mlruns"));
            String uri = server.uri().toString();
            if (!uri.equals(announced)) {
                System.out.println("MLflow UI: " + uri + "  (local server, data in " + home.resolve("mlruns") + ")");
                announced = uri;
            }
            return uri;
        } catch (RuntimeException e) {
            System.out.println("MLflow is not available: " + e.getMessage());
            System.out.println("This run trains as usual and keeps its tracking in its directory (RUN_DIR/tracking/)."
                    + " Once the problem above is fixed (then scripts/install-mlflow.sh succeeds), send it with"
                    + " ./spotlight sync RUN_DIR; tracking.enabled=false turns tracking off.");
            return null;
        }
    }

    /** A tracker for {@code dir}: MLflow when a URI is known, the local spool when tracking is on but MLflow is not. */
    public static Tracker open(Cfg cfg, Path home, Path dir) {
        if (!cfg.getBoolean("tracking.enabled")) {
            return new NoOpTracker();
        }
        String uri = uri(cfg, home);
        return uri == null ? new LocalTracker(dir) : MlflowTracker.create(uri, dir);
    }

    /** The resolved config as flat {@code a.b.c → value} params. */
    public static Map<String, String> params(Config config) {
        Map<String, String> params = new TreeMap<>();
        for (Map.Entry<String, ConfigValue> e : config.entrySet()) {
            Object v = e.getValue().unwrapped();
            params.put(e.getKey(), String.valueOf(v));
        }
        return params;
    }
}
