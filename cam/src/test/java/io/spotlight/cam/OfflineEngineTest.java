package io.spotlight.cam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import io.spotlight.cam.autograd.Autograd;
import org.junit.jupiter.api.Test;

/** The PyTorch engine loads from the Maven artifacts with the network forbidden. */
class OfflineEngineTest {
    @Test
    void engineLoadsOffline() {
        assertEquals("true", System.getProperty("ai.djl.offline"), "surefire runs with ai.djl.offline=true");
        Engine engine = Engine.getEngine("PyTorch");
        assertEquals("PyTorch", engine.getEngineName());
        assertTrue(engine.getVersion().startsWith("2.7.1"), engine.getVersion());
        try (NDManager m = NDManager.newBaseManager("PyTorch")) {
            assertEquals(6f, m.create(new float[] {1, 2, 3}).sum().getFloat());
            // the hand-written TorchScript module loads and differentiates
            var x = m.create(new float[] {1, 2, 3});
            x.setRequiresGradient(true);
            try (var gc = engine.newGradientCollector()) {
                var g = Autograd.grad(x.square().sum(), x, false);
                assertEquals(12f, g.sum().getFloat(), 1e-6f);
            }
        }
    }
}
