package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.spotlight.cam.model.MultiHeadBlock;
import io.spotlight.cam.testing.TestModels;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MultiHeadBlockTest {
    private static MultiHeadBlock model() {
        return TestModels.multiHead(TestModels.reluTrunk(4), "left", TestModels.linearHead(3), "right", TestModels.mlpHead(5, 2));
    }

    @Test
    void returnsOneOutputPerHeadInOrderAndSurvivesSaveAndLoad() throws Exception {
        Shape in = new Shape(2, 1, 8, 8);
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            MultiHeadBlock a = TestModels.init(model(), m, DataType.FLOAT32, in);
            NDArray x = m.randomNormal(in);
            NDList out = a.forward(new ParameterStore(m, false), new NDList(x), false);
            assertEquals(new Shape(2, 3), out.get(0).getShape());
            assertEquals(new Shape(2, 2), out.get(1).getShape());
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            a.saveParameters(new DataOutputStream(bytes));
            MultiHeadBlock b = TestModels.init(model(), m, DataType.FLOAT32, in);
            b.loadParameters(m, new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            NDList again = b.forward(new ParameterStore(m, false), new NDList(x), false);
            assertArrayEquals(out.get(1).toFloatArray(), again.get(1).toFloatArray(), 0f);
        }
    }

    @Test
    void rejectsReservedHeadNames() {
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadBlock(TestModels.reluTrunk(2), Map.of("trunk", TestModels.linearHead(2))));
        assertThrows(IllegalArgumentException.class, () -> new MultiHeadBlock(TestModels.reluTrunk(2), Map.of()));
    }
}
