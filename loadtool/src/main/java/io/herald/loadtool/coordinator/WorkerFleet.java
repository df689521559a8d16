package io.herald.loadtool.coordinator;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Worker JVMs forked from the same class path, driven over stdin/stdout JSON lines (see
 * {@code io.herald.loadtool.Worker}). Each worker stays under the per-process open-files limit.
 */
public final class WorkerFleet implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {
  };
  private static final Map<String, Object> EOF = Map.of("event", "eof");
  private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);

  private final List<Process> processes = new ArrayList<>();
  private final List<BlockingQueue<Map<String, Object>>> inboxes = new ArrayList<>();

  public WorkerFleet(int workers, List<String> jvmOptions) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String classPath = System.getProperty("java.class.path");
    for (int i = 0; i < workers; i++) {
      List<String> command = new ArrayList<>();
      command.add(java);
      command.addAll(jvmOptions);
      command.add("-cp");
      command.add(classPath);
      command.add("io.herald.loadtool.Worker");
      Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
      processes.add(process);
      BlockingQueue<Map<String, Object>> inbox = new LinkedBlockingQueue<>();
      inboxes.add(inbox);
      Thread reader = new Thread(() -> pump(process, inbox), "worker-" + i + "-reader");
      reader.setDaemon(true);
      reader.start();
    }
    // Wait for every JVM to be up, so connection timings leave out JVM start-up.
    try {
      for (int i = 0; i < workers; i++) {
        await(i, "hello", STARTUP_TIMEOUT);
      }
    } catch (InterruptedException | RuntimeException e) {
      processes.forEach(Process::destroyForcibly);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IOException("workers did not start: " + e.getMessage(), e);
    }
  }

  private static void pump(Process process, BlockingQueue<Map<String, Object>> inbox) {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("{")) {
          inbox.add(JSON.readValue(line, MAP));
        }
      }
    } catch (IOException e) {
      // the worker went away; EOF below tells whoever waits
    }
    inbox.add(EOF);
  }

  public int size() {
    return processes.size();
  }

  public List<Long> pids() {
    return processes.stream().map(Process::pid).toList();
  }

  public void send(int worker, Map<String, Object> command) throws IOException {
    OutputStream in = processes.get(worker).getOutputStream();
    in.write((JSON.writeValueAsString(command) + "\n").getBytes(StandardCharsets.UTF_8));
    in.flush();
  }

  public void sendAll(Map<String, Object> command) throws IOException {
    for (int i = 0; i < processes.size(); i++) {
      send(i, command);
    }
  }

  /** The next message of {@code worker}, which must be {@code event}. */
  public Map<String, Object> await(int worker, String event, Duration timeout) throws InterruptedException {
    Map<String, Object> message = inboxes.get(worker).poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
    if (message == null) {
      throw new IllegalStateException("worker " + worker + " did not answer '" + event + "' within " + timeout);
    }
    if (!event.equals(message.get("event"))) {
      throw new IllegalStateException("worker " + worker + " answered " + message + " instead of '" + event + "'");
    }
    return message;
  }

  /** Sends {@code command} to every worker and collects each one's {@code event} answer. */
  public List<Map<String, Object>> ask(Map<String, Object> command, String event, Duration timeout)
      throws IOException, InterruptedException {
    sendAll(command);
    long deadline = System.nanoTime() + timeout.toNanos();
    List<Map<String, Object>> answers = new ArrayList<>();
    for (int i = 0; i < processes.size(); i++) {
      answers.add(await(i, event, Duration.ofNanos(Math.max(0, deadline - System.nanoTime()))));
    }
    return answers;
  }

  @Override
  public void close() throws InterruptedException {
    for (int i = 0; i < processes.size(); i++) {
      try {
        send(i, Map.of("cmd", "close"));
        processes.get(i).getOutputStream().close();
      } catch (IOException e) {
        // already gone
      }
    }
    for (Process process : processes) {
      if (!process.waitFor(15, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }
}
