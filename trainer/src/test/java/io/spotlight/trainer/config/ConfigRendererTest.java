package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigRendererTest {

    private static ComposedConfig awkward() {
        return Fixtures.compose(Fixtures.train(), "model=wide-cnn", "tracking.uri=http://h:1/#frag",
                "+literal='${not.a.ref}'", "+quote=\"say \\\"hi\\\"\"", "dataset.root=null", "+nested.list=[[1,2],{a=b}]");
    }

    @Test
    void renderedConfigParsesBackToTheSameConfig() {
        Config config = awkward().config();
        Config reparsed = ConfigFactory.parseString(ConfigRenderer.render(config)).resolve();
        assertEquals(config.root(), reparsed.root());
        assertEquals("${not.a.ref}", reparsed.getString("literal"));
    }

    @Test
    void renderingIsStableSortedAndHasNoComments() {
        String first = awkward().render();
        assertEquals(first, awkward().render());
        assertTrue(first.indexOf("checkpoint_every") < first.indexOf("dataset")
                && first.indexOf("dataset") < first.indexOf("epochs")
                && first.indexOf("epochs") < first.indexOf("model"), first);
        assertFalse(first.lines().anyMatch(line -> line.strip().startsWith("#")), first);
    }

    @Test
    void savedFilesHoldTheConfigTheOverridesAndTheGroupChoices(@TempDir Path runDir) {
        ComposedConfig composed = awkward();
        ConfigRenderer.save(runDir, composed);
        Config saved = ConfigFactory.parseFile(runDir.resolve(ConfigRenderer.CONFIG_FILE).toFile()).resolve();
        assertEquals(composed.config().root(), saved.root());
        Config record = ConfigFactory.parseFile(runDir.resolve(ConfigRenderer.OVERRIDES_FILE).toFile());
        assertEquals(composed.overrides(), record.getStringList("overrides"));
        assertEquals("wide-cnn", record.getString("choices.model"));
        assertEquals(List.of("dataset", "guidance", "model", "optimizer", "tracking"),
                record.getObject("choices").keySet().stream().sorted().toList());
    }
}
