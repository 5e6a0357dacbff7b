package io.spotlight.trainer.config;

import static io.spotlight.trainer.config.Fixtures.composeError;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Every file-level error is a {@link SpotlightConfigError} naming what the user has to fix. */
class ConfigErrorsTest {

    private static void assertMentions(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "expected '" + part + "' in: " + message);
        }
    }

    @Test
    void missingPrimaryFileIsNamed() {
        assertMentions(composeError(Fixtures.file("errors/no-such-primary.conf")),
                "Primary config file not found", "errors/no-such-primary.conf");
    }

    @Test
    void syntaxErrorNamesFileAndLine() {
        String message = composeError(Fixtures.file("errors/syntax-error.conf"));
        assertMentions(message, "syntax error");
        assertTrue(Pattern.compile("errors/syntax-error\\.conf:\\d+").matcher(message).find(), message);
    }

    @Test
    void syntaxErrorInAGroupFileNamesThatFileAndLine() {
        String message = composeError(Fixtures.file("errors/broken-group.conf"));
        assertTrue(Pattern.compile("errors/dataset/broken\\.conf:\\d+").matcher(message).find(), message);
    }

    @Test
    void missingIncludeNamesTheResolvedPathAndTheIncludingFile() {
        String message = composeError(Fixtures.file("errors/missing-include.conf"));
        assertMentions(message, "Included file not found",
                Fixtures.file("errors/does-not-exist.conf").toString(), "missing-include.conf");
    }

    @Test
    void missingGroupOptionNamesGroupOptionAndAvailableOptions() {
        // search path: errors/ (which has dataset/broken.conf) then repo/configs
        assertMentions(composeError(Fixtures.file("errors/missing-option.conf")),
                "'dataset'", "'cifar-100'", "Available options: broken, decoy-fmnist, fmnist");
    }

    @Test
    void unknownGroupNamesTheGroupAndSuggestsOne() {
        assertMentions(composeError(Fixtures.file("errors/unknown-group.conf")),
                "'datasets'", "no folder 'datasets'", "Did you mean dataset");
    }

    @Test
    void unresolvedInterpolationNamesItAndWhereItIs() {
        assertMentions(composeError(Fixtures.file("errors/unresolved.conf")), "does.not.exist", "unresolved.conf:2");
    }

    @Test
    void groupFilesCannotHaveTheirOwnDefaultsList() {
        assertMentions(composeError(Fixtures.file("errors/nested-defaults.conf")),
                "model/with-defaults.conf", "defaults list");
    }

    @Test
    void malformedDefaultsEntryNamesFileLineAndEntry() {
        assertMentions(composeError(Fixtures.file("errors/bad-defaults-entry.conf")),
                "bad-defaults-entry.conf:1", "42", "{group = option}");
    }
}
