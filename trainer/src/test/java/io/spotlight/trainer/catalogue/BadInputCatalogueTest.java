package io.spotlight.trainer.catalogue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bad-input catalogue of the README, one test per case. Each drives what a user runs
 * ({@code ./spotlight train|compare|explain} in this JVM, or the training run itself where a
 * failure has to be simulated) with an earlier finished run already in the outputs folder, and
 * checks (a) that the message names the culprit and what was expected, and (b) that the earlier
 * run is byte for byte unchanged and nothing half-written was left: config mistakes leave no
 * directory at all; data mistakes, found when the run reads its data, leave the run's directory
 * with its config and a {@code summary.json} that says FAILED and why.
 */
class BadInputCatalogueTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> QUIET = List.of("tracking=off", "log.progress=false", "snapshot.every=0", "eval.cam_samples=20");

    @TempDir
    Path tmp;

    private Path home;
    private Path outputs;
    private Earlier.Snapshot earlier;

    @BeforeEach
    void anEarlierRunIsInTheOutputs() throws Exception {
        home = Files.createDirectories(tmp.resolve("home"));
        Files.createSymbolicLink(home.resolve("configs"), Cli.REPO.resolve("configs"));
        outputs = home.resolve("outputs");
        earlier = Earlier.copyInto(outputs);
    }

    // ---- configs: found before any directory is created ----

    @Test
    void unknownConfigKey() throws Exception {
        Cli.Result r = train("configs/train.conf", "epoch=3");
        assertFailed(r, "'epoch' does not exist", "Did you mean epochs");
        assertNothingWritten();

        // a typo inside an experiment's variant: caught before the comparison creates its folder
        Inputs.text(home.resolve("experiments/typo/experiment.conf"), "include \"../../configs/train.conf\"", "name = typo",
                "compare { default_guided = guided, reference = clean, baseline = baseline",
                "  variants { baseline = [\"guidance=none\"], clean = [\"guidance=none\"],",
                "    guided = [\"guidance=hirescam-conv1\", \"guidance.terms.hirescam-conv1.lamda=0.5\"] } }");
        r = Cli.run(home, "compare", "experiments/typo", "tracking=off");
        assertFailed(r, "lamda", "Did you mean guidance.terms.hirescam-conv1.lambda");
        assertFalse(Files.exists(outputs.resolve("compare")), "no comparison folder");
        assertNothingWritten();
    }

    @Test
    void unknownKeyInAConfigFile() throws Exception {
        // a typo in a FILE is as much an error as in an override: file, line, key, close match
        Inputs.text(home.resolve("my.conf"), "include \"configs/train.conf\"", "epochs = 2", "epoch = 5");
        assertFailed(train("my.conf"), "Config key 'epoch'", home.resolve("my.conf") + ":3", "Did you mean epochs",
                "\"+epoch\"");
        Inputs.text(home.resolve("my.conf"), "include \"configs/train.conf\"", "guidance { auto_scal = false }");
        assertFailed(train("my.conf", "guidance=hirescam-conv1"), "'guidance.auto_scal'", home.resolve("my.conf") + ":2",
                "Did you mean guidance.auto_scale");
        Inputs.text(home.resolve("my.conf"), "include \"configs/train.conf\"", "optimizer { momentun = 0.9 }");
        assertFailed(train("my.conf", "optimizer=sgd"), "'optimizer.momentun'", "Did you mean optimizer.momentum");
        // in a user's own group option: checked against that group's keys
        Inputs.text(home.resolve("optimizer/my-sgd.conf"), "name = sgd", "lr = 0.1", "momentum = 0.9", "nesterov_typo = true",
                "weight_decay = 0", "schedule = constant", "final_factor = 0.1", "step_epochs = 1", "gamma = 0.5");
        Inputs.text(home.resolve("my.conf"), "include \"configs/train.conf\"");
        assertFailed(train("my.conf", "optimizer=my-sgd"), "'optimizer.nesterov_typo'", home.resolve("optimizer/my-sgd.conf") + ":4");
        assertNothingWritten();
    }

    @Test
    void wrongType() throws Exception {
        assertFailed(train("configs/train.conf", "epochs=two"), "'epochs' expects a number but was given a string");
        // in a user's own config file: the message names the file and line
        Inputs.text(home.resolve("my.conf"), "include \"configs/train.conf\"", "model.hidden = wide");
        assertFailed(train("my.conf"), "'model.hidden' must be an integer", "\"wide\"", home.resolve("my.conf") + ":2");
        assertNothingWritten();
    }

    @Test
    void missingInclude() throws Exception {
        Inputs.text(home.resolve("my.conf"), "include \"base.conf\"", "epochs = 1");
        assertFailed(train("my.conf"), "Included file not found", home.resolve("base.conf").toString(), "my.conf");
        assertNothingWritten();
    }

    @Test
    void emptySweepList() throws Exception {
        assertFailed(train("configs/train.conf", "-m", "optimizer.lr="), "empty sweep for 'optimizer.lr'");
        assertFailed(train("configs/train.conf", "-m", "optimizer.lr=0.1,,0.01"), "empty sweep for 'optimizer.lr'");
        assertNothingWritten();
    }

    @Test
    void negativeLambda() throws Exception {
        assertFailed(train("configs/train.conf", "guidance=hirescam-conv1", "guidance.terms.hirescam-conv1.lambda=-0.5"),
                "guidance.terms.hirescam-conv1.lambda must be a finite number >= 0, got -0.5");
        assertNothingWritten();
    }

    @Test
    void pairsWhereTheyDoNotBelong() throws Exception {
        // the mix's pairs: at least 1; on another penalty an error, not a silently ignored key
        assertFailed(train("configs/train.conf", "guidance=recommended", "guidance.terms.counterfactual.pairs=0"),
                "guidance.terms.counterfactual.pairs", "an integer in [1, 65536]");
        assertFailed(train("configs/train.conf", "guidance=recommended", "guidance.terms.counterfactual.penalty=counterfactual"),
                "guidance.terms.counterfactual.pairs", "is only for counterfactual_mix, not counterfactual");
        assertFailed(train("configs/train.conf", "guidance=recommended", "guidance.sub_batch=16"),
                "guidance.sub_batch must be 0 with guidance.terms.counterfactual");
        assertNothingWritten();
    }

    @Test
    void unknownTargetLayer() throws Exception {
        assertFailed(train("configs/train.conf", "guidance=hirescam-conv1", "guidance.terms.hirescam-conv1.layer=conv3"),
                "guidance.terms.hirescam-conv1.layer: unknown target layer 'conv3'",
                "conv1 = trunk/0, conv2 = trunk/3, features = trunk", "Did you mean conv1 or conv2");
        // the snapshot layer was only read after the first epoch; now before anything runs
        assertFailed(train("configs/train.conf", "snapshot.layer=conv9"), "snapshot.layer: unknown target layer 'conv9'");
        assertNothingWritten();
    }

    @Test
    void unknownHeadName() throws Exception {
        assertFailed(train("configs/train.conf", "dataset=two-item-fmnist", "guidance=hirescam-conv1",
                "guidance.terms.hirescam-conv1.heads=rigt"),
                "guidance.terms.hirescam-conv1.heads names unknown head 'rigt'", "[left, right]", "Did you mean right");
        // a class list for a head the manifest does not have
        Path manifest = Inputs.text(home.resolve("data/m.csv"), "image,label_kind", "a.png,cat");
        assertFailed(train("configs/train.conf", "dataset=manifest", "dataset.manifest=" + manifest, "+dataset.classes.knid=[cat,dog]"),
                "classes given for head 'knid'", "no column label_knid", "heads: [kind]");
        assertNothingWritten();
    }

    @Test
    void unwritableOutputDirectory() throws Exception {
        // Tests run as root here, which no file permission stops: the run directory's parent is a
        // regular file instead, which stops root too.
        Path blocker = Files.writeString(home.resolve("blocker"), "a file, not a folder\n");
        assertFailed(train("configs/train.conf", "run.dir=" + blocker.resolve("run")),
                "Cannot create run directory " + blocker.resolve("run"), blocker + " exists and is not a directory", "run.dir=");
        assertEquals("a file, not a folder\n", Files.readString(blocker));
        assertNothingWritten();
    }

    // ---- data: found when the run reads it, before the first step ----

    @Test
    void datasetFilesMissing() throws Exception {
        Path nowhere = home.resolve("nowhere");
        Cli.Result r = train("configs/train.conf", "dataset.dir=" + nowhere);
        // the hint named a config key that does not exist (dataset.fmnist-dir)
        assertFailed(r, nowhere.resolve("train-images-idx3-ubyte").toString(), "sudo apt-get install dataset-fashion-mnist",
                "point dataset.dir");
        assertFailedRunRecord(nowhere.resolve("train-images-idx3-ubyte").toString());
    }

    @Test
    void truncatedIdxFile() throws Exception {
        Path dir = Files.createDirectories(home.resolve("fmnist"));
        byte[] images = Files.readAllBytes(Inputs.FMNIST.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), Arrays.copyOf(images, images.length / 2));
        Files.createSymbolicLink(dir.resolve("train-labels-idx1-ubyte.gz"), Inputs.FMNIST.resolve("train-labels-idx1-ubyte.gz"));
        Cli.Result r = train("configs/train.conf", "dataset.dir=" + dir);
        assertFailed(r, dir.resolve("train-images-idx3-ubyte.gz").toString(), "truncated", "expected 47040016");
        assertFailedRunRecord("truncated");
    }

    @Test
    void undecodableImage() throws Exception {
        Path data = home.resolve("data");
        Inputs.png(data.resolve("ok.png"), 16, 40);
        Files.writeString(data.resolve("broken.png"), "not a png");
        Path manifest = Inputs.text(data.resolve("m.csv"), "image,label_kind", "ok.png,cat", "broken.png,dog");
        Cli.Result r = train("configs/train.conf", "dataset=manifest", "dataset.manifest=" + manifest, "dataset.image_shape=[1,16,16]");
        assertFailed(r, data.resolve("broken.png").toString(), "m.csv, row 2", "column image", "cannot decode the image");
        assertFailedRunRecord("broken.png");

        // explain lists it and still explains the good image, reading the earlier run without touching it
        Path good = Inputs.png(data.resolve("good.png"), 28, 40);
        Path out = home.resolve("explained");
        r = Cli.run(home, "explain", "--model", earlier.dir().toString(), "--images", data.resolve("broken.png").toString(),
                good.toString(), "--out", out.toString());
        assertEquals(1, r.code(), r.err());
        assertMentions(r.err(), "broken.png");
        try (Stream<Path> files = Files.list(out)) {
            assertTrue(files.anyMatch(p -> p.getFileName().toString().startsWith("good")), "the good image was explained");
        }
        earlier.assertUnchanged();
    }

    @Test
    void maskOfTheWrongSize() throws Exception {
        Path root = folder(4);
        assertMaskRejected(root, Inputs.png(root.resolve("masks/b/x1.png"), 8, 255), "mask is 8x8", "is 16x16");
    }

    @Test
    void maskWithSeveralChannels() throws Exception {
        Path root = folder(4);
        assertMaskRejected(root, Inputs.rgb(root.resolve("masks/a/x2.png"), 16, 0xFF0000), "a mask must be grey", "RGB 255,0,0");
    }

    private void assertMaskRejected(Path root, Path mask, String... culprit) throws IOException {
        Cli.Result r = train("configs/train.conf", folderData(root));
        assertFailed(r, mask.toString());
        assertFailed(r, culprit);
        assertFailedRunRecord(mask.getFileName().toString());
    }

    @Test
    void allOneMask() throws Exception {
        // everything allowed: nothing is outside, so the penalty is exactly 0 (not NaN from 0/0)
        List<Map<?, ?>> steps = trainWithMasks(255);
        for (Map<?, ?> s : steps) {
            assertEquals(0.0, number(s, "penalty/hirescam-conv1/label"), "step " + s.get("step"));
            assertTrue(Double.isFinite(number(s, "loss")));
        }
    }

    @Test
    void allZeroMask() throws Exception {
        // nothing allowed: all positive mass is outside, so outside_share is 1 (0 for an all-zero
        // map) and finite; being constant it pushes no weight: such a sample is in effect unguided
        List<Map<?, ?>> steps = trainWithMasks(0);
        double max = 0;
        for (Map<?, ?> s : steps) {
            double p = number(s, "penalty/hirescam-conv1/label");
            assertTrue(p >= 0 && p <= 1, "step " + s.get("step") + ": " + p);
            assertTrue(Double.isFinite(number(s, "loss")));
            max = Math.max(max, p);
        }
        // everything forbidden: outside = mass, so the floored share is 1 / (1 + FLOOR)
        assertEquals(1 / (1 + io.spotlight.losses.OutsideShare.FLOOR), max, 1e-4);
    }

    @Test
    void labelOutOfRangeForItsHead() throws Exception {
        // an IDX label file whose item 7 says 10: Fashion-MNIST's head has classes 0..9
        Path dir = Files.createDirectories(home.resolve("fmnist"));
        byte[] labels = Inputs.gunzip("train-labels-idx1-ubyte.gz");
        labels[8 + 7] = 10;
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(dir.resolve("train-labels-idx1-ubyte.gz")))) {
            gz.write(labels);
        }
        Files.createSymbolicLink(dir.resolve("train-images-idx3-ubyte.gz"), Inputs.FMNIST.resolve("train-images-idx3-ubyte.gz"));
        Cli.Result r = train("configs/train.conf", "dataset=fmnist", "dataset.dir=" + dir);
        assertFailed(r, dir.resolve("train-labels-idx1-ubyte.gz").toString(), "label 10 of item 7 is not in [0, 10)");
        assertFailedRunRecord("label 10 of item 7");
    }

    @Test
    void labelOutOfRangeForItsHeadInAManifest() throws Exception {
        Path data = home.resolve("data");
        Inputs.png(data.resolve("a.png"), 16, 40);
        Path manifest = Inputs.text(data.resolve("m.csv"), "image,label_kind", "a.png,cat", "a.png,zebra");
        Cli.Result r = train("configs/train.conf", "dataset=manifest", "dataset.manifest=" + manifest,
                "dataset.image_shape=[1,16,16]", "+dataset.classes.kind=[cat,dog]");
        assertFailed(r, manifest.toString(), "row 2", "column label_kind", "unknown label 'zebra'", "[cat, dog]");
        assertFailedRunRecord("zebra");
    }

    @Test
    void nanOrInfInTheInput() throws Exception {
        // a float TIFF whose NaN marks missing data; before, every pixel of a float TIFF read as NaN
        Path data = home.resolve("data");
        Path scan = Inputs.floatTiff(data.resolve("scan.tif"), 16, 3, 2, Float.NaN);
        Inputs.png(data.resolve("ok.png"), 16, 40);
        Path manifest = Inputs.text(data.resolve("m.csv"), "image,label_kind", "ok.png,cat", "scan.tif,dog");
        Cli.Result r = train("configs/train.conf", "dataset=manifest", "dataset.manifest=" + manifest, "dataset.image_shape=[1,16,16]");
        assertFailed(r, scan.toString(), "row 2", "pixel (3, 2) is NaN", "1 of 256 pixels");
        assertFailedRunRecord("scan.tif");
    }

    @Test
    void nanOrInfInTheInputOfAnyDataSetAndAtTheStep() throws Exception {
        NonFiniteInputs.assertCaughtPerSampleAndPerBatch();
        earlier.assertUnchanged();
    }

    // ---- during training ----

    @Test
    void diskFullWhileWritingACheckpoint() throws Exception {
        DiskFullRun.assertPreviousCheckpointSurvives(outputs.resolve("2020-01-02/00-00-00"));
        earlier.assertUnchanged();
    }

    // ---- helpers ----

    private Cli.Result train(String config, String... overrides) {
        List<String> args = new ArrayList<>(List.of("train", config));
        args.addAll(QUIET);
        args.addAll(List.of(overrides));
        return Cli.run(home, args.toArray(String[]::new));
    }

    /** 16x16 grey images, classes a and b, {@code perClass} each, under home/data/folder. */
    private Path folder(int perClass) throws IOException {
        Path root = home.resolve("data/folder");
        for (int i = 0; i < 2 * perClass; i++) {
            Inputs.png(root.resolve((i % 2 == 0 ? "a" : "b") + "/x" + i + ".png"), 16, i % 2 == 0 ? 30 : 200);
        }
        return root;
    }

    private static String[] folderData(Path root, String... more) {
        List<String> args = new ArrayList<>(List.of("dataset=folder", "dataset.root=" + root, "dataset.image_shape=[1,16,16]",
                "dataset.train_split=0.75", "batch_size=4", "eval_batch_size=4", "epochs=1", "guidance=hirescam-conv1", "log.every=1"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** Trains on 16 images whose masks are all {@code grey}; returns the logged training steps. */
    private List<Map<?, ?>> trainWithMasks(int grey) throws Exception {
        Path root = folder(8);
        for (int i = 0; i < 16; i++) {
            uniform(root.resolve("masks/" + (i % 2 == 0 ? "a" : "b") + "/x" + i + ".png"), grey);
        }
        Cli.Result r = train("configs/train.conf", folderData(root));
        assertEquals(0, r.code(), r.err());
        earlier.assertUnchanged();
        Path run = newRun();
        assertEquals("FINISHED", JSON.readValue(run.resolve("summary.json").toFile(), Map.class).get("status"));
        List<Map<?, ?>> steps = new ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            Map<?, ?> m = JSON.readValue(line, Map.class);
            if ("train".equals(m.get("kind"))) {
                steps.add(m);
            }
        }
        assertEquals(3, steps.size(), "12 training images, batches of 4");
        return steps;
    }

    private static void uniform(Path file, int grey) throws IOException {
        Files.createDirectories(file.getParent());
        java.awt.image.BufferedImage image = new java.awt.image.BufferedImage(16, 16, java.awt.image.BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                image.getRaster().setSample(x, y, 0, grey);
            }
        }
        javax.imageio.ImageIO.write(image, "png", file.toFile());
    }

    private static double number(Map<?, ?> m, String key) {
        Object v = m.get(key);
        assertTrue(v instanceof Number, key + " = " + v + " in " + m); // NaN would be written as a string
        return ((Number) v).doubleValue();
    }

    private static void assertFailed(Cli.Result r, String... culprit) {
        assertEquals(1, r.code(), "exit code; stderr: " + r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertMentions(r.err(), culprit);
    }

    static void assertMentions(String text, String... parts) {
        for (String part : parts) {
            assertTrue(text.contains(part), "expected '" + part + "' in: " + text);
        }
    }

    /** The earlier run is intact and no directory (run, sweep or comparison) was created. */
    private void assertNothingWritten() throws IOException {
        earlier.assertUnchanged();
        assertEquals(List.of(Earlier.RUN), runDirs());
        assertFalse(Files.exists(home.resolve("multirun")), "no sweep directory");
    }

    /**
     * The earlier run is intact and the one new run directory holds only the record of a run that
     * failed before training: its config and a summary saying FAILED and naming the culprit.
     */
    private void assertFailedRunRecord(String culprit) throws IOException {
        earlier.assertUnchanged();
        Path run = newRun();
        try (Stream<Path> files = Files.list(run)) {
            assertEquals(Set.of("config.conf", "overrides.conf", "summary.json"),
                    files.map(p -> p.getFileName().toString()).collect(Collectors.toSet()));
        }
        Map<?, ?> summary = JSON.readValue(run.resolve("summary.json").toFile(), Map.class);
        assertEquals("FAILED", summary.get("status"));
        assertMentions(String.valueOf(summary.get("error")), culprit);
    }

    private Path newRun() throws IOException {
        List<String> runs = runDirs();
        assertTrue(runs.remove(Earlier.RUN));
        assertEquals(1, runs.size(), "one new run: " + runs);
        assertNotEquals(Earlier.RUN, runs.get(0));
        return outputs.resolve(runs.get(0));
    }

    /** DATE/TIME of every run directory under the outputs root. */
    private List<String> runDirs() throws IOException {
        try (Stream<Path> all = Files.walk(outputs, 2)) {
            return all.filter(p -> outputs.relativize(p).getNameCount() == 2 && Files.isDirectory(p))
                    .map(p -> outputs.relativize(p).toString()).sorted().collect(Collectors.toCollection(ArrayList::new));
        }
    }
}
