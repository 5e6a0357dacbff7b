package io.spotlight.trainer.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.spotlight.cam.render.Colormaps;
import io.spotlight.trainer.cli.SpotlightCli;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every endpoint of the viewer over HTTP, and its bad input, on real runs. */
class ViewServerTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();

    private static HttpResponse<byte[]> get(ViewServer s, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(s.address() + path.substring(1))).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    private static JsonNode json(ViewServer s, String path) throws Exception {
        HttpResponse<byte[]> r = get(s, path);
        assertEquals(200, r.statusCode(), path + ": " + new String(r.body(), StandardCharsets.UTF_8));
        return JSON.readTree(r.body());
    }

    private static String text(HttpResponse<byte[]> r) {
        return new String(r.body(), StandardCharsets.UTF_8);
    }

    @Test
    void thePageItsScriptsAndTheChartLibraryComeFromTheJar() throws Exception {
        try (ViewServer s = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            assertTrue(s.address().startsWith("http://127.0.0.1:"), s.address());
            HttpResponse<byte[]> page = get(s, "/");
            assertEquals(200, page.statusCode());
            assertTrue(text(page).contains("id=\"step\""), "the step slider");
            assertFalse(text(page).matches("(?s).*(src|href)=\"(https?:)?//.*"), "nothing from another host: works offline");
            assertTrue(text(get(s, "/viewer.js")).contains("EventSource"));
            assertTrue(text(get(s, "/viewer.css")).contains("#controls"));
            HttpResponse<byte[]> uplot = get(s, "/lib/uplot.js");
            assertEquals(200, uplot.statusCode());
            assertTrue(text(uplot).contains("uPlot"), "uPlot's script");
            assertEquals("text/javascript", uplot.headers().firstValue("content-type").orElse("").split(";")[0]);
            assertEquals(200, get(s, "/lib/uplot.css").statusCode());
        }
    }

    @Test
    void viewSnapshotsMetricsAndFilesOfARun() throws Exception {
        Path run = ViewerRuns.twoHeads();
        try (ViewServer s = ViewServer.start(run, 0)) {
            JsonNode view = json(s, "/api/view");
            assertEquals("run", view.get("kind").asText());
            assertEquals("two-heads", view.get("runs").get(0).get("name").asText());
            assertEquals("FINISHED", view.get("runs").get(0).get("status").asText());

            JsonNode snaps = json(s, "/api/runs/two-heads/snapshots").get("snapshots");
            List<Long> steps = StreamSupport.stream(snaps.spliterator(), false).map(n -> n.get("step").asLong()).toList();
            assertEquals(List.of(1L, 5L, 10L), steps, "logged steps 1 and 5 of each 5-step epoch, and the evaluations");
            for (JsonNode snap : snaps) {
                HttpResponse<byte[]> png = get(s, snap.get("png").asText());
                assertEquals(200, png.statusCode());
                assertEquals("image/png", png.headers().firstValue("content-type").orElseThrow());
                assertTrue(Arrays.equals(Files.readAllBytes(run.resolve("snapshots").resolve(
                        String.format("cams-step%07d.png", snap.get("step").asLong()))), png.body()));
                JsonNode maps = json(s, snap.get("maps").asText());
                assertEquals(snap.get("step").asLong(), maps.get("step").asLong());
                assertEquals("[\"left\",\"right\"]", maps.get("heads").toString());
                assertEquals(3, maps.get("samples").size(), "snapshot.samples=3");
                assertEquals("mean", maps.get("combine").asText());
            }

            JsonNode metrics = json(s, "/api/runs/two-heads/metrics");
            assertEquals(Files.readAllLines(run.resolve("metrics.jsonl")).size(), metrics.size());
            assertTrue(metrics.get(metrics.size() - 1).has("test/cam_outside_share/left"), "the last evaluation");

            HttpResponse<byte[]> config = get(s, "/api/runs/two-heads/files/config.conf");
            assertEquals(200, config.statusCode());
            assertTrue(text(config).contains("two-item"));
            HttpResponse<byte[]> unknown = get(s, "/api/runs/nope/snapshots");
            assertEquals(404, unknown.statusCode());
            assertTrue(text(unknown).contains("no run 'nope' here; runs: [two-heads]"), text(unknown));
            assertEquals(404, get(s, "/api/runs/two-heads/files/snapshots/cams-step9999999.png").statusCode());
        }
    }

    @Test
    void theColormapsAreTheTablesThePngsWereDrawnWith() throws Exception {
        try (ViewServer s = ViewServer.start(ViewerRuns.twoHeads(), 0)) {
            JsonNode maps = json(s, "/api/colormaps");
            List<String> names = new java.util.ArrayList<>();
            maps.fieldNames().forEachRemaining(names::add);
            assertEquals(List.of("jet", "viridis"), names);
            for (String name : List.of("jet", "viridis")) {
                assertEquals(256, maps.get(name).size());
                for (int i : new int[] {0, 77, 128, 255}) {
                    assertEquals(Colormaps.byName(name).rgb(i / 255.0), maps.get(name).get(i).asInt(), name + " at " + i);
                }
            }
            assertEquals(0xFDE725, maps.get("viridis").get(255).asInt());
        }
    }

    @Test
    void aComparisonListsItsVariantsInItsOwnOrder() throws Exception {
        try (ViewServer s = ViewServer.start(ViewerRuns.comparison(), 0)) {
            JsonNode view = json(s, "/api/view");
            assertEquals("comparison", view.get("kind").asText());
            assertEquals(List.of("baseline", "hirescam-features"), names(view));
            for (String v : names(view)) {
                assertFalse(json(s, "/api/runs/" + v + "/snapshots").get("snapshots").isEmpty(), v);
            }
        }
    }

    @Test
    void aMultirunListsItsJobsByNumber(@TempDir Path sweep) throws Exception {
        RunCopies.copy(ViewerRuns.twoHeads(), sweep.resolve("10_lr=0.01"));
        RunCopies.copy(ViewerRuns.twoHeads(), sweep.resolve("2_lr=0.1"));
        try (ViewServer s = ViewServer.start(sweep, 0)) {
            JsonNode view = json(s, "/api/view");
            assertEquals("multirun", view.get("kind").asText());
            assertEquals(List.of("2_lr=0.1", "10_lr=0.01"), names(view));
            assertEquals(3, json(s, "/api/runs/10_lr%3D0.01/snapshots").get("snapshots").size());
        }
    }

    @Test
    void pathsOutsideTheRunDirectoryAreRefused(@TempDir Path dir) throws Exception {
        Path run = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("run"));
        Files.writeString(dir.resolve("secret.txt"), "not yours");
        Files.createSymbolicLink(run.resolve("snapshots/link.png"), dir.resolve("secret.txt"));
        try (ViewServer s = ViewServer.start(run, 0)) {
            for (String attack : List.of("../secret.txt", "..%2Fsecret.txt", "%2e%2e/secret.txt", "snapshots/../../secret.txt",
                    "%2Fetc%2Fpasswd", "snapshots/link.png")) {
                // sent as typed: java.net.URI keeps dot segments, as curl --path-as-is does
                HttpResponse<byte[]> r = get(s, "/api/runs/run/files/" + attack);
                assertTrue(r.statusCode() == 403 || r.statusCode() == 400, attack + ": " + r.statusCode());
                assertFalse(text(r).contains("not yours") || text(r).contains("root:"), attack + " leaked: " + text(r));
            }
            HttpResponse<byte[]> r = get(s, "/api/runs/run/files/../secret.txt");
            assertTrue(text(r).contains("outside the run directory"), text(r));
            assertEquals(403, rawGet(s.port(), "/api/runs/run/files/../../secret.txt"), "raw request line, no client normalising");
        }
    }

    @Test
    void aHalfWrittenSnapshotIsSkippedUntilItIsComplete(@TempDir Path dir) throws Exception {
        Path run = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("run"));
        byte[] png = Files.readAllBytes(run.resolve("snapshots/cams-step0000010.png"));
        byte[] maps = Files.readAllBytes(run.resolve("snapshots/cams-step0000010.maps.json"));
        Path newPng = run.resolve("snapshots/cams-step0000011.png");
        Path newMaps = run.resolve("snapshots/cams-step0000011.maps.json");
        try (ViewServer s = ViewServer.start(run, 0)) {
            Files.write(newPng, Arrays.copyOf(png, png.length / 2));
            assertEquals(List.of(1L, 5L, 10L), steps(s), "half a PNG is not a snapshot yet");
            HttpResponse<byte[]> partial = get(s, "/api/runs/run/files/snapshots/cams-step0000011.png");
            assertEquals(404, partial.statusCode());
            assertTrue(text(partial).contains("still being written"), text(partial));

            Files.write(newPng, png);
            Files.write(newMaps, Arrays.copyOf(maps, maps.length - 10));
            JsonNode last = json(s, "/api/runs/run/snapshots").get("snapshots").get(3);
            assertEquals(11, last.get("step").asLong(), "the whole PNG is listed");
            assertTrue(last.get("maps").isNull(), "its raw maps are not complete yet");

            Files.write(newMaps, maps);
            assertFalse(json(s, "/api/runs/run/snapshots").get("snapshots").get(3).get("maps").isNull());
        }
    }

    @Test
    void aHalfWrittenMetricsLineWaitsForItsEnd(@TempDir Path dir) throws Exception {
        Path run = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("run"));
        int rows = Files.readAllLines(run.resolve("metrics.jsonl")).size();
        Files.writeString(run.resolve("metrics.jsonl"), "{\"kind\":\"train\",\"step\":12,\"loss\":1.", java.nio.file.StandardOpenOption.APPEND);
        try (ViewServer s = ViewServer.start(run, 0)) {
            assertEquals(rows, json(s, "/api/runs/run/metrics").size());
            Files.writeString(run.resolve("metrics.jsonl"), "5}\n", java.nio.file.StandardOpenOption.APPEND);
            JsonNode metrics = json(s, "/api/runs/run/metrics");
            assertEquals(rows + 1, metrics.size());
            assertEquals(1.5, metrics.get(rows).get("loss").asDouble());
        }
    }

    @Test
    void eventsAnnounceANewSnapshotWithinAFewSeconds(@TempDir Path dir) throws Exception {
        Path run = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("run"));
        Files.delete(run.resolve("summary.json")); // as while it trains
        try (ViewServer s = ViewServer.start(run, 0)) {
            HttpRequest subscribe = HttpRequest.newBuilder(URI.create(s.address() + "api/events"))
                    .header("Accept", "text/event-stream").build(); // as EventSource sends it
            HttpResponse<java.io.InputStream> events = HTTP.send(subscribe, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals("text/event-stream", events.headers().firstValue("content-type").orElse("").split(";")[0]);
            BufferedReader lines = new BufferedReader(new InputStreamReader(events.body(), StandardCharsets.UTF_8));
            assertEquals("event: hello", lines.readLine());
            long written = System.nanoTime();
            Files.copy(run.resolve("snapshots/cams-step0000010.png"), run.resolve("snapshots/cams-step0000012.png"));
            CompletableFuture<String> change = CompletableFuture.supplyAsync(() -> {
                try {
                    for (String line; (line = lines.readLine()) != null;) {
                        if (line.equals("event: change")) {
                            return lines.readLine();
                        }
                    }
                    return null;
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            String data = change.get(5, TimeUnit.SECONDS);
            double seconds = (System.nanoTime() - written) / 1e9;
            assertEquals("data: {\"runs\":[\"run\"]}", data);
            System.out.printf("view: a new snapshot was announced %.2f s after it was written%n", seconds);
            events.body().close();
        }
    }

    @Test
    void notARunNoSnapshotsAndPortsInUseAreClearErrors(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        ViewException e = assertThrows(ViewException.class, () -> ViewServer.start(empty, 0));
        assertTrue(e.getMessage().startsWith(empty + " is not a run directory (it has no config.conf, metrics.jsonl or snapshots/)"),
                e.getMessage());
        e = assertThrows(ViewException.class, () -> ViewServer.start(dir.resolve("missing"), 0));
        assertTrue(e.getMessage().startsWith(dir.resolve("missing") + " does not exist; expected a run directory"), e.getMessage());
        Files.writeString(dir.resolve("file"), "x");
        e = assertThrows(ViewException.class, () -> ViewServer.start(dir.resolve("file"), 0));
        assertTrue(e.getMessage().startsWith(dir.resolve("file") + " is a file"), e.getMessage());

        Path noSnapshots = RunCopies.copy(ViewerRuns.twoHeads(), dir.resolve("no-snapshots"), rel -> !rel.startsWith("snapshots")
                && !rel.startsWith("checkpoints") && !rel.startsWith("model"));
        e = assertThrows(ViewException.class, () -> ViewServer.start(noSnapshots, 0));
        assertEquals("the run " + noSnapshots + " has no CAM snapshots (snapshots/cams-stepNNNNNNN.png) and it has ended "
                + "(summary.json: [FINISHED]), so none will come; snapshots are taken every snapshot.every steps and after each epoch",
                e.getMessage());
        // still training: no snapshot yet is fine, they will come
        Files.delete(noSnapshots.resolve("summary.json"));
        try (ViewServer s = ViewServer.start(noSnapshots, 0)) {
            assertEquals(0, json(s, "/api/runs/no-snapshots/snapshots").get("snapshots").size());
        }

        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            ViewException busy = assertThrows(ViewException.PortInUse.class, () -> ViewServer.start(ViewerRuns.twoHeads(), taken.getLocalPort()));
            Matcher m = Pattern.compile("port (\\d+) on 127\\.0\\.0\\.1 is in use by another program; choose another with --port, "
                    + "e\\.g\\. --port (\\d+) \\(free now\\)").matcher(busy.getMessage());
            assertTrue(m.matches(), busy.getMessage());
            assertEquals(taken.getLocalPort(), Integer.parseInt(m.group(1)));
            try (ViewServer s = ViewServer.start(ViewerRuns.twoHeads(), Integer.parseInt(m.group(2)))) {
                assertEquals(Integer.parseInt(m.group(2)), s.port(), "the suggested port works");
            }
        }
    }

    @Test
    void theCommandLineSaysWhatIsWrong(@TempDir Path dir) {
        StringWriter err = new StringWriter();
        int code = SpotlightCli.commandLine().setErr(new PrintWriter(err)).execute("view", dir.toString());
        assertEquals(1, code);
        assertTrue(err.toString().startsWith("error: " + dir + " is not a run directory"), err.toString());
        err = new StringWriter();
        assertEquals(1, SpotlightCli.commandLine().setErr(new PrintWriter(err)).execute("view", dir.toString(), "--port", "70000"));
        assertTrue(err.toString().startsWith("error: --port must be between 0 and 65535 (0: any free port), got 70000"), err.toString());
        StringWriter out = new StringWriter();
        SpotlightCli.commandLine().setOut(new PrintWriter(out)).execute("view", "--help");
        assertTrue(out.toString().contains("--port=P"), out.toString());
    }

    private static List<Long> steps(ViewServer s) throws Exception {
        return StreamSupport.stream(json(s, "/api/runs/run/snapshots").get("snapshots").spliterator(), false)
                .map(n -> n.get("step").asLong()).toList();
    }

    private static List<String> names(JsonNode view) {
        return StreamSupport.stream(view.get("runs").spliterator(), false).map(n -> n.get("name").asText()).toList();
    }

    /** The status code of a request line sent as is over a socket. */
    private static int rawGet(int port, String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII)).readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }
}
