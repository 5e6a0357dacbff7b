package io.spotlight.trainer.run;

import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A progress bar per epoch with the loss, the rate in steps per second, and the ETA. */
public final class ProgressListener extends SpotlightListener {
    private ProgressBar bar;
    private int barEpoch;

    @Override
    public void onBatch(RunContext run, long step, int epoch) {
        if (bar == null || barEpoch != epoch) {
            close();
            barEpoch = epoch;
            bar = new ProgressBarBuilder()
                    .setTaskName(run.name() + " " + epoch + "/" + run.epochs())
                    .setInitialMax(run.stepsPerEpoch())
                    .setStyle(ProgressBarStyle.ASCII)
                    .setUnit(" steps", 1)
                    .showSpeed()
                    .setUpdateIntervalMillis(1000)
                    .build();
        }
        bar.step();
    }

    @Override
    public void onStep(RunContext run, long step, Map<String, Double> metrics) {
        if (bar != null && metrics.containsKey("loss")) {
            bar.setExtraMessage(String.format(" loss %.4f", metrics.get("loss")));
        }
    }

    @Override
    public void onEvaluation(RunContext run, int epoch, long step, Map<String, Double> metrics) {
        close();
    }

    @Override
    public void onRunEnd(RunContext run, String status, Map<String, Object> summary) {
        close();
    }

    private void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
