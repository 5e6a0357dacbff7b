package io.spotlight.trainer.explain;

import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.spotlight.cam.model.CamModel;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.ConfigRenderer;
import io.spotlight.trainer.data.Head;
import io.spotlight.trainer.run.DatasetFactory;
import io.spotlight.trainer.run.GuidedTraining;
import io.spotlight.trainer.run.ModelFactory;
import io.spotlight.trainer.run.ModelWeights;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A trained run loaded back from its directory: the model rebuilt from {@code config.conf} (model
 * group plus the dataset's heads) with the weights of {@code model/model-0000.params}, as the CAM
 * code sees it. Close it to free the weights.
 */
public final class RunModel implements AutoCloseable {
    /** Where {@link GuidedTraining} saves the final model, relative to the run directory. */
    public static final String MODEL_DIR = "model";
    /** The prefix DJL's {@code Model.save(dir, "model")} gives the parameter file. */
    public static final String MODEL_PREFIX = "model";

    private final Path runDir;
    private final Cfg cfg;
    private final List<Head> heads;
    private final Shape imageShape;
    private final ModelFactory.BuiltModel built;
    private final Model model;
    private final CamModel camModel;
    private final ParameterStore parameters;

    private RunModel(Path runDir, Cfg cfg, List<Head> heads, Shape imageShape, ModelFactory.BuiltModel built, Model model) {
        this.runDir = runDir;
        this.cfg = cfg;
        this.heads = List.copyOf(heads);
        this.imageShape = imageShape;
        this.built = built;
        this.model = model;
        this.camModel = CamModel.of(built.block());
        this.parameters = new ParameterStore(model.getNDManager(), false);
    }

    /**
     * Loads the run in {@code runDir}.
     *
     * @throws ExplainException naming the missing or unreadable file
     */
    public static RunModel load(Path runDir) {
        if (!Files.isDirectory(runDir)) {
            throw new ExplainException("run directory " + runDir + " does not exist");
        }
        Path configFile = runDir.resolve(ConfigRenderer.CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw new ExplainException("run directory " + runDir + " has no " + ConfigRenderer.CONFIG_FILE
                    + " (missing file " + configFile + "); point --model at a directory written by ./spotlight train");
        }
        Path params = runDir.resolve(MODEL_DIR).resolve(MODEL_PREFIX + "-0000.params");
        if (!Files.isRegularFile(params)) {
            throw new ExplainException("run directory " + runDir + " has no trained model (missing file " + params
                    + "); the run may not have finished");
        }
        Cfg cfg = readConfig(configFile);
        List<Head> heads = DatasetFactory.heads(cfg.at("dataset"));
        Shape imageShape = DatasetFactory.imageShape(cfg.at("dataset"));
        ModelFactory.BuiltModel built = ModelFactory.build(cfg.at("model"), heads);
        String device = cfg.has("device") ? cfg.getStringIn("device", Set.of("auto", "cpu", "gpu")) : "auto";
        Model model = Model.newInstance(cfg.has("name") ? cfg.getString("name") : "model", GuidedTraining.device(device), "PyTorch");
        try {
            model.setBlock(built.block());
            // Initialising first gives every parameter its shape, so a file for another
            // architecture fails on load with a shape message instead of producing garbage.
            built.block().initialize(model.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(imageShape));
            // model-0000.params starts with DJL's header (magic "DJL@", version, model name, data
            // type, properties), then the block's parameters; Model.load reads both.
            Map<String, Shape> expected = ModelWeights.shapes(built.block());
            model.load(runDir.resolve(MODEL_DIR), MODEL_PREFIX);
            ModelWeights.requireShapes(expected, ModelWeights.shapes(built.block()), "the file");
            return new RunModel(runDir, cfg, heads, imageShape, built, model);
        } catch (IOException | MalformedModelException | RuntimeException e) {
            model.close();
            throw new ExplainException("cannot load " + params + " into the model of " + configFile + ": " + e.getMessage(), e);
        }
    }

    private static Cfg readConfig(Path file) {
        try {
            Config c = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false)).resolve();
            return new Cfg(c);
        } catch (ConfigException e) {
            throw new ExplainException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    public Path runDir() {
        return runDir;
    }

    /** The run's resolved config. */
    public Cfg config() {
        return cfg;
    }

    /** The model's heads in output order, with their class names. */
    public List<Head> heads() {
        return heads;
    }

    /** The input shape C×H×W the model was trained on. */
    public Shape imageShape() {
        return imageShape;
    }

    /** The block and its layer aliases. */
    public ModelFactory.BuiltModel built() {
        return built;
    }

    public Model model() {
        return model;
    }

    public CamModel camModel() {
        return camModel;
    }

    public ParameterStore parameters() {
        return parameters;
    }

    @Override
    public void close() {
        model.close();
    }
}
