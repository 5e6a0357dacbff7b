package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.spotlight.cam.target.CamTarget;
import io.spotlight.cam.target.Targets;
import org.junit.jupiter.api.Test;

/** What each target explains: its classes (int64, for gather and one-hot) and its score. */
class TargetsTest {
    @Test
    void classTargetsGiveInt64ClassesAndTheirLogitsOrLogProbabilities() {
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            NDArray logits = m.create(new float[] {1, 3, 2, /* sample 2 */ 0, 0, 5}, new Shape(2, 3));
            NDArray labels = m.create(new int[] {2, 0});
            for (CamTarget t : new CamTarget[] {Targets.label(), Targets.predicted(), Targets.fixedClass(1), Targets.labelLogProbability()}) {
                assertEquals(DataType.INT64, t.classes(logits, labels, "h").getDataType(), t.name());
            }
            assertArrayEquals(new long[] {2, 0}, Targets.label().classes(logits, labels, "h").toLongArray());
            assertArrayEquals(new long[] {1, 2}, Targets.predicted().classes(logits, labels, "h").toLongArray());
            assertArrayEquals(new long[] {1, 1}, Targets.fixedClass(1).classes(logits, labels, "h").toLongArray());
            assertArrayEquals(new float[] {2, 0}, Targets.label().score(logits, labels, "h").toFloatArray());
            // log_softmax([1,3,2])[2] = 2 - log(e + e^3 + e^2)
            double lse = Math.log(Math.exp(1) + Math.exp(3) + Math.exp(2));
            assertEquals(2 - lse, Targets.labelLogProbability().score(logits, labels, "h").getFloat(0), 1e-5);
            // sum_k log_softmax([1,3,2])[k] = 6 - 3 lse
            assertEquals(6 - 3 * lse, Targets.allLogProbabilities().score(logits, labels, "h").getFloat(0), 1e-5);
            assertNull(Targets.allLogProbabilities().classes(logits, labels, "h"), "no single class is explained");
            CamTarget margin = Targets.of("margin", z -> z.max(new int[] {1}).sub(z.min(new int[] {1})));
            assertArrayEquals(new float[] {2, 5}, margin.score(logits, null, "h").toFloatArray());
            assertNull(margin.classes(logits, null, "h"));
        }
    }

    @Test
    void parseKnowsTheConfigNames() {
        assertEquals("label", Targets.parse("label").name());
        assertEquals("logprob", Targets.parse("logprob").name());
        assertEquals("pred", Targets.parse("pred").name());
        assertEquals("logprob_sum", Targets.parse("logprob_sum").name());
        assertEquals("4", Targets.parse("4").name());
        CamException e = assertThrows(CamException.class, () -> Targets.parse("best"));
        assertEquals("unknown target 'best'; expected label, logprob, logprob_sum, pred or a class index", e.getMessage());
    }
}
