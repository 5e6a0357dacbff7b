package io.spotlight.trainer.view;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import io.javalin.http.sse.SseClient;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.spotlight.cam.render.Colormap;
import io.spotlight.cam.render.Colormaps;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The web server of {@code ./spotlight view}, on loopback only. The page and its scripts come from
 * the jar ({@code /viewer/} on the class path, uPlot from its WebJar), so it works offline. Endpoints:
 *
 * <ul>
 *   <li>{@code GET /api/view}: what is shown (run, comparison or multirun) and its runs with their status;
 *   <li>{@code GET /api/runs/{run}/snapshots}: a run's complete snapshots, with the URLs of their PNG and raw maps;
 *   <li>{@code GET /api/runs/{run}/metrics}: a run's {@code metrics.jsonl} rows;
 *   <li>{@code GET /api/runs/{run}/files/PATH}: a file inside the run directory (nothing outside it);
 *   <li>{@code GET /api/colormaps}: the colormaps' 256-entry tables, the same colours as the PNGs;
 *   <li>{@code GET /api/events}: server-sent events, a {@code change} naming the runs that gained
 *       snapshots, metrics or a status (checked every {@link #POLL_MS} ms).
 * </ul>
 */
public final class ViewServer implements AutoCloseable {
    /** How often the run directories are checked for news: well inside the page's 5 s promise. */
    static final long POLL_MS = 1000;
    static final String HOST = "127.0.0.1";
    private static final String UPLOT = "META-INF/resources/webjars/uplot/";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final ViewTarget target;
    private final CompleteFiles complete = new CompleteFiles();
    private final Queue<SseClient> clients = new ConcurrentLinkedQueue<>();
    private final Map<String, String> fingerprints = new ConcurrentHashMap<>();
    private final ScheduledExecutorService poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "spotlight-view-poller");
        t.setDaemon(true);
        return t;
    });
    private Javalin app;

    private ViewServer(ViewTarget target) {
        this.target = target;
    }

    /**
     * Checks {@code dir} and serves it on {@code 127.0.0.1:port} (0: any free port).
     *
     * @throws ViewException for a directory that is not a run or group of runs, a finished run
     *     with no snapshots, or a port in use (naming it and a free one)
     */
    public static ViewServer start(Path dir, int port) {
        ViewServer server = new ViewServer(ViewTarget.of(dir));
        server.listen(port);
        return server;
    }

    /** {@code http://127.0.0.1:PORT/}. */
    public String address() {
        return "http://" + HOST + ":" + app.port() + "/";
    }

    public int port() {
        return app.port();
    }

    private void listen(int port) {
        String uplot = UPLOT + uplotVersion() + "/dist/";
        app = Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jetty.host = HOST;
            cfg.jetty.port = port;
            cfg.jsonMapper(new JavalinJackson(JSON, false));
            cfg.staticFiles.add(s -> {
                s.hostedPath = "/";
                s.directory = "/viewer";
                s.location = Location.CLASSPATH;
                s.headers = Map.of("Cache-Control", "no-cache");
            });
            cfg.routes.get("/lib/uplot.js", ctx -> resource(ctx, uplot + "uPlot.iife.min.js", "text/javascript"));
            cfg.routes.get("/lib/uplot.css", ctx -> resource(ctx, uplot + "uPlot.min.css", "text/css"));
            cfg.routes.get("/api/view", this::view);
            cfg.routes.get("/api/colormaps", this::colormaps);
            cfg.routes.get("/api/runs/{run}/snapshots", ctx -> snapshots(ctx, run(ctx)));
            cfg.routes.get("/api/runs/{run}/metrics", ctx -> noStore(ctx).json(run(ctx).metrics()));
            cfg.routes.get("/api/runs/{run}/files/<path>", ctx -> file(ctx, run(ctx), ctx.pathParam("path")));
            cfg.routes.sse("/api/events", this::subscribe);
            cfg.routes.exception(RefusedRequest.class, (e, ctx) -> ctx.status(e.status).json(Map.of("error", e.getMessage())));
        });
        try {
            app.start();
        } catch (RuntimeException e) {
            if (causedByBind(e)) {
                throw new ViewException.PortInUse("port " + port + " on " + HOST + " is in use by another program; choose another with "
                        + "--port, e.g. --port " + freePort() + " (free now)", e);
            }
            throw e;
        }
        fingerprints.putAll(currentFingerprints());
        poller.scheduleWithFixedDelay(this::announceChanges, POLL_MS, POLL_MS, TimeUnit.MILLISECONDS);
    }

    private void view(Context ctx) {
        List<Map<String, Object>> runs = target.runs().stream().map(r -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", r.name());
            m.put("dir", r.dir().toString());
            m.put("status", r.status());
            return m;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("title", target.dir().getFileName().toString());
        out.put("dir", target.dir().toString());
        out.put("kind", target.kind().name().toLowerCase(java.util.Locale.ROOT));
        out.put("runs", runs);
        noStore(ctx).json(out);
    }

    private void snapshots(Context ctx, ViewedRun run) {
        String base = "/api/runs/" + URLEncoder.encode(run.name(), StandardCharsets.UTF_8).replace("+", "%20") + "/files/snapshots/";
        List<Map<String, Object>> out = run.snapshots(complete).stream().map(s -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("step", s.step());
            m.put("png", base + s.png());
            m.put("maps", s.maps() == null ? null : base + s.maps());
            return m;
        }).toList();
        noStore(ctx).json(Map.of("run", run.name(), "status", run.status(), "snapshots", out));
    }

    private void colormaps(Context ctx) {
        Map<String, int[]> out = new LinkedHashMap<>();
        for (String name : Colormaps.names()) {
            Colormap c = Colormaps.byName(name);
            int[] table = new int[256];
            for (int i = 0; i < 256; i++) {
                table[i] = c.rgb(i / 255.0);
            }
            out.put(name, table);
        }
        ctx.json(out);
    }

    /** A file of the run; anything that resolves outside the run directory, links included, is refused. */
    private void file(Context ctx, ViewedRun run, String relative) throws IOException {
        Path root = run.dir().toRealPath();
        Path wanted = root.resolve(relative).normalize();
        if (!wanted.startsWith(root) || (Files.exists(wanted) && !wanted.toRealPath().startsWith(root))) {
            throw new RefusedRequest(HttpStatus.FORBIDDEN.getCode(), "refused: " + relative + " is outside the run directory " + root);
        }
        if (!Files.isRegularFile(wanted)) {
            throw new RefusedRequest(HttpStatus.NOT_FOUND.getCode(), "no file " + relative + " in the run directory " + root);
        }
        String name = wanted.getFileName().toString();
        if (name.endsWith(".png") && !complete.png(wanted) || name.endsWith(".json") && !complete.json(wanted)) {
            throw new RefusedRequest(HttpStatus.NOT_FOUND.getCode(), relative + " is still being written; ask again when it is complete");
        }
        ctx.header("Cache-Control", "no-cache");
        ctx.contentType(name.endsWith(".png") ? "image/png" : name.endsWith(".json") ? "application/json"
                : name.endsWith(".jsonl") || name.endsWith(".conf") || name.endsWith(".md") ? "text/plain; charset=utf-8"
                : "application/octet-stream");
        ctx.result(Files.readAllBytes(wanted));
    }

    private ViewedRun run(Context ctx) {
        String name = ctx.pathParam("run");
        ViewedRun run = target.run(name);
        if (run == null) {
            throw new RefusedRequest(HttpStatus.NOT_FOUND.getCode(), "no run '" + name + "' here; runs: "
                    + target.runs().stream().map(ViewedRun::name).toList());
        }
        return run;
    }

    private void subscribe(SseClient client) {
        client.keepAlive();
        client.onClose(() -> clients.remove(client));
        clients.add(client);
        client.sendEvent("hello", "{\"poll_ms\":" + POLL_MS + "}");
    }

    /** Sends one {@code change} event naming every run whose files changed since the last check. */
    private void announceChanges() {
        try {
            Map<String, String> now = currentFingerprints();
            List<String> changed = now.keySet().stream().filter(k -> !now.get(k).equals(fingerprints.get(k))).toList();
            fingerprints.keySet().retainAll(now.keySet());
            fingerprints.putAll(now);
            if (!changed.isEmpty()) {
                String data = JSON.writeValueAsString(Map.of("runs", changed));
                for (SseClient c : clients) {
                    if (c.terminated()) {
                        clients.remove(c);
                    } else {
                        c.sendEvent("change", data);
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // a folder that vanished or cannot be read for a moment: the next check tries again
        }
    }

    private Map<String, String> currentFingerprints() {
        Map<String, String> out = new LinkedHashMap<>();
        for (ViewedRun r : target.runs()) {
            out.put(r.name(), r.fingerprint(complete));
        }
        return out;
    }

    private static Context noStore(Context ctx) {
        return ctx.header("Cache-Control", "no-store");
    }

    private static void resource(Context ctx, String path, String type) throws IOException {
        try (InputStream in = ViewServer.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new RefusedRequest(404, "missing from the jar: " + path);
            }
            ctx.contentType(type).header("Cache-Control", "max-age=3600").result(in.readAllBytes());
        }
    }

    private static String uplotVersion() {
        try (InputStream in = ViewServer.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.webjars.npm/uplot/pom.properties")) {
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException | NullPointerException e) {
            throw new IllegalStateException("the uPlot WebJar (org.webjars.npm:uplot) is not on the class path", e);
        }
    }

    private static boolean causedByBind(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof BindException || c instanceof io.javalin.util.JavalinBindException) {
                return true;
            }
        }
        return false;
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        poller.shutdownNow();
        clients.forEach(SseClient::close);
        if (app != null) {
            app.stop();
        }
    }

    /** A request answered with an error status and a message saying why. */
    private static final class RefusedRequest extends RuntimeException {
        private final int status;

        RefusedRequest(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
