package io.spotlight.trainer.run;

import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigValue;
import io.spotlight.cam.CamException;
import io.spotlight.cam.method.CamMethods;
import io.spotlight.cam.metric.Baseline;
import io.spotlight.cam.metric.MetricOptions;
import io.spotlight.cam.metric.MetricSet;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.util.ArrayList;
import java.util.List;

/**
 * The map metrics measured after each epoch, or the last one ({@code eval.metrics_epochs}):
 * {@code eval.metrics} on {@code eval.metrics_samples} test images (default: {@code
 * eval.cam_samples}), maps of {@code eval.metrics_method} at {@code eval.metrics_layer}, read from the
 * config with every bad value named by its key. Lists may be config lists or comma-separated
 * strings (as a command-line override gives them).
 */
public record EvalMetrics(List<String> names, MetricOptions options, String method, String layer, int samples,
        boolean lastEpochOnly) {

    public static EvalMetrics from(Cfg cfg) {
        List<String> names = strings(cfg, "eval.metrics");
        List<Double> percentiles = new ArrayList<>();
        for (String p : strings(cfg, "eval.road_percentiles")) {
            try {
                percentiles.add(Double.parseDouble(p));
            } catch (NumberFormatException e) {
                throw new SpotlightConfigError("eval.road_percentiles must hold numbers, but holds '" + p + "' (defined at "
                        + cfg.origin("eval.road_percentiles") + ")");
            }
        }
        String method = cfg.getString("eval.metrics_method");
        try {
            CamMethods.byName(method);
            MetricOptions options = new MetricOptions(cfg.getInt("eval.deletion_steps"),
                    Baseline.parse(cfg.getString("eval.baseline"), "eval.baseline"), percentiles,
                    cfg.getDouble("eval.road_noise", 0, 1e6), 0, "eval.deletion_steps", "eval.road_percentiles");
            EvalMetrics m = new EvalMetrics(names, options, method, cfg.getString("eval.metrics_layer"),
                    cfg.getInt("eval.metrics_samples", 1, 1 << 20),
                    cfg.getStringIn("eval.metrics_epochs", java.util.Set.of("all", "last")).equals("last"));
            m.newSet();
            return m;
        } catch (CamException e) {
            throw new SpotlightConfigError(e.getMessage().startsWith("unknown CAM method") ? "eval.metrics_method: " + e.getMessage()
                    : e.getMessage());
        }
    }

    /** A fresh set for one evaluation. */
    public MetricSet newSet() {
        return new MetricSet(names, options, "eval.metrics");
    }

    private static List<String> strings(Cfg cfg, String key) {
        ConfigValue v = cfg.raw().getValue(key);
        List<String> out = new ArrayList<>();
        if (v instanceof ConfigList list) {
            list.forEach(item -> out.add(String.valueOf(item.unwrapped()).trim()));
        } else {
            for (String s : cfg.getString(key).split(",")) {
                if (!s.isBlank()) {
                    out.add(s.trim());
                }
            }
        }
        return out;
    }
}
