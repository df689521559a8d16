package io.herald.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Provides a secret the configuration lacks: generated once, then kept in the data folder (mode
 * 0600) so the next start finds the same one, or kept in memory only when embedding.
 */
public interface Secrets {
  int GENERATED_BYTES = 32;

  /** The secret stored under {@code name}, generated when absent. */
  String obtain(String name);

  /** Whether the last {@link #obtain} of this name generated a new secret. */
  boolean generated(String name);

  static Secrets inMemory() {
    return new Secrets() {
      @Override
      public String obtain(String name) {
        return generate();
      }

      @Override
      public boolean generated(String name) {
        return true;
      }
    };
  }

  static Secrets inFolder(Path dir) {
    return new Secrets() {
      private final java.util.Set<String> fresh = new java.util.HashSet<>();

      @Override
      public String obtain(String name) {
        Path file = dir.resolve(name);
        try {
          if (Files.exists(file)) {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
          }
          Files.createDirectories(dir);
          trySetMode(dir, "rwx------");
          String secret = generate();
          Path tmp = Files.createTempFile(dir, name, ".tmp");
          trySetMode(tmp, "rw-------");
          Files.writeString(tmp, secret + "\n", StandardCharsets.UTF_8);
          try {
            Files.move(tmp, file);
          } catch (FileAlreadyExistsException raced) {
            Files.deleteIfExists(tmp);
            return Files.readString(file, StandardCharsets.UTF_8).trim();
          }
          fresh.add(name);
          return secret;
        } catch (IOException e) {
          throw new UncheckedIOException("cannot keep the generated " + name + " in " + dir, e);
        }
      }

      @Override
      public boolean generated(String name) {
        return fresh.contains(name);
      }
    };
  }

  static String generate() {
    byte[] bytes = new byte[GENERATED_BYTES];
    new SecureRandom().nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  private static void trySetMode(Path path, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the folder's ACL applies.
    }
  }
}
