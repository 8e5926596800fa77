package org.ame4j.internal.agent.entry;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.instrument.Instrumentation;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.ame4j.internal.agent.instr.TwinTransformer;
import org.ame4j.internal.agent.jdkpatch.JdkPatchStartup;
import org.ame4j.internal.agent.rt.TaskEntryRule;
import org.ame4j.internal.diag.ExitNotice;
import org.ame4j.internal.queue.NoAgentWarning;
import org.ame4j.internal.queue.TaskEntries;

/**
 * The agent's entry points ({@code Premain-Class} and {@code Agent-Class} of the agent jar):
 * {@code java -javaagent:ame4j-agent.jar[=options] …} makes every field, static and array
 * access of application code running inside a transaction tracked (docs/semantics.md, "Under the agent").
 * Options: {@link AgentOptions}.
 *
 * <p>Guarantees: when {@link #premain} returns, the transformer is registered, so every class an
 * application loader defines from then on is instrumented, falls back loudly, or is reported. An
 * invalid option ends the JVM with status {@value #BAD_OPTION} after a one-line explanation on
 * stderr, and a java.base patch made for another JDK or agent with status {@value #CANNOT_START}:
 * {@code premain} calls {@link System#exit} rather than throwing, because an exception escaping
 * {@code premain} makes the JVM abort (java.lang.instrument) with a stack trace, "FATAL ERROR in
 * native method" and native frames, which reads like a JVM crash. Giving the agent twice
 * installs it once.
 *
 * <p>Does not support late attach ({@link #agentmain}): classes already loaded cannot gain the
 * twin methods (JVMTI {@code RedefineClasses} and {@code RetransformClasses} may not add methods),
 * so the agent must be there before the application's first class is loaded.
 */
public final class AgentMain {
  private AgentMain() {}

  private static final AtomicBoolean INSTALLED = new AtomicBoolean();

  /** Exit status for an invalid agent option (a usage error, as the launcher's). */
  static final int BAD_OPTION = 2;

  /** Exit status when the agent cannot start (a stale java.base patch). */
  static final int CANNOT_START = 1;

  /** {@code -javaagent:ame4j-agent.jar[=options]}. */
  public static void premain(String args, Instrumentation inst) {
    AgentOptions options;
    try {
      options = AgentOptions.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(AgentLog.PREFIX + e.getMessage());
      System.exit(BAD_OPTION);
      return;
    }
    if (!INSTALLED.compareAndSet(false, true)) {
      System.err.println(AgentLog.PREFIX + "agent given twice: the second one (options '" + args
          + "') is ignored");
      return;
    }
    try {
      install(options, inst, System.err);
    } catch (IllegalStateException e) {
      System.err.println(AgentLog.PREFIX + e.getMessage()); // a stale java.base patch
      System.exit(CANNOT_START);
    }
  }

  /** Late attach (the Attach API, {@code jcmd JVMTI.agent_load}): refused with the reason. */
  public static void agentmain(String args, Instrumentation inst) {
    String message = "the ame4j agent cannot be attached to a running JVM: classes that are"
        + " already loaded cannot gain transactional twin methods (redefinition cannot add"
        + " methods). Start the JVM with -javaagent:ame4j-agent.jar instead (or ./ame run).";
    System.err.println(AgentLog.PREFIX + message);
    throw new UnsupportedOperationException(message);
  }

  static LoadTimeTransformer install(AgentOptions options, Instrumentation inst, PrintStream err) {
    AgentLog log = new AgentLog(err, options.verbose());
    NoAgentWarning.agentLoaded();
    TaskEntries.install(TaskEntryRule::startsTracked); // which tasks may join a batch
    ExitNotice.install(); // -Dame4j.report=true in a program that never runs a transaction
    warmUp();
    List<String> patched = JdkPatchStartup.start(inst, log::info);
    LoadTimeTransformer transformer = new LoadTimeTransformer(options, log, Set.copyOf(patched));
    inst.addTransformer(transformer, false);
    log.info("agent started (" + options + ")");
    if (options.verbose()) {
      Runtime.getRuntime().addShutdownHook(new Thread(
          () -> err.println(log.summary()), "ame4j-agent-summary"));
    }
    return transformer;
  }

  /**
   * Runs the transformer once on a class of our own before registering it, so that its classes
   * and the shaded ASM are loaded and linked at agent start: a broken agent jar fails here, in
   * one visible line, instead of once per application class, and the application's first class
   * load does not pay for it.
   */
  private static void warmUp() {
    String name = WarmUp.class.getName().replace('.', '/');
    try (InputStream in = AgentMain.class.getResourceAsStream("/" + name + ".class")) {
      if (in != null) {
        new TwinTransformer(n -> n.equals(name), n -> null).transform(in.readAllBytes());
      }
    } catch (IOException | RuntimeException | LinkageError e) {
      System.err.println(AgentLog.PREFIX + "warning: transformer warm-up failed (" + e + ")");
    }
  }

  /** A little of everything the transformer rewrites: fields, statics, arrays, calls. */
  static final class WarmUp {
    static int[] counts = new int[1];
    long value;

    long touch(WarmUp other) {
      counts[0]++;
      other.value += value;
      return other.value + Math.max(value, 1);
    }
  }
}
