package org.ame4j.internal.agent.offline;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.ame4j.internal.agent.entry.AgentLog;
import org.ame4j.internal.agent.entry.AgentOptions;
import org.ame4j.internal.agent.jdkpatch.JdkPatch;

/**
 * The agent jar's {@code Main-Class}: {@code java -jar ame4j-agent.jar instrument …}, the
 * command-line front of {@link OfflineInstrumenter}.
 *
 * <p>Exit status: 0 done (classes that take the inevitable fallback are reported on stderr), 1
 * the instrumentation failed, nothing was written (among the reasons: a class whose bytes cannot
 * be processed at all, unless {@code --copy-unreadable}), 2 the command line is wrong (usage on
 * stderr).
 */
public final class OfflineMain {
  private OfflineMain() {}

  static final String USAGE = """
      usage: java -jar ame4j-agent.jar <command>

        instrument [--classpath CP] [--options OPTS] [--copy-unreadable] IN OUT
            Instruments every class of IN (a jar, or a directory of classes) into OUT (a jar, or
            an empty or new directory), exactly as the load-time agent would, so the program can
            run without -javaagent. Run the result with the agent jar on the class path (it
            holds ame4j-core and the agent's small runtime that instrumented code calls):
              java -cp OUT:ame4j-agent.jar com.acme.Main
            --classpath CP  jars and directories (separated by '%1$s') where classes that IN's
                            classes use are found (superclasses, fields), as at run time
            --options OPTS  agent options (includes=..., excludes=..., verbose=true, dump=DIR),
                            as after -javaagent:ame4j-agent.jar=
            --copy-unreadable  copy classes whose bytes cannot be processed unchanged (their
                            code is then NOT tracked); without it such a class fails the run
            Resources are copied unchanged; signature files are dropped (instrumented classes
            would break the signature); multi-release versioned classes are instrumented;
            module-info.class is left as it is. OUT is written whole or not at all, with the
            permissions of IN.
        jdk-patch [--cache DIR]
            Makes (once per JDK build and agent) the java.base patch that makes the JDK's
            collections, Arrays, StringBuilder… transactional, and prints its directory, for
              java --patch-module java.base=DIR -javaagent:ame4j-agent.jar …   (./ame run does it)
            --cache DIR     where patches are kept (default: $XDG_CACHE_HOME/ame4j/jdk-patch, or
                            ~/.cache/ame4j/jdk-patch; the property ame4j.jdkPatch.cache overrides)
        help        this text
        version     the agent's version

      As an agent: java -javaagent:ame4j-agent.jar[=OPTS] -cp app.jar com.acme.Main
      OPTS: includes=PATTERNS, excludes=PATTERNS (class names with * and ?, separated by ':'),
            verbose=true|false, dump=DIR; pairs separated by ','.
      """.formatted(File.pathSeparator);

  public static void main(String[] args) {
    int status = run(args, System.out, System.err);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** The command, with its streams: for tests. Returns the exit status. */
  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.print(USAGE);
      return 2;
    }
    switch (args[0]) {
      case "help", "-h", "--help", "-help":
        out.print(USAGE);
        return 0;
      case "version", "--version":
        String v = OfflineMain.class.getPackage().getImplementationVersion();
        out.println("ame4j-agent " + (v != null ? v : "(development build)"));
        return 0;
      case "instrument":
        return instrument(args, err);
      case "jdk-patch":
        return jdkPatch(args, out, err);
      default:
        err.println(AgentLog.PREFIX + "unknown command '" + args[0] + "'");
        err.print(USAGE);
        return 2;
    }
  }

  private static int instrument(String[] args, PrintStream err) {
    List<Path> classpath = new ArrayList<>();
    String optionText = null;
    boolean copyUnreadable = false;
    List<String> files = new ArrayList<>();
    for (int i = 1; i < args.length; i++) {
      String a = args[i];
      switch (a) {
        case "--classpath", "-cp", "--class-path":
          if (i + 1 >= args.length) {
            return usageError(err, a + " needs a value");
          }
          for (String e : args[++i].split(File.pathSeparator)) {
            if (!e.isEmpty()) {
              classpath.add(Path.of(e));
            }
          }
          break;
        case "--copy-unreadable":
          copyUnreadable = true;
          break;
        case "--options":
          if (i + 1 >= args.length) {
            return usageError(err, "--options needs a value");
          }
          optionText = args[++i];
          break;
        default:
          if (a.startsWith("-") && a.length() > 1) {
            return usageError(err, "unknown flag '" + a + "' for instrument");
          }
          files.add(a);
      }
    }
    if (files.size() != 2) {
      return usageError(err, "instrument needs IN and OUT (got " + files.size() + " file argument"
          + (files.size() == 1 ? "" : "s") + ")");
    }
    AgentOptions options;
    try {
      options = AgentOptions.parse(optionText);
    } catch (IllegalArgumentException e) {
      return usageError(err, e.getMessage());
    }
    AgentLog log = new AgentLog(err, options.verbose());
    Path in = Path.of(files.get(0));
    Path outPath = Path.of(files.get(1));
    try {
      new OfflineInstrumenter(options, classpath, log, copyUnreadable).instrument(in, outPath);
    } catch (IOException e) {
      err.println(AgentLog.PREFIX + "instrument failed: " + e.getMessage()
          + "; nothing was written to " + outPath);
      return 1;
    }
    err.println(AgentLog.PREFIX + in + " -> " + outPath + ": "
        + log.summary().substring(AgentLog.PREFIX.length()));
    return 0;
  }

  private static int jdkPatch(String[] args, PrintStream out, PrintStream err) {
    Path cache = JdkPatch.defaultCacheRoot();
    for (int i = 1; i < args.length; i++) {
      if (args[i].equals("--cache") && i + 1 < args.length) {
        cache = Path.of(args[++i]);
      } else {
        return usageError(err, "unknown argument '" + args[i] + "' for jdk-patch");
      }
    }
    try {
      out.println(JdkPatch.ensure(cache, line -> err.println(AgentLog.PREFIX + line)));
      return 0;
    } catch (IOException | RuntimeException e) {
      err.println(AgentLog.PREFIX + "jdk-patch failed: " + e + "; nothing was written to " + cache);
      return 1;
    }
  }

  private static int usageError(PrintStream err, String message) {
    err.println(AgentLog.PREFIX + message);
    err.println("run 'java -jar ame4j-agent.jar help' for usage");
    return 2;
  }
}
