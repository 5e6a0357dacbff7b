package io.spotlight.trainer.config;

import static io.spotlight.trainer.config.Fixtures.compose;
import static io.spotlight.trainer.config.Fixtures.composeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class OverridesTest {
    private static final Path TRAIN = Fixtures.train();

    private static Config with(String... overrides) {
        return compose(TRAIN, overrides).config();
    }

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    // --- group=option ---

    @Test
    void groupOptionSwitchesTheWholeGroup() {
        ComposedConfig composed = compose(TRAIN, "model=wide-cnn");
        assertEquals("wide-cnn", composed.config().getString("model.name"));
        assertEquals(256, composed.config().getInt("model.head_width"));
        assertEquals("wide-cnn", composed.groupChoices().get("model"));
    }

    @Test
    void switchedGroupIsStillOverriddenByThePrimaryKeys() {
        Config c = with("optimizer=sgd");
        assertEquals("sgd", c.getString("optimizer.name"));
        assertEquals(0.9, c.getDouble("optimizer.momentum"));
        assertEquals(0.001, c.getDouble("optimizer.lr"));
        assertFalse(c.hasPath("optimizer.betas"), "nothing of adam.conf is left");
    }

    @Test
    void keyOverridesApplyAfterGroupSwitchesWhateverTheirOrder() {
        assertEquals(0.5, with("optimizer.lr=0.5", "optimizer=sgd").getDouble("optimizer.lr"));
    }

    @Test
    void plusAddsAGroupThatIsNotInTheDefaultsList() {
        Config c = compose(Fixtures.file("precedence/optional-tracking.conf"), "+guidance=gradcam").config();
        assertEquals("gradcam", c.getString("guidance.method"));
    }

    @Test
    void aGroupListedAsNullCanBeSelected() {
        Config c = compose(Fixtures.file("precedence/optional-tracking.conf"), "tracking=local").config();
        assertEquals("spotlight-none", c.getString("tracking.experiment"));
        assertEquals(c, compose(Fixtures.file("precedence/optional-tracking.conf"), "+tracking=local").config());
    }

    @Test
    void tildeDropsAGroup() {
        ComposedConfig composed = compose(TRAIN, "~guidance");
        assertFalse(composed.config().hasPath("guidance"));
        assertFalse(composed.groupChoices().containsKey("guidance"));
    }

    @Test
    void unknownGroupOptionNamesGroupOptionAndAvailableOptions() {
        assertMentions(composeError(TRAIN, "model=huge-cnn"), "'model'", "'huge-cnn'", "small-cnn, wide-cnn");
    }

    @Test
    void settingAGroupNotInTheDefaultsListExplainsHowToAddIt() {
        String message = composeError(Fixtures.file("precedence/optional-tracking.conf"), "guidance=gradcam");
        assertMentions(message, "'guidance'", "+guidance=<option>", "gradcam, none");
    }

    @Test
    void plusOnAGroupAlreadySelectedIsAnError() {
        assertMentions(composeError(TRAIN, "+model=wide-cnn"), "'model'", "already", "model=wide-cnn");
    }

    // --- key=value ---

    @Test
    void nestedKeyIsSet() {
        assertEquals(0.1, with("optimizer.lr=0.1").getDouble("optimizer.lr"));
    }

    @Test
    void interpolationsSeeTheOverriddenValue() {
        assertEquals(7, with("epochs=7").getInt("checkpoint_every"));
        assertEquals(128, with("model.hidden=128").getInt("model.head_width"));
        assertEquals("spotlight-fmnist", with("dataset=fmnist").getString("tracking.experiment"));
    }

    @Test
    void valuesParseAsHoconValues() {
        Config c = with("model.channels=[8, 16, 32]", "+debug=true", "dataset.root=null",
                "+note=\"a, quoted # string\"", "+literal='${not.interpolated}'", "+big=12345678901");
        assertEquals(List.of(8, 16, 32), c.getIntList("model.channels"));
        assertTrue(c.getBoolean("debug"));
        assertTrue(c.getIsNull("dataset.root"));
        assertEquals("a, quoted # string", c.getString("note"));
        assertEquals("${not.interpolated}", c.getString("literal"));
        assertEquals(12345678901L, c.getLong("big"));
    }

    @Test
    void plainTextIsTakenAsTypedEvenWithCommentCharacters() {
        assertEquals("http://localhost:5000/#x", with("tracking.uri=http://localhost:5000/#x").getString("tracking.uri"));
    }

    @Test
    void anOverrideValueCanBeAnInterpolation() {
        assertEquals("decoy-fmnist/42", with("+tag=${dataset.name}/${seed}").getString("tag"));
    }

    @Test
    void aFractionForAnIntegerKeyIsLeftToTypedAccess() {
        // Typesafe keeps no integer/decimal distinction for whole numbers (0.0 is stored as 0),
        // so the override is accepted and Cfg.getInt names the override when the trainer reads it.
        Cfg cfg = compose(TRAIN, "epochs=2.5").cfg();
        String message = org.junit.jupiter.api.Assertions.assertThrows(SpotlightConfigError.class,
                () -> cfg.getInt("epochs")).getMessage();
        assertMentions(message, "'epochs'", "an integer", "2.5", "override 'epochs=2.5'");
    }

    @Test
    void integerIsAcceptedForADouble() {
        Config c = with("optimizer.lr=1");
        assertEquals(1.0, c.getDouble("optimizer.lr"));
    }

    @Test
    void aDecimalWrittenAsAWholeNumberStillTakesFractions() {
        // guidance/none.conf says lambda = 0.0, which Typesafe stores as an int
        assertEquals(0.5, with("guidance.lambda=0.5").getDouble("guidance.lambda"));
    }

    @Test
    void numberGivenForAStringBecomesThatString() {
        Config c = with("dataset.name=2024");
        assertEquals(ConfigValueType.STRING, c.getValue("dataset.name").valueType());
        assertEquals("2024", c.getString("dataset.name"));
    }

    @Test
    void objectGivenForAnObjectIsMergedIntoIt() {
        Config c = with("optimizer={lr = 0.2}");
        assertEquals(0.2, c.getDouble("optimizer.lr"));
        assertEquals("adam", c.getString("optimizer.name"));
    }

    @Test
    void nullKeyAcceptsAnyType() {
        assertEquals("out/x", with("run.dir=out/x").getString("run.dir"));
    }

    @Test
    void plusAddsANewKeyAndPlusPlusAddsOrSets() {
        Config c = with("+extra.depth=3", "++seed=7", "++other=x");
        assertEquals(3, c.getInt("extra.depth"));
        assertEquals(7, c.getInt("seed"));
        assertEquals("x", c.getString("other"));
    }

    @Test
    void plusOnAnExistingKeyNamesWhereItIsDefined() {
        assertMentions(composeError(TRAIN, "+seed=1"), "'seed'", "already exists", "train.conf:12", "seed=1");
    }

    @Test
    void plusBelowANonObjectIsAnError() {
        assertMentions(composeError(TRAIN, "+epochs.warmup=1"), "'epochs.warmup'", "'epochs' is a number");
    }

    @Test
    void tildeDeletesAKey() {
        assertFalse(with("~model.dropout").hasPath("model.dropout"));
        assertFalse(with("~model.dropout=0.25").hasPath("model.dropout"));
        assertMentions(composeError(TRAIN, "~model.dropout=0.5"), "'model.dropout'", "0.25");
    }

    @Test
    void deletingAMissingKeyNamesIt() {
        assertMentions(composeError(TRAIN, "~model.droput"), "'model.droput'", "model.dropout");
    }

    @Test
    void unknownKeyNamesKeyFilesAndCloseMatches() {
        String message = composeError(TRAIN, "optimizer.lrr=0.1");
        assertMentions(message, "'optimizer.lrr'", "does not exist", "Did you mean optimizer.lr",
                "+optimizer.lrr=0.1", Fixtures.repoConfigs().resolve("train.conf").toString(),
                Fixtures.repoConfigs().resolve("optimizer/adam.conf").toString());
        assertMentions(composeError(TRAIN, "lr=0.1"), "Did you mean optimizer.lr?");
        assertFalse(message.contains("optimizer.name"), "only close keys are suggested: " + message);
    }

    @Test
    void wrongTypeNamesKeyExpectedTypeValueAndDefinition() {
        assertMentions(composeError(TRAIN, "epochs=abc"),
                "'epochs'", "expects a number", "a string \"abc\"", "train.conf:13");
        assertMentions(composeError(TRAIN, "guidance.lambda=true"),
                "'guidance.lambda'", "expects a number", "a boolean true", "guidance/none.conf:2");
        assertMentions(composeError(TRAIN, "optimizer.betas=0.9"), "expects a list", "adam.conf:3");
        assertMentions(composeError(TRAIN, "dataset.decoy=3"), "expects an object", "a number 3");
    }

    @Test
    void commaListsAreSweepsAndNeedAMultirun() {
        assertMentions(composeError(TRAIN, "optimizer.lr=0.1,0.01"), "'optimizer.lr=0.1,0.01'", "multirun",
                "optimizer.lr='0.1,0.01'");
    }

    @Test
    void malformedOverridesNameTheProblem() {
        assertMentions(composeError(TRAIN, "epochs="), "'epochs'", "no value");
        assertMentions(composeError(TRAIN, "epochs"), "'epochs'", "no '='");
        assertMentions(composeError(TRAIN, "model.channels=[1,2"), "'model.channels'", "HOCON");
    }

    @Test
    void overridesAreRecordedAsGiven() {
        assertEquals(List.of("model=wide-cnn", "epochs=3"), compose(TRAIN, "model=wide-cnn", "epochs=3").overrides());
    }
}
