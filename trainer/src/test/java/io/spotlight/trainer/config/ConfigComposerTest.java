package io.spotlight.trainer.config;

import static io.spotlight.trainer.config.Fixtures.compose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConfigComposerTest {

    @Test
    void eachSelectedGroupFileIsPlacedUnderItsGroupKey() {
        Config c = compose(Fixtures.train()).config();
        assertEquals("decoy-fmnist", c.getString("dataset.name"));
        assertEquals(4, c.getInt("dataset.decoy.patch"));
        assertEquals("small-cnn", c.getString("model.name"));
        assertEquals("none", c.getString("guidance.method"));
        assertEquals("adam", c.getString("optimizer.name"));
        assertEquals("http://127.0.0.1:5000", c.getString("tracking.uri"));
        assertEquals(42, c.getInt("seed"));
    }

    @Test
    void primaryKeysOverrideGroupValuesAndMergeWithThem() {
        Config c = compose(Fixtures.train()).config();
        assertEquals(0.001, c.getDouble("optimizer.lr"), "train.conf's lr beats adam.conf's 0.01");
        assertEquals("adam", c.getString("optimizer.name"), "the rest of adam.conf is kept");
        assertEquals(List.of(0.9, 0.999), c.getDoubleList("optimizer.betas"));
    }

    @Test
    void selfFirstInTheDefaultsListLetsGroupsOverrideThePrimary() {
        Config c = compose(Fixtures.file("precedence/self-first.conf")).config();
        assertEquals(0.01, c.getDouble("optimizer.lr"), "adam.conf comes after _self_ and wins");
        assertEquals(3, c.getInt("optimizer.warmup"), "keys only the primary has survive");
    }

    @Test
    void includesAreRelativeToTheIncludingFile() {
        assertEquals(64, compose(Fixtures.train()).config().getInt("batch_size"));
        // experiment.conf includes ../../configs/train.conf, which includes shared/loop.conf
        assertEquals(10, compose(Fixtures.experiment()).config().getInt("log_every"));
    }

    @Test
    void includesInAGroupFileAreRelativeToItAndLandUnderTheGroupKey() {
        ComposedConfig composed = compose(Fixtures.train(), "model=wide-cnn");
        assertEquals("relu", composed.config().getString("model.activation"));
        assertFalse(composed.config().hasPath("activation"));
        assertTrue(composed.sourceFiles().contains(Fixtures.repoConfigs().resolve("shared/activation.conf")));
    }

    @Test
    void groupInterpolationsLookInTheGroupFirstThenAtTheRoot() {
        Config c = compose(Fixtures.train()).config();
        assertEquals(64, c.getInt("model.head_width"), "${hidden} in model/small-cnn.conf is model.hidden");
        assertEquals(10, c.getInt("model.num_classes"), "${dataset.num_classes} is absolute");
        assertEquals("spotlight-decoy-fmnist", c.getString("tracking.experiment"));
        assertEquals(2, c.getInt("checkpoint_every"));
    }

    @Test
    void experimentElsewhereIsAPrimaryThatPicksGroupsFromItsFolderThenRepoConfigs() {
        ComposedConfig composed = compose(Fixtures.experiment());
        Config c = composed.config();
        assertEquals("wide-cnn", c.getString("model.name"), "defaults += {model = wide-cnn} replaces small-cnn");
        assertEquals(10.0, c.getDouble("guidance.lambda"), "guidance/strong.conf exists only next to the experiment");
        assertEquals(5, c.getInt("epochs"));
        assertEquals(5, c.getInt("checkpoint_every"), "interpolation in the included train.conf sees the experiment's epochs");
        assertEquals(42, c.getInt("seed"));
        Map<String, String> expected = new LinkedHashMap<>();
        expected.put("dataset", "decoy-fmnist");
        expected.put("model", "wide-cnn");
        expected.put("guidance", "strong");
        expected.put("optimizer", "adam");
        expected.put("tracking", "local");
        assertEquals(List.copyOf(expected.entrySet()), List.copyOf(composed.groupChoices().entrySet()),
                "a group listed twice keeps its first position");
    }

    @Test
    void thePrimaryFolderIsSearchedBeforeRepoConfigs() {
        assertTrue(compose(Fixtures.experiment(), "guidance=none").config().getBoolean("guidance.shadowed"));
        assertFalse(compose(Fixtures.train()).config().hasPath("guidance.shadowed"));
    }

    @Test
    void theSearchPathIsExactlyWhatIsPassed() {
        ConfigComposer repoOnly = new ConfigComposer(SearchPath.of(Fixtures.repoConfigs()));
        String message = assertThrows(SpotlightConfigError.class,
                () -> repoOnly.compose(Fixtures.experiment(), List.of())).getMessage();
        assertTrue(message.contains("'guidance' has no option 'strong'"), message);
        assertEquals(List.of(Fixtures.experiment().getParent(), Fixtures.repoConfigs()),
                SearchPath.forPrimary(Fixtures.experiment(), Fixtures.repoConfigs()).dirs());
    }

    @Test
    void sourceFilesListEveryFileRead() {
        List<Path> files = compose(Fixtures.train()).sourceFiles();
        Path configs = Fixtures.repoConfigs();
        for (String name : List.of("train.conf", "shared/loop.conf", "dataset/decoy-fmnist.conf",
                "model/small-cnn.conf", "guidance/none.conf", "optimizer/adam.conf", "tracking/local.conf")) {
            assertTrue(files.contains(configs.resolve(name)), name + " in " + files);
        }
        assertEquals(configs.resolve("train.conf"), files.get(0));
        assertEquals(7, files.size(), files.toString());
    }

    @Test
    void theDefaultsListIsNotPartOfTheResultAndRunDirIsAlwaysDeclared() {
        Config c = compose(Fixtures.train()).config();
        assertFalse(c.hasPathOrNull("defaults"));
        assertTrue(c.hasPathOrNull("run.dir"));
        assertTrue(c.getIsNull("run.dir"));
    }

    @Test
    void aGroupListedAsNullIsNotComposed() {
        ComposedConfig composed = compose(Fixtures.file("precedence/optional-tracking.conf"));
        assertFalse(composed.config().hasPath("tracking"));
        assertEquals(Map.of("optimizer", "sgd"), composed.groupChoices());
    }
}
