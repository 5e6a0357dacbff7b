package io.spotlight.trainer.optim;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.util.Pair;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A small MLP (8 -> 16 -> relu -> 4) trained through DJL's own {@link Trainer} on fixed random
 * data, so that the optimizers are driven exactly as in a real run (ParameterStore, gradient
 * duplication, zeroing).
 */
final class TinyTraining implements AutoCloseable {
    static final int IN = 8;
    static final int CLASSES = 4;
    static final int BATCH = 8;
    static final int BATCHES = 4;

    final Model model;
    final Trainer trainer;
    private final NDArray x;
    private final NDArray y;
    private long step;

    /** A freshly initialised model (weights from {@code seed}) trained with {@code optimizer}. */
    TinyTraining(int seed, Optimizer optimizer) {
        this(seed, optimizer, null);
    }

    /** As above, but with parameters loaded from {@code params} (as written by {@link #parameters()}). */
    TinyTraining(int seed, Optimizer optimizer, byte[] params) {
        Engine.getEngine("PyTorch").setRandomSeed(seed);
        model = Model.newInstance("tiny", Device.cpu(), "PyTorch");
        Block block = new SequentialBlock().add(Linear.builder().setUnits(16).build()).add(Activation::relu)
                .add(Linear.builder().setUnits(CLASSES).build());
        model.setBlock(block);
        if (params != null) {
            // what a resume does: initialise, load, and only then let the trainer read the parameters
            block.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(BATCH, IN));
            try {
                Checkpoint.loadParameters(block, model.getNDManager(), new ByteArrayInputStream(params));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
        trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss()).optOptimizer(optimizer)
                .optDevices(new Device[] {Device.cpu()}));
        trainer.initialize(new Shape(BATCH, IN));
        Random r = new Random(11); // the data never depends on the model's seed
        float[] xs = new float[BATCH * BATCHES * IN];
        float[] ys = new float[BATCH * BATCHES];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < ys.length; i++) {
            ys[i] = r.nextInt(CLASSES);
        }
        NDManager m = trainer.getManager();
        x = m.create(xs, new Shape(BATCH * BATCHES, IN));
        y = m.create(ys, new Shape(BATCH * BATCHES));
    }

    /** {@code n} optimizer steps, cycling over the four batches. */
    TinyTraining steps(int n) {
        for (int i = 0; i < n; i++, step++) {
            try (NDManager scope = trainer.getManager().newSubManager()) {
                long from = (step % BATCHES) * BATCH;
                NDArray xb = x.get(from + ":" + (from + BATCH));
                NDArray yb = y.get(from + ":" + (from + BATCH));
                new NDList(xb, yb).attach(scope);
                try (GradientCollector gc = trainer.newGradientCollector()) {
                    NDArray out = trainer.forward(new NDList(xb)).singletonOrThrow();
                    NDArray loss = trainer.getLoss().evaluate(new NDList(yb), new NDList(out));
                    new NDList(out, loss).attach(scope);
                    gc.backward(loss);
                }
                trainer.step();
            }
        }
        return this;
    }

    /** Every parameter's values, in block order. */
    List<float[]> weights() {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    /** The parameters as {@code Block.saveParameters} writes them. */
    byte[] parameters() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            model.getBlock().saveParameters(out);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }

    /** The largest absolute difference between two weight lists. */
    static double maxDiff(List<float[]> a, List<float[]> b) {
        double worst = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int k = 0; k < a.get(i).length; k++) {
                worst = Math.max(worst, Math.abs((double) a.get(i)[k] - b.get(i)[k]));
            }
        }
        return worst;
    }

    @Override
    public void close() {
        trainer.close();
        model.close();
    }
}
