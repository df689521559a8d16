package io.herald.loadtool;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.herald.loadtool.report.LatencySummary;
import io.herald.loadtool.worker.WorkerConfig;
import io.herald.loadtool.worker.WorkerEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A worker process, forked by the coordinator ({@code java -cp <jar> io.herald.loadtool.Worker}).
 *
 * <p>Protocol: one JSON object per line. Commands arrive on stdin as {@code {"cmd":..}}; every
 * answer is written to stdout as {@code {"event":..}}. Logs go to stderr. The worker exits when
 * told to ({@code close}) or when stdin ends, so it never outlives its coordinator.
 */
public final class Worker {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };

  private final PrintStream out;
  private WorkerEngine engine;

  private Worker(PrintStream out) {
    this.out = out;
  }

  public static void main(String[] args) throws Exception {
    PrintStream protocol = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), false, StandardCharsets.UTF_8);
    System.setOut(System.err); // nothing but protocol lines on stdout
    Worker worker = new Worker(protocol);
    worker.emit("hello", Map.of("pid", ProcessHandle.current().pid()));
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String line;
    try {
      while ((line = in.readLine()) != null) {
        if (!line.isBlank() && !worker.handle(JSON.readValue(line, MAP))) {
          break;
        }
      }
    } catch (Exception e) {
      worker.emit("failed", Map.of("message", String.valueOf(e)));
      e.printStackTrace();
    } finally {
      if (worker.engine != null) {
        worker.engine.close(5_000);
      }
    }
    System.exit(0);
  }

  @SuppressWarnings("unchecked")
  private boolean handle(Map<String, Object> command) throws Exception {
    String cmd = String.valueOf(command.get("cmd"));
    switch (cmd) {
      case "connect" -> {
        engine = new WorkerEngine(WorkerConfig.fromJson((Map<String, Object>) command.get("config")));
        engine.connectAll().thenCompose(v -> engine.connectResult())
            .thenAccept(result -> {
              result.put("transport", WorkerEngine.transportName());
              emit("connected", result);
            });
      }
      case "stats" -> emit("stats", engine.stats());
      case "reset" -> {
        engine.reset();
        emit("reset", Map.of());
      }
      case "chat" -> engine.chat(((Number) command.get("rate")).doubleValue(),
              ((Number) command.get("duration_ms")).longValue(), ((Number) command.get("payload_bytes")).intValue())
          .whenComplete((sent, error) -> {
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("sent", sent == null ? 0 : sent);
            if (error != null) {
              result.put("error", error.getMessage());
            }
            emit("chat_done", result);
          });
      case "mark_slow" -> engine.markSlow(((Number) command.get("share")).doubleValue())
          .thenAccept(n -> emit("marked", Map.of("slow", n)));
      case "receivers" -> {
        int[] slots = ((List<Number>) command.get("slots")).stream().mapToInt(Number::intValue).toArray();
        long[] seqs = ((List<Number>) command.get("seqs")).stream().mapToLong(Number::longValue).toArray();
        engine.receivers(slots, seqs).thenAccept(counts -> emit("receivers", Map.of("counts", counts)));
      }
      case "stall" -> emit("stalled", Map.of("stalled", engine.stall(((Number) command.get("ms")).longValue())));
      case "report" -> {
        Map<String, Object> result = engine.stats();
        result.put("histogram", LatencySummary.encode(engine.takeLatency()));
        result.put("slow_histogram", LatencySummary.encode(engine.takeSlowLatency()));
        emit("report", result);
      }
      case "close" -> {
        engine.close(5_000);
        engine = null;
        emit("closed", Map.of());
        return false;
      }
      default -> emit("failed", Map.of("message", "unknown command " + cmd));
    }
    return true;
  }

  private void emit(String event, Map<String, Object> fields) {
    Map<String, Object> message = new LinkedHashMap<>();
    message.put("event", event);
    message.putAll(fields);
    try {
      String line = JSON.writeValueAsString(message);
      synchronized (out) {
        out.println(line);
        out.flush();
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + event, e);
    }
  }
}
