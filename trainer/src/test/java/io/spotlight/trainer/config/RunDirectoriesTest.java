package io.spotlight.trainer.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoriesTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-22T04:05:06Z"), ZoneOffset.UTC);

    @TempDir
    Path root;

    private RunDirectories dirs() {
        return new RunDirectories(root, CLOCK);
    }

    private static Config config(String... overrides) {
        return Fixtures.compose(Fixtures.train(), overrides).config();
    }

    @Test
    void singleRunGoesUnderOutputsDateTime() {
        Path dir = dirs().createRunDir(config());
        assertEquals(root.resolve("outputs/2026-11-22/04-05-06"), dir);
        assertTrue(Files.isDirectory(dir));
    }

    @Test
    void anExistingRunDirectoryIsNeverReused() throws IOException {
        Path first = dirs().createRunDir(config());
        Files.writeString(first.resolve("metrics.csv"), "step,loss\n");
        Path second = dirs().createRunDir(config());
        Path third = dirs().createRunDir(config());
        assertEquals(root.resolve("outputs/2026-11-22/04-05-06-1"), second);
        assertEquals(root.resolve("outputs/2026-11-22/04-05-06-2"), third);
        assertEquals("step,loss\n", Files.readString(first.resolve("metrics.csv")));
    }

    @Test
    void runDirOverrideWinsAndIsAlsoNeverReused() {
        Config custom = config("run.dir=custom/here");
        assertEquals(root.resolve("custom/here"), dirs().createRunDir(custom));
        assertEquals(root.resolve("custom/here-1"), dirs().createRunDir(custom));
    }

    @Test
    void sweepJobsGoUnderMultirunDateTimeIndexAndName() {
        List<SweepJob> jobs = Sweeps.expand(List.of("optimizer.lr=0.1,0.01"));
        Path sweepDir = dirs().createSweepDir(config(jobs.get(0).overrides().toArray(String[]::new)));
        assertEquals(root.resolve("multirun/2026-11-22/04-05-06"), sweepDir);
        assertEquals(sweepDir.resolve("0_optimizer.lr=0.1"), dirs().createJobDir(sweepDir, jobs.get(0)));
        assertEquals(sweepDir.resolve("1_optimizer.lr=0.01"), dirs().createJobDir(sweepDir, jobs.get(1)));
        assertEquals(sweepDir.resolve("0_optimizer.lr=0.1-1"), dirs().createJobDir(sweepDir, jobs.get(0)));
        assertEquals(root.resolve("multirun/2026-11-22/04-05-06-1"), dirs().createSweepDir(config()));
    }
}
