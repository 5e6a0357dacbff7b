package io.spotlight.cam.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.data.DMatrixSparseCSC;
import org.ejml.data.DMatrixSparseTriplet;
import org.ejml.interfaces.linsol.LinearSolverSparse;
import org.ejml.ops.DConvertMatrixStruct;
import org.ejml.sparse.FillReducing;
import org.ejml.sparse.csc.factory.LinearSolverFactory_DSCC;

/**
 * ROAD's noisy linear imputation (Rong et al. 2022; pytorch-grad-cam's {@code NoisyLinearImputer}):
 * every removed pixel becomes the weighted mean of its 8 neighbours (1/6 for the 4 direct ones,
 * 1/12 for the diagonals, the weights of neighbours outside the image dropped), solved as one
 * linear system over all removed pixels, plus Gaussian noise of standard deviation {@code noise}.
 * The sparse system is solved by EJML's sparse Cholesky (float64) on the host.
 */
public final class NoisyLinearImputer {
    private static final int[][] OFFSETS = {{1, 1}, {0, 1}, {-1, 1}, {1, -1}, {0, -1}, {-1, -1}, {1, 0}, {-1, 0}};
    private static final double[] WEIGHTS = {1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 12.0, 1 / 6.0, 1 / 12.0, 1 / 6.0, 1 / 6.0};
    private final double noise;
    private final Random random;

    public NoisyLinearImputer(double noise, long seed) {
        this.noise = noise;
        this.random = new Random(seed);
    }

    /**
     * @param image [C, H, W]
     * @param keep per pixel (row-major [H * W]) whether it stays; the others are imputed. Removed
     *     pixels that no kept pixel connects to (none kept at all, say) have nothing to interpolate
     *     from and become noise around 0.
     */
    public NDArray impute(NDArray image, boolean[] keep) {
        Shape s = image.getShape();
        int c = (int) s.get(0);
        int h = (int) s.get(1);
        int w = (int) s.get(2);
        double[] img = image.toType(DataType.FLOAT64, false).toDoubleArray();
        int[] unknownAt = new int[keep.length];
        int n = 0;
        for (int p = 0; p < keep.length; p++) {
            unknownAt[p] = keep[p] ? -1 : n++;
        }
        if (n == 0) {
            return image;
        }
        double[] solution = new double[n * c]; // [n, C]
        if (n < keep.length) {
            // the system of pytorch-grad-cam's setup_sparse_system, negated: symmetric positive definite
            // when every connected group of removed pixels touches a kept one, so Cholesky solves it
            DMatrixSparseTriplet a = new DMatrixSparseTriplet(n, n, 9 * n);
            DMatrixRMaj rhs = new DMatrixRMaj(n, c);
            for (int p = 0; p < keep.length; p++) {
                int i = unknownAt[p];
                if (i < 0) {
                    continue;
                }
                double weights = 1;
                for (int o = 0; o < OFFSETS.length; o++) {
                    int r = p / w + OFFSETS[o][0];
                    int col = p % w + OFFSETS[o][1];
                    if (r < 0 || col < 0 || r >= h || col >= w) {
                        weights -= WEIGHTS[o];
                        continue;
                    }
                    int q = r * w + col;
                    if (keep[q]) {
                        for (int ch = 0; ch < c; ch++) {
                            rhs.add(i, ch, WEIGHTS[o] * img[ch * h * w + q]);
                        }
                    } else {
                        a.addItem(i, unknownAt[q], -WEIGHTS[o]);
                    }
                }
                a.addItem(i, i, weights);
            }
            LinearSolverSparse<DMatrixSparseCSC, DMatrixRMaj> solver = LinearSolverFactory_DSCC.cholesky(FillReducing.NONE);
            DMatrixRMaj x = new DMatrixRMaj(n, c);
            if (solver.setA(DConvertMatrixStruct.convert(a, (DMatrixSparseCSC) null))) {
                solver.solve(rhs, x);
                solution = x.getData();
            } else {
                // removed pixels cut off from every kept one (e.g. none kept): nothing to interpolate
                // from, so they stay at 0 before the noise (SciPy's spsolve would return NaN here)
                java.util.Arrays.fill(solution, 0);
            }
        }
        double[] out = img.clone();
        for (int p = 0; p < keep.length; p++) {
            int i = unknownAt[p];
            if (i >= 0) {
                for (int ch = 0; ch < c; ch++) {
                    out[ch * h * w + p] = solution[i * c + ch] + noise * random.nextGaussian();
                }
            }
        }
        return image.getManager().create(out, s).toType(image.getDataType(), false).toDevice(image.getDevice(), false);
    }
}
