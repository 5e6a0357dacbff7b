package io.spotlight.cam.map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

/** A cached scalar gives the Number overloads' results to the bit, in the array's type. */
class ScalarsTest {
    @Test
    void aCachedScalarGivesTheNumberOverloadsResultsInTheArraysType() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            m.getEngine().setRandomSeed(5);
            for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
                NDArray x = m.randomUniform(-1, 1, new Shape(4, 3)).toType(type, false);
                assertArrayEquals(d(x.mul(0.01)), d(x.mul(Scalars.of(x, 0.01))));
                assertArrayEquals(d(x.add(1e-8)), d(x.add(Scalars.of(x, 1e-8))));
                assertArrayEquals(d(x.mul(-64L)), d(x.mul(Scalars.of(x, -64))));
                assertArrayEquals(d(x.maximum(0)), d(x.maximum(Scalars.of(x, 0))));
                assertArrayEquals(x.gt(-0.5).toBooleanArray(), x.gt(Scalars.of(x, -0.5)).toBooleanArray());
                assertEquals(type, x.mul(Scalars.of(x, 0.01)).getDataType());
                // a 0-dim operand of another type would promote a 0-dim array; the cached one has its type
                NDArray scalar = x.sum();
                assertEquals(type, scalar.mul(Scalars.of(scalar, 0.01)).getDataType());
                assertEquals(new Shape(), Scalars.of(x, 2).getShape());
                assertEquals(x.getDevice(), Scalars.of(x, 2).getDevice());
            }
            NDArray f = m.zeros(new Shape(2));
            assertSame(Scalars.of(f, 3), Scalars.of(f, 3), "made once per value, type and device");
            assertNotSame(Scalars.of(f, 3), Scalars.of(f.toType(DataType.FLOAT64, false), 3));
        }
    }

    private static double[] d(NDArray a) {
        return a.toType(DataType.FLOAT64, false).toDoubleArray();
    }
}
