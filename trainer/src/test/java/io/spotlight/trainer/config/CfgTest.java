package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

class CfgTest {
    enum Layer { FIRST_CONV, LAST_CONV }

    private static final Cfg CFG = Fixtures.compose(Fixtures.train(), "model=wide-cnn", "guidance=gradcam",
            "++fraction=2.5").cfg();

    private static void assertFailsMentioning(Executable access, String... parts) {
        String message = assertThrows(SpotlightConfigError.class, access).getMessage();
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void typedGettersReturnValues() {
        assertEquals(2, CFG.getInt("epochs", 1, 100));
        assertEquals(0.001, CFG.getDouble("optimizer.lr", 0, 1));
        assertEquals(1.0, CFG.getDouble("guidance.lambda"));
        assertEquals(Layer.LAST_CONV, CFG.getEnum("guidance.layer", Layer.class));
        assertEquals("adam", CFG.getStringIn("optimizer.name", Set.of("adam", "sgd")));
        assertEquals(256, CFG.at("model").getInt("hidden"));
        assertEquals("42", CFG.getString("seed"));
    }

    @Test
    void outOfRangeNamesKeyRangeValueAndDefinition() {
        assertFailsMentioning(() -> CFG.getInt("epochs", 3, 10),
                "'epochs'", "an integer in [3, 10]", "a number 2", "train.conf:13");
        assertFailsMentioning(() -> CFG.getDouble("optimizer.lr", 0.01, 1.0),
                "'optimizer.lr'", "a number in [0.01, 1.0]", "0.001", "train.conf:15");
    }

    @Test
    void wrongTypeNamesExpectedTypeAndValue() {
        assertFailsMentioning(() -> CFG.getInt("dataset.name"), "'dataset.name'", "an integer", "\"decoy-fmnist\"",
                "dataset/decoy-fmnist.conf:1");
        assertFailsMentioning(() -> CFG.getInt("fraction"), "'fraction'", "an integer", "2.5");
        assertFailsMentioning(() -> CFG.getBoolean("seed"), "'seed'", "a boolean");
        assertFailsMentioning(() -> CFG.getString("run.dir"), "'run.dir'", "a string", "null");
    }

    @Test
    void choicesAreListed() {
        assertFailsMentioning(() -> CFG.getStringIn("optimizer.name", Set.of("sgd", "lbfgs")),
                "'optimizer.name'", "one of [lbfgs, sgd]", "\"adam\"");
        assertFailsMentioning(() -> CFG.getEnum("guidance.method", Layer.class),
                "'guidance.method'", "one of [first-conv, last-conv]", "\"gradcam\"", "guidance/gradcam.conf:1");
    }

    @Test
    void missingKeysKeepTheFullPathAndSuggestCloseMatches() {
        assertFailsMentioning(() -> CFG.at("optimizer").getDouble("lrr"), "'optimizer.lrr'", "Did you mean lr");
        assertFailsMentioning(() -> CFG.getInt("epoch"), "'epoch'", "Did you mean epochs");
    }
}
