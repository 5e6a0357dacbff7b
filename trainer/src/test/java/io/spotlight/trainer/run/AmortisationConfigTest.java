package io.spotlight.trainer.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.spotlight.losses.Amortisation;
import io.spotlight.trainer.config.Cfg;
import io.spotlight.trainer.config.SpotlightConfigError;
import org.junit.jupiter.api.Test;

/** {@code guidance.every} and {@code guidance.sub_batch}: read, defaulted for older configs, bad values named. */
class AmortisationConfigTest {
    private static Amortisation read(String guidance) {
        return GuidanceFactory.amortisation(new Cfg(ConfigFactory.parseString("guidance { " + guidance + " }")).at("guidance"));
    }

    @Test
    void readsEveryAndSubBatch() {
        assertEquals(new Amortisation(4, 16), read("every = 4, sub_batch = 16"));
    }

    @Test
    void aConfigSavedBeforeTheKeysExistedGuidesEveryStepOnTheWholeBatch() {
        assertEquals(Amortisation.NONE, read("auto_scale = true"));
    }

    @Test
    void badValuesNameTheKeyAndWhatIsExpected() {
        SpotlightConfigError zero = assertThrows(SpotlightConfigError.class, () -> read("every = 0"));
        assertTrue(zero.getMessage().contains("guidance.every") && zero.getMessage().contains("an integer in [1, "), zero.getMessage());
        SpotlightConfigError fraction = assertThrows(SpotlightConfigError.class, () -> read("every = 2.5"));
        assertTrue(fraction.getMessage().contains("guidance.every"), fraction.getMessage());
        SpotlightConfigError negative = assertThrows(SpotlightConfigError.class, () -> read("sub_batch = -1"));
        assertTrue(negative.getMessage().contains("guidance.sub_batch") && negative.getMessage().contains("[0, "), negative.getMessage());
    }
}
