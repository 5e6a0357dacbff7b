package io.spotlight.cam.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleSupplier;

/**
 * Compares analytic parameter gradients with central finite differences in float64.
 *
 * <p>The relative error of one coordinate is {@code |analytic - numeric| / max(|analytic|,
 * |numeric|, floor)}, where {@code floor} is 1e-3 of the largest gradient seen: coordinates a
 * thousand times smaller than the largest one are judged on that absolute scale, as
 * torch.autograd.gradcheck does with its atol.
 */
public final class GradCheck {
    private final Block block;
    private final NDManager manager;
    private final double step;
    private final int coordinatesPerParameter;
    private final Random random;

    public GradCheck(Block block, NDManager manager, double step, int coordinatesPerParameter, long seed) {
        this.block = block;
        this.manager = manager;
        this.step = step;
        this.coordinatesPerParameter = coordinatesPerParameter;
        this.random = new Random(seed);
    }

    /** Result of one check: the worst relative error and where it occurred. */
    public record Result(double worstRelativeError, String worstAt, int coordinates) {}

    /**
     * @param analyticBackward runs the loss inside a GradientCollector and calls backward on it
     * @param lossValue evaluates the same loss with the current parameter values (no collector open)
     */
    public Result run(Runnable analyticBackward, DoubleSupplier lossValue) {
        List<Pair<String, Parameter>> params = new ArrayList<>();
        block.getParameters().forEach(params::add);
        for (Pair<String, Parameter> p : params) {
            NDArray a = p.getValue().getArray();
            if (a.hasGradient()) {
                NDArray g = a.getGradient();
                g.subi(g);
            }
        }
        analyticBackward.run();
        List<double[]> analytic = new ArrayList<>();
        double largest = 0;
        for (Pair<String, Parameter> p : params) {
            // A parameter the loss does not reach has no .grad; DJL then returns float32 zeros.
            double[] g = p.getValue().getArray().getGradient().toType(ai.djl.ndarray.types.DataType.FLOAT64, false).toDoubleArray();
            analytic.add(g);
            for (double v : g) {
                largest = Math.max(largest, Math.abs(v));
            }
        }
        double floor = Math.max(1e-3 * largest, 1e-12);
        double worst = 0;
        String worstAt = "";
        int count = 0;
        for (int i = 0; i < params.size(); i++) {
            NDArray array = params.get(i).getValue().getArray();
            long size = array.size();
            for (int c = 0; c < Math.min(coordinatesPerParameter, size); c++) {
                int index = random.nextInt((int) size);
                double[] oneHot = new double[(int) size];
                oneHot[index] = step;
                NDArray delta = manager.create(oneHot).reshape(array.getShape()).toType(array.getDataType(), false);
                array.addi(delta);
                double plus = lossValue.getAsDouble();
                array.subi(delta).subi(delta);
                double minus = lossValue.getAsDouble();
                array.addi(delta);
                double numeric = (plus - minus) / (2 * step);
                double a = analytic.get(i)[index];
                double rel = Math.abs(a - numeric) / Math.max(Math.max(Math.abs(a), Math.abs(numeric)), floor);
                count++;
                if (rel > worst) {
                    worst = rel;
                    worstAt = params.get(i).getKey() + "[" + index + "] analytic=" + a + " numeric=" + numeric;
                }
            }
        }
        return new Result(worst, worstAt, count);
    }
}
