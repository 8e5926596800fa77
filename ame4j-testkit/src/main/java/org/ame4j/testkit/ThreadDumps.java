package org.ame4j.testkit;

import java.io.IOException;
import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Thread dumps for tests that give up waiting, so that a hang is diagnosable from the failure
 * alone: where each thread stood, what it waited for and who held it. A timeout without one
 * leaves only "it took too long", which reads the same for a slow machine and a deadlock.
 *
 * <p>Guarantees: never throws; a dump that cannot be taken says why instead. Does not stop or
 * resume anything (a dump of a child is {@code jcmd <pid> Thread.print}, a safepoint and back).
 */
public final class ThreadDumps {
  private ThreadDumps() {}

  /** Every thread of this JVM with its full stack, the locks it holds and the one it waits for; deadlocks first. */
  public static String ofThisJvm() {
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    StringBuilder sb = new StringBuilder("--- thread dump of the test JVM\n");
    long[] deadlocked = mx.findDeadlockedThreads();
    if (deadlocked != null) {
      sb.append("DEADLOCK among thread ids ").append(java.util.Arrays.toString(deadlocked)).append('\n');
    }
    for (ThreadInfo t : mx.dumpAllThreads(mx.isObjectMonitorUsageSupported(),
        mx.isSynchronizerUsageSupported())) {
      sb.append('"').append(t.getThreadName()).append("\" id=").append(t.getThreadId())
          .append(' ').append(t.getThreadState());
      if (t.getLockInfo() != null) {
        sb.append(" on ").append(t.getLockInfo());
      }
      if (t.getLockOwnerName() != null) {
        sb.append(" owned by \"").append(t.getLockOwnerName()).append('"');
      }
      sb.append('\n');
      StackTraceElement[] stack = t.getStackTrace(); // ThreadInfo.toString() cuts it at 8 frames
      for (int i = 0; i < stack.length; i++) {
        sb.append("\tat ").append(stack[i]).append('\n');
        for (MonitorInfo m : t.getLockedMonitors()) {
          if (m.getLockedStackDepth() == i) {
            sb.append("\t- locked ").append(m).append('\n');
          }
        }
      }
      for (LockInfo l : t.getLockedSynchronizers()) {
        sb.append("\t- holds ").append(l).append('\n');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /**
   * The thread dump of another JVM ({@code jcmd pid Thread.print}, with the JDK's own
   * {@code jcmd}), at most 60 s; a line saying why not if it cannot be taken (the process is
   * not a HotSpot JVM, or already gone).
   */
  public static String ofProcess(long pid) {
    Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
    if (!Files.isExecutable(jcmd)) {
      return "--- no thread dump of process " + pid + ": " + jcmd + " not found\n";
    }
    Path out = null;
    try {
      out = Files.createTempFile("thread-dump", ".txt");
      Process p = ChildJvm.processBuilder(List.of(jcmd.toString(), Long.toString(pid), "Thread.print"))
          .redirectErrorStream(true).redirectOutput(out.toFile()).start();
      if (!p.waitFor(60, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        return "--- no thread dump of process " + pid + ": jcmd took over 60 s\n";
      }
      return "--- thread dump of process " + pid + " (jcmd Thread.print, status " + p.exitValue()
          + ")\n" + Files.readString(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "--- no thread dump of process " + pid + ": " + e + "\n";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "--- no thread dump of process " + pid + ": interrupted\n";
    } finally {
      if (out != null) {
        try {
          Files.deleteIfExists(out);
        } catch (IOException ignored) {
          // a temporary file: left for the OS
        }
      }
    }
  }
}
