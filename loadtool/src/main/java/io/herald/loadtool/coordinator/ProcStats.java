package io.herald.loadtool.coordinator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalLong;

/** CPU time and resident memory of a process, read from Linux's /proc. */
public final class ProcStats {
  private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

  private ProcStats() {
  }

  /** utime + stime of {@code pid} (all its threads) in seconds, or empty when the process is gone. */
  public static OptionalDouble cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      // The command name (field 2) may hold spaces and parentheses: fields start after the last ')'.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // fields 14 and 15 of proc(5)
      return OptionalDouble.of(ticks / (double) CLOCK_TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return OptionalDouble.empty();
    }
  }

  /** VmRSS of {@code pid} in KiB, or empty when the process is gone. */
  public static OptionalLong rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return OptionalLong.of(Long.parseLong(line.substring(6).trim().split("\\s+")[0]));
        }
      }
      return OptionalLong.empty();
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
  }

  /** The soft limit on open files of this process (children inherit it). */
  public static long openFilesLimit() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
        if (line.startsWith("Max open files")) {
          String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
          return soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
        }
      }
    } catch (IOException | RuntimeException e) {
      // fall through to the conservative default
    }
    return 1024;
  }

  /** How many local ports the kernel hands out per source address (ip_local_port_range). */
  public static int ephemeralPorts() {
    try {
      String[] range = Files.readString(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).trim().split("\\s+");
      return Integer.parseInt(range[1]) - Integer.parseInt(range[0]) + 1;
    } catch (IOException | RuntimeException e) {
      return 28_232; // Linux default 32768-60999
    }
  }

  private static long clockTicks() {
    try {
      Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes()).trim();
      p.waitFor();
      return Long.parseLong(out);
    } catch (IOException | RuntimeException e) {
      return 100;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return 100;
    }
  }
}
