package io.spotlight.trainer.explain;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./spotlight explain --model RUN_DIR --images PATH... --out DIR}: CAM overlays of a trained
 * run for image files. Prints a table (image, head, class, probability, peak; with {@code --combine}
 * a {@code combined(...)} row per image too), then the images that failed; exits 1 if any did.
 */
@Command(name = "explain", mixinStandardHelpOptions = true,
        description = "Explain a trained run's predictions on image files with CAM overlays and grids.")
public final class ExplainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "RUN_DIR",
            description = "run directory with config.conf and model/model-0000.params")
    Path model;

    @Option(names = "--images", required = true, arity = "1..*", paramLabel = "PATH",
            description = "PNG/JPEG files or folders of them (not recursive); grey, the model's input size")
    List<Path> images;

    @Option(names = "--method", defaultValue = ExplainOptions.DEFAULT_METHOD,
            description = "gradcam, gradcam++, xgradcam, layercam, hirescam, cam, scorecam, eigencam, eigengradcam, ablationcam,"
                    + " guidedbackprop, guidedgradcam or fullgrad (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--eigen-smooth", description = "project the weighted activations on their first principal component"
            + " instead of summing them (pytorch-grad-cam's eigen_smooth)")
    boolean eigenSmooth;

    @Option(names = "--aug-smooth", description = "average the maps over horizontal flips x input scaled by 0.9, 1, 1.1"
            + " (pytorch-grad-cam's aug_smooth; six CAM passes)")
    boolean augSmooth;

    @Option(names = "--target", defaultValue = ExplainOptions.DEFAULT_TARGET,
            description = "pred, label (from the file name: NAME_label3.png) or a class index (default: ${DEFAULT-VALUE})")
    String target;

    @Option(names = "--layer", description = "layer alias (conv1) or path (trunk/3), or several separated by commas"
            + " (combined as pytorch-grad-cam does: per-layer min-max, mean); default: the run's snapshot.layer;"
            + " with fullgrad: the Conv2d/BatchNorm layers whose bias terms are used (default: all)")
    String layer;

    @Option(names = "--colormap", defaultValue = ExplainOptions.DEFAULT_COLORMAP,
            description = "jet or viridis (default: ${DEFAULT-VALUE})")
    String colormap;

    @Option(names = "--combine", defaultValue = ExplainOptions.DEFAULT_COMBINE,
            description = "none, mean, max or confidence: one more overlay and table row combining the heads' maps,"
                    + " each over its own maximum; models with several heads only (default: ${DEFAULT-VALUE})")
    String combine;

    @Option(names = "--metrics", arity = "0..1", fallbackValue = "all", paramLabel = "LIST",
            description = "metrics per image and head, added to the table and to DIR/metrics.json: all (the flag alone)"
                    + " or a comma list of deletion_auc, insertion_auc, road_combined, confidence_change, pointing_game,"
                    + " energy_pointing_game, relevance_rank_accuracy, wrong_reason")
    String metrics;

    @Option(names = "--masks", paramLabel = "DIR",
            description = "masks for the localisation metrics: DIR/HEAD/FILE or DIR/FILE (same file name as the image, white = allowed)")
    Path masks;

    @Option(names = "--steps", defaultValue = "16", description = "deletion and insertion steps (default: ${DEFAULT-VALUE})")
    int steps;

    @Option(names = "--baseline", defaultValue = "mean",
            description = "what deleted pixels become: mean, blur or zero (default: ${DEFAULT-VALUE})")
    String baseline;

    @Option(names = "--road-percentiles", defaultValue = "10,20,30,40,50,60,70,80,90",
            description = "ROAD's percentiles (default: ${DEFAULT-VALUE})")
    String roadPercentiles;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "where NAME-grid.png and NAME-composite.png go")
    Path out;

    @Override
    public Integer call() {
        try (RunModel run = RunModel.load(model)) {
            ExplainMetrics measured = metrics == null ? null : new ExplainMetrics(List.of(metrics.split(",")), steps, baseline,
                    ExplainMetrics.parsePercentiles(roadPercentiles), masks);
            String m = eigenSmooth ? method + io.spotlight.cam.method.CamMethods.EIGEN_SMOOTH : method;
            Explainer explainer = new Explainer(run, new ExplainOptions(m, target, layer, colormap, combine), measured, augSmooth);
            ExplainResult result = explainer.explain(images, out);
            System.out.println(result.method() + " at layer " + result.layer() + " of " + model);
            System.out.print(result.table());
            if (!result.ok()) {
                System.err.println(result.failures().size() + " image(s) failed:");
                System.err.print(result.failureReport());
            }
            System.out.println("output: " + out);
            return result.ok() ? 0 : 1;
        }
    }
}
