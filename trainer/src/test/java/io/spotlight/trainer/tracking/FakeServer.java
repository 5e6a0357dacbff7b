package io.spotlight.trainer.tracking;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/**
 * A loopback HTTP server that answers every request the same way, for what a real MLflow server
 * is hard to make do: refuse credentials, refuse an experiment name.
 */
final class FakeServer implements AutoCloseable {
  /** A canned answer. */
  record Answer(int status, String body) {}

  private final HttpServer server;
  final List<String> authorizationHeaders = new CopyOnWriteArrayList<>();
  final List<String> requests = new CopyOnWriteArrayList<>();

  FakeServer(Function<HttpExchange, Answer> answer) throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", exchange -> {
      requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
      String auth = exchange.getRequestHeaders().getFirst("Authorization");
      if (auth != null) {
        authorizationHeaders.add(auth);
      }
      exchange.getRequestBody().readAllBytes();
      Answer a = answer.apply(exchange);
      byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(a.status(), body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    server.start();
  }

  String uri() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
