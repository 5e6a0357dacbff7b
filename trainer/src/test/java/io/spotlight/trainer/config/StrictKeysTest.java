package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Config files are strict: keys must be Spotlight's, or marked with + as the user's own. */
class StrictKeysTest {
    private static final Path REPO_CONFIGS = Path.of("..", "configs").toAbsolutePath().normalize();

    @TempDir
    Path tmp;

    private ComposedConfig compose(String... lines) throws Exception {
        Path file = tmp.resolve("my.conf");
        Files.writeString(file, "include file(\"" + REPO_CONFIGS.resolve("train.conf") + "\")\n" + String.join("\n", lines) + "\n");
        return ConfigComposer.compose(file, REPO_CONFIGS, List.of());
    }

    private String error(String... lines) {
        return assertThrows(SpotlightConfigError.class, () -> compose(lines)).getMessage();
    }

    @Test
    void aTypoBesideTheRealKeyNamesFileLineAndTheCloseMatch() {
        String m = error("epochs = 2", "epoch = 5");
        assertTrue(m.contains("Config key 'epoch'") && m.contains(tmp.resolve("my.conf") + ":3") && m.contains("Did you mean epochs"), m);
    }

    @Test
    void typosInsideGroupObjectsAreCaught() {
        assertTrue(error("guidance { auto_scal = false }").contains("Did you mean guidance.auto_scale"));
        assertTrue(error("snapshot { samplez = 3 }").contains("'snapshot.samplez'"));
    }

    @Test
    void everyUndeclaredKeyIsListed() {
        String m = error("epoch = 5", "batchsize = 3");
        assertTrue(m.contains("'epoch'") && m.contains("'batchsize'"), m);
    }

    @Test
    void keysMarkedWithPlusAreTheUsersOwn() throws Exception {
        ComposedConfig c = compose("\"+my_flag\" = 3", "dataset { \"+note\" = hello }");
        assertEquals(3, c.config().getInt("my_flag"));
        assertEquals("hello", c.config().getString("dataset.note"));
    }

    @Test
    void namesTheUserChoosesAreFreeButWhatFollowsThemIsChecked() throws Exception {
        ComposedConfig c = compose("guidance { terms { mine { penalty = outside_share, method = hirescam, layer = conv1, lambda = 0.5,",
                "  dilation = 0, mode = exact, target = logprob, heads = all } } }", "model { layers { early = \"trunk/0\" } }");
        assertEquals(0.5, c.config().getDouble("guidance.terms.mine.lambda"));
        String m = error("guidance { terms { mine { lamda = 0.5 } } }");
        assertTrue(m.contains("'guidance.terms.mine.lamda'"), m);
    }

    @Test
    void setKeysThatExistAreAccepted() throws Exception {
        ComposedConfig c = compose("epochs = 3", "optimizer { lr = 0.01 }", "compare { anything = 1 }");
        assertEquals(3, c.config().getInt("epochs"));
    }
}
