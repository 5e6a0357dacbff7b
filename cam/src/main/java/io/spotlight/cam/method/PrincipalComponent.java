package io.spotlight.cam.method;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;

/**
 * pytorch-grad-cam's {@code get_2d_projection}: each sample's [K, h, w] array, seen as h·w points
 * in K dimensions and centred, projected on its first principal component (the top eigenvector of
 * the K × K scatter matrix, from EJML on the host, so post hoc only). The component's sign is
 * arbitrary; as in pytorch-grad-cam's {@code get_2d_projection_with_sign_correction} it is chosen
 * so that the projection's largest magnitude is positive.
 */
public final class PrincipalComponent {
    private PrincipalComponent() {}

    /** The first component per sample, [B, K, 1, 1], of {@code x} [B, K, h, w]. */
    public static NDArray components(NDArray x) {
        Shape s = x.getShape();
        int b = (int) s.get(0);
        int k = (int) s.get(1);
        int cells = (int) (s.get(2) * s.get(3));
        double[] all = centred(x).toType(DataType.FLOAT64, false).toDoubleArray();
        double[] out = new double[b * k];
        for (int i = 0; i < b; i++) {
            DMatrixRMaj points = new DMatrixRMaj(cells, k); // [h·w, K]
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < cells; p++) {
                    points.set(p, c, all[(i * k + c) * cells + p]);
                }
            }
            DMatrixRMaj scatter = new DMatrixRMaj(k, k);
            CommonOps_DDRM.multTransA(points, points, scatter);
            EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(k, true, true);
            if (!eig.decompose(scatter)) {
                continue; // leaves a zero component: a zero map
            }
            int best = 0;
            for (int e = 1; e < k; e++) {
                if (eig.getEigenvalue(e).getReal() > eig.getEigenvalue(best).getReal()) {
                    best = e;
                }
            }
            DMatrixRMaj v = eig.getEigenVector(best);
            if (v == null) {
                continue;
            }
            DMatrixRMaj projection = new DMatrixRMaj(cells, 1);
            CommonOps_DDRM.mult(points, v, projection);
            double sign = Math.abs(CommonOps_DDRM.elementMin(projection)) > Math.abs(CommonOps_DDRM.elementMax(projection)) ? -1 : 1;
            for (int c = 0; c < k; c++) {
                out[i * k + c] = sign * v.get(c, 0);
            }
        }
        return x.getManager().create(out, new Shape(b, k, 1, 1)).toType(x.getDataType(), false).toDevice(x.getDevice(), false);
    }

    /** {@code x} minus its mean over the spatial positions, per sample and channel. */
    public static NDArray centred(NDArray x) {
        return x.sub(CamContext.spatialMean(x));
    }

    /** The projection [B, h, w] of the centred {@code x} on {@code components} [B, K, 1, 1]. */
    public static NDArray project(NDArray x, NDArray components) {
        return CamMethod.combine(components, centred(x));
    }
}
