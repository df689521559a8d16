package io.herald.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * {@code <data_dir>/herald.pid}: the process id of the Herald running on that data folder, one
 * decimal number and a newline. The server writes it once it listens and removes it when it
 * exits; {@code stop}, {@code reload} and {@code status} read it to find the process.
 */
final class PidFile {
  static final String NAME = "herald.pid";

  private final Path path;

  PidFile(Path dataDir) {
    this.path = dataDir.resolve(NAME);
  }

  Path path() {
    return path;
  }

  /** The pid written in the file, if there is a file with a number in it. */
  OptionalLong read() {
    try {
      String text = Files.readString(path, StandardCharsets.UTF_8).trim();
      return OptionalLong.of(Long.parseLong(text));
    } catch (java.nio.file.NoSuchFileException e) {
      return OptionalLong.empty();
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  boolean exists() {
    return Files.exists(path);
  }

  /**
   * The live Herald process the file names. Empty when there is no file, or when it is stale: the
   * process has exited, or the pid now belongs to another program.
   */
  Optional<ProcessHandle> process() {
    OptionalLong pid = read();
    if (pid.isEmpty()) {
      return Optional.empty();
    }
    return ProcessHandle.of(pid.getAsLong()).filter(ProcessHandle::isAlive).filter(PidFile::looksLikeHerald);
  }

  /** Pids get reused: a live process counts only if its command line (when visible) is Herald's. */
  private static boolean looksLikeHerald(ProcessHandle p) {
    if (p.pid() == ProcessHandle.current().pid()) {
      return true;
    }
    Optional<String> line = p.info().commandLine();
    return line.isEmpty() || line.get().toLowerCase(Locale.ROOT).contains("herald");
  }

  /** Writes this process's pid, atomically. */
  void writeCurrent() {
    try {
      Files.createDirectories(path.getParent() == null ? Path.of(".") : path.getParent());
      Path tmp = Files.createTempFile(path.toAbsolutePath().getParent(), NAME, ".tmp");
      Files.writeString(tmp, ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
      Files.move(tmp, path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the pid file " + path, e);
    }
  }

  /** Removes the file if it still names this process (a newer server may have replaced it). */
  void deleteIfCurrent() {
    OptionalLong pid = read();
    if (pid.isPresent() && pid.getAsLong() == ProcessHandle.current().pid()) {
      delete();
    }
  }

  void delete() {
    try {
      Files.deleteIfExists(path);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the pid file " + path, e);
    }
  }
}
