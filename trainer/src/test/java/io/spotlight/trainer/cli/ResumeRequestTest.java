package io.spotlight.trainer.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.spotlight.trainer.config.SpotlightConfigError;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** How train reads resume=RUN_DIR among its overrides, and what it refuses. */
class ResumeRequestTest {
    private static final Path HOME = Path.of("/repo");

    @Test
    void resumeNamesARunDirectoryTakenFromHomeWhenRelative() {
        assertEquals(Optional.of(Path.of("/repo/outputs/2025-01-01/10-00-00")),
                ResumeRequest.find(List.of("resume=outputs/2025-01-01/10-00-00"), false, HOME));
        assertEquals(Optional.of(Path.of("/tmp/run")), ResumeRequest.find(List.of("resume=\"/tmp/run\""), false, HOME));
        assertEquals(Optional.empty(), ResumeRequest.find(List.of("epochs=3", "guidance=rrr"), false, HOME));
    }

    @Test
    void otherOverridesAreRefusedWithTheReason() {
        SpotlightConfigError e = assertThrows(SpotlightConfigError.class,
                () -> ResumeRequest.find(List.of("resume=/tmp/run", "epochs=5", "optimizer.lr=0.1"), false, HOME));
        assertTrue(e.getMessage().contains("takes no other overrides, but got: epochs=5 optimizer.lr=0.1"), e.getMessage());
        assertTrue(e.getMessage().contains("start a new run"), e.getMessage());
    }

    @Test
    void multirunTwoResumesAndOtherFormsAreRefused() {
        assertTrue(assertThrows(SpotlightConfigError.class, () -> ResumeRequest.find(List.of("resume=/a"), true, HOME))
                .getMessage().contains("-m"));
        assertTrue(assertThrows(SpotlightConfigError.class, () -> ResumeRequest.find(List.of("resume=/a", "resume=/b"), false, HOME))
                .getMessage().contains("2 times"));
        for (String form : List.of("+resume=/a", "~resume", "resume=", "++resume=/a")) {
            assertTrue(assertThrows(SpotlightConfigError.class, () -> ResumeRequest.find(List.of(form), false, HOME))
                    .getMessage().contains("write resume=RUN_DIR"), form);
        }
    }
}
