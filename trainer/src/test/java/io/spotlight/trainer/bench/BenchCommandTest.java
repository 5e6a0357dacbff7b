package io.spotlight.trainer.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The benchmark's output shape (a few steps only: figures come from real runs, not from tests). */
class BenchCommandTest {
    @Test
    void writesBenchJsonWithOneCasePerHeadCountAndPrintsItsPathLast(@TempDir Path home) throws Exception {
        JsonNode root = bench(home, "--steps", "8", "--warmup", "4", "--rss-steps", "8", "--rss-warmup", "4", "--no-resnet",
                "--amortise", "4");
        JsonNode cases = root.get("cases");
        assertEquals(12, cases.size(), "1, 2 and 4 heads for each of the four guided variants");
        JsonNode warmUp = root.get("warmup_case");
        assertEquals("hirescam-features", warmUp.get("guided").asText(), "the plan's first case runs once unrecorded: " + warmUp);
        assertEquals(1, warmUp.get("heads").asInt());
        assertTrue(warmUp.get("guided_ms").asDouble() > 0, warmUp.toString());
        for (JsonNode c : cases) {
            for (String key : new String[] {"guided", "layer", "mode", "model", "heads", "batch", "baseline_ms", "guided_ms", "ratio"}) {
                assertTrue(c.has(key), key);
            }
            assertTrue(c.get("rss_growth_mb").isNumber(), "every case's RSS growth, each from a JVM of its own: " + c);
            // what the JIT compiled over the probe's steps, to read a jump by (C2's memory, once)
            assertTrue(c.get("rss_jit_compile_ms").asLong() >= 0, c.toString());
            assertTrue(c.get("page_faults_per_step").asDouble() >= 0, c.toString());
            if (System.getenv("MALLOC_MMAP_THRESHOLD_") != null) {
                // run through ./spotlight: the native heap keeps its pages (glibc's defaults: ~5,000 a step)
                assertTrue(c.get("page_faults_per_step").asDouble() < 1000, "page faults per step with the launcher's malloc settings: " + c);
            }
            assertEquals(4, c.get("amortisation").get("every").asInt());
            assertEquals(0, c.get("amortisation").get("sub_batch").asInt());
            assertTrue(c.get("guided_ms").asDouble() > 0 && c.get("baseline_ms").asDouble() > 0);
            assertEquals(c.get("guided_ms").asDouble() / c.get("baseline_ms").asDouble(), c.get("ratio").asDouble(), 1e-9);
        }
        // the default guided variant takes the fast path for every head count; conv1 (exact) cannot
        for (int i = 0; i < 3; i++) {
            assertEquals("hirescam-features", cases.get(i).get("guided").asText());
            assertTrue(cases.get(i).get("fast_path").asBoolean(), cases.get(i).toString());
            assertEquals("hirescam-conv1", cases.get(i + 3).get("guided").asText());
            assertTrue(!cases.get(i + 3).get("fast_path").asBoolean(), cases.get(i + 3).toString());
            assertEquals("exact", cases.get(i + 3).get("mode").asText());
            assertEquals("counterfactual", cases.get(i + 6).get("guided").asText());
            assertEquals("input", cases.get(i + 6).get("layer").asText(), "the counterfactual term has no map layer");
            assertTrue(!cases.get(i + 6).get("fast_path").asBoolean(), cases.get(i + 6).toString());
            assertEquals("counterfactual-mix", cases.get(i + 9).get("guided").asText());
            assertEquals("input", cases.get(i + 9).get("layer").asText(), "the mix has no map layer");
            assertEquals(BenchCommand.MIX_PAIRS, cases.get(i + 9).get("pairs").asInt(), cases.get(i + 9).toString());
        }
    }

    /** Runs the bench with {@code args} under {@code home} and reads the bench.json whose path it prints last. */
    private static JsonNode bench(Path home, String... args) throws Exception {
        String previous = System.getProperty("spotlight.home");
        System.setProperty("spotlight.home", home.toString());
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            int code = new CommandLine(new BenchCommand()).execute(args);
            assertEquals(0, code);
        } finally {
            System.setOut(out);
            if (previous == null) {
                System.clearProperty("spotlight.home");
            } else {
                System.setProperty("spotlight.home", previous);
            }
        }
        String[] lines = captured.toString(StandardCharsets.UTF_8).trim().split("\n");
        Path json = Path.of(lines[lines.length - 1].trim());
        assertTrue(json.startsWith(home) && json.endsWith("bench.json"), json.toString());
        JsonNode root = new ObjectMapper().readTree(json.toFile());
        return root;
    }

    @Test
    void theMixsPairsReachItsCasesAndTheirRssProbes(@TempDir Path home) throws Exception {
        JsonNode root = bench(home, "--variants", "counterfactual-mix,hirescam-features", "--pairs", "3", "--steps", "2",
                "--warmup", "1", "--rss-steps", "2", "--rss-warmup", "1", "--no-resnet", "--amortise", "1");
        JsonNode cases = root.get("cases");
        assertEquals(6, cases.size());
        for (JsonNode c : cases) {
            boolean mix = c.get("guided").asText().equals("counterfactual-mix");
            assertEquals(mix, c.has("pairs"), "pairs only on the mix's cases: " + c);
            if (mix) {
                assertEquals(3, c.get("pairs").asInt(), c.toString());
            }
            assertTrue(c.get("rss_growth_mb").isNumber(), c.toString());
        }
        BenchCase mixCase = new BenchCase(BenchCommand.MIX, "small-cnn", 2, new io.spotlight.losses.Amortisation(2, 0), 3);
        assertEquals(mixCase, BenchCase.fromArgs(mixCase.args()), "the RSS probe's JVM builds the same case");
    }

    @Test
    void theMixsDefaultPairsAreTheRecommendedConfigs() {
        com.typesafe.config.Config recommended = com.typesafe.config.ConfigFactory.parseFile(
                Path.of("..", "configs", "guidance", "recommended.conf").toFile());
        assertEquals(recommended.getInt("terms.counterfactual.pairs"), BenchCommand.MIX_PAIRS);
        assertEquals(BenchCommand.MIX_PAIRS, new BenchCommand().pairs);
    }

    @Test
    void pairsBelowOneAreAnErrorNamingTheOption() {
        String message = failure("--variants", "counterfactual-mix", "--pairs", "0", "--steps", "1");
        assertTrue(message.contains("--pairs must be at least 1, got 0"), message);
    }

    @Test
    void anUnknownVariantIsAnErrorNamingIt() {
        String message = failure("--variants", "hirescam-conv1,gradcam-magic", "--steps", "1");
        assertTrue(message.contains("'gradcam-magic'") && message.contains("counterfactual"), message);
    }

    @Test
    void theMixTakesNoSubBatch() {
        String message = failure("--variants", "counterfactual-mix", "--amortise", "1/8", "--steps", "1");
        assertTrue(message.contains("does not apply to counterfactual-mix"), message);
    }

    /** The bench's error output for {@code args}, which must make it fail. */
    private static String failure(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cli = new CommandLine(new BenchCommand());
        cli.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
        int code = cli.execute(args);
        assertTrue(code != 0, "exit code " + code + " for " + String.join(" ", args));
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void anAmortisationIsKOrKSlashS() {
        assertEquals(new io.spotlight.losses.Amortisation(4, 0), BenchCase.parseAmortisation("4"));
        assertEquals(new io.spotlight.losses.Amortisation(2, 16), BenchCase.parseAmortisation("2/16"));
        for (String bad : new String[] {"0", "x", "4/16/2", "4/-1"}) {
            IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                    () -> BenchCase.parseAmortisation(bad));
            assertTrue(e.getMessage().startsWith("--amortise: '" + bad + "' is not K or K/S"), e.getMessage());
        }
    }
}
