package io.spotlight.trainer.run;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts a model from a user's DJL parameter file ({@code model.weights}) instead of random
 * initialisation. The file may be a whole Spotlight model ({@code Model.save}'s
 * {@code model-0000.params} of a run, or a checkpoint's {@code model.params}) or a trunk alone
 * ({@code Block.saveParameters} of a backbone, e.g. a DJL ResNetV1 trained elsewhere; parameters
 * after the trunk's, such as that network's own classifier, are ignored).
 *
 * <p>{@code model.weights_scope = trunk} (the default) loads the trunk only and leaves every head
 * at its initialisation, like PyTorch's {@code load_state_dict(strict=False)} for a new head:
 * heads are per data set, and DJL's parameter files carry no head names by which heads could be
 * matched safely. {@code all} loads the heads too and needs a whole model with exactly this
 * model's heads. Either way every loaded parameter must have the name and shape this model
 * expects; DJL itself checks names but takes any shape, which would fail later deep inside a
 * forward pass.
 */
public final class ModelWeights {
    public static final String KEY = "weights";
    public static final String SCOPE_KEY = "weights_scope";
    private static final byte[] MODEL_FILE_MAGIC = "DJL@".getBytes(StandardCharsets.US_ASCII);

    private ModelWeights() {}

    /** What to take from the file. */
    public enum Scope {
        TRUNK,
        ALL
    }

    /** What was loaded, for the run's log. */
    public record Loaded(Path file, Scope scope, boolean wholeModel, int parameters, long bytesIgnored) {
        @Override
        public String toString() {
            return "loaded " + parameters + " " + (scope == Scope.ALL ? "" : "trunk ") + "parameters from " + file
                    + (wholeModel ? " (a whole model" : " (a trunk") + (bytesIgnored > 0 ? "; " + bytesIgnored
                    + " bytes after what was loaded ignored" : "") + ")" + (scope == Scope.TRUNK ? "; heads initialised" : "");
        }
    }

    /** The configured file, checked to exist, or empty when {@code model.weights} is unset or "". */
    public static Optional<Path> configured(Cfg model) {
        if (!model.has(KEY) || model.getString(KEY).isEmpty()) {
            return Optional.empty();
        }
        scope(model);
        Path file = Path.of(model.getString(KEY));
        if (!Files.isRegularFile(file)) {
            throw new SpotlightConfigError("model." + KEY + ": no such file " + file.toAbsolutePath()
                    + " (a DJL parameter file: a run's model/model-0000.params, a checkpoint's model.params, or a trunk's"
                    + " Block.saveParameters)");
        }
        return Optional.of(file);
    }

    /**
     * Initialises {@code built} for {@code imageShape} and loads the configured file into it; does
     * nothing when none is configured. Call before the trainer initialises: it keeps loaded values.
     */
    public static Optional<Loaded> loadConfigured(Cfg model, ModelFactory.BuiltModel built, NDManager manager, Shape imageShape) {
        Optional<Path> file = configured(model);
        if (file.isEmpty()) {
            return Optional.empty();
        }
        built.block().initialize(manager, DataType.FLOAT32, new Shape(1).addAll(imageShape));
        Loaded loaded = load(file.get(), built.block(), scope(model), manager);
        System.out.println("model weights: " + loaded);
        return Optional.of(loaded);
    }

    /**
     * Loads {@code file} into an initialised {@code block}.
     *
     * @throws SpotlightConfigError naming the file and, for a mismatch, the parameter and both shapes
     */
    public static Loaded load(Path file, MultiHeadBlock block, Scope scope, NDManager manager) {
        String what = "model." + KEY + " = " + file;
        try {
            byte[] bytes = Files.readAllBytes(file);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            skipModelFileHeader(in, bytes);
            in.mark(Integer.MAX_VALUE);
            boolean whole = in.readByte() == MultiHeadBlock.VERSION;
            in.reset();
            Block target = scope == Scope.ALL ? block : block.getTrunk();
            if (scope == Scope.ALL && !whole) {
                throw new SpotlightConfigError(what + " holds a trunk only, no heads; set model." + SCOPE_KEY
                        + " = trunk to load it and train the heads from their initialisation");
            }
            if (whole && scope == Scope.TRUNK) {
                block.loadMetadata(in.readByte(), in); // the MultiHeadBlock's own header; its trunk follows
            }
            Map<String, Shape> expected = shapes(target);
            try {
                target.loadParameters(manager, in);
            } catch (EOFException e) {
                throw new SpotlightConfigError(what + " ends before this model's " + (scope == Scope.ALL ? "heads " + block.getHeadNames()
                        : "trunk") + " do: it holds a smaller network (another architecture, depth, or fewer heads)", e);
            }
            requireShapes(expected, shapes(target), file.toString());
            if (scope == Scope.ALL && in.available() > 0) {
                throw new SpotlightConfigError(what + " holds " + in.available() + " more bytes after this model's heads "
                        + block.getHeadNames() + ": it has other heads; load its trunk with model." + SCOPE_KEY + " = trunk");
            }
            for (Pair<String, Parameter> p : target.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    // DJL's Parameter.load replaces the array without the flag: training would find no gradient
                    p.getValue().getArray().setRequiresGradient(true);
                }
            }
            return new Loaded(file, scope, whole, expected.size(), scope == Scope.ALL || !whole ? in.available() : 0);
        } catch (MalformedModelException | IOException e) {
            throw new SpotlightConfigError(what + " does not fit this model (another architecture?): " + e.getMessage(), e);
        }
    }

    /** The parameters' shapes by name, in order. */
    public static Map<String, Shape> shapes(Block block) {
        Map<String, Shape> shapes = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            shapes.put(p.getKey(), p.getValue().getArray().getShape());
        }
        return shapes;
    }

    /**
     * DJL reads parameters with the shapes stored in the file, whatever the block expects, so a
     * mismatch is checked here, after loading.
     */
    public static void requireShapes(Map<String, Shape> expected, Map<String, Shape> loaded, String source)
            throws MalformedModelException {
        for (Map.Entry<String, Shape> e : expected.entrySet()) {
            Shape got = loaded.get(e.getKey());
            if (!e.getValue().equals(got)) {
                throw new MalformedModelException("parameter " + e.getKey() + " has shape " + got + " in " + source
                        + ", but the config's model needs " + e.getValue());
            }
        }
    }

    private static Scope scope(Cfg model) {
        if (!model.has(SCOPE_KEY)) {
            return Scope.TRUNK;
        }
        return Scope.valueOf(model.getStringIn(SCOPE_KEY, Set.of("trunk", "all")).toUpperCase(Locale.ROOT));
    }

    /**
     * {@code Model.save} writes "DJL@", a format version, the model's name, data type, input
     * descriptions and properties before the block's parameters; {@code Block.saveParameters}
     * writes the parameters alone. Leaves {@code in} at the block's parameters either way.
     */
    private static void skipModelFileHeader(DataInputStream in, byte[] bytes) throws IOException, MalformedModelException {
        if (bytes.length < MODEL_FILE_MAGIC.length
                || !java.util.Arrays.equals(bytes, 0, MODEL_FILE_MAGIC.length, MODEL_FILE_MAGIC, 0, MODEL_FILE_MAGIC.length)) {
            return;
        }
        in.skipNBytes(MODEL_FILE_MAGIC.length);
        int version = in.readInt();
        if (version != 1) {
            throw new MalformedModelException("unsupported DJL model file version " + version);
        }
        in.readUTF(); // model name
        in.readUTF(); // data type
        for (int i = in.readInt(); i > 0; i--) {
            in.readUTF();
            Shape.decode(in);
        }
        for (int i = in.readInt(); i > 0; i--) {
            in.readUTF();
            in.readUTF();
        }
    }
}
