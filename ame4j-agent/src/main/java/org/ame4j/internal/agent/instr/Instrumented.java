package org.ame4j.internal.agent.instr;

/**
 * What instrumenting one class file gave ({@link TwinTransformer#instrument},
 * {@link ClassInstrumenter#instrument}): the outcome, the class file to use instead of the
 * original ({@code null}: the original stays), and, for the outcomes that need one, the reason.
 * Returned, never reported on the side: the caller decides how to tell the user (the agent's log,
 * the offline instrumenter, the java.base patch's list of classes left out).
 */
public record Instrumented(Outcome outcome, byte[] bytes, String reason) {
  /** The ways one class file can come out. */
  public enum Outcome {
    /** Rewritten with twins; {@link #bytes} is the new class file. */
    INSTRUMENTED,
    /**
     * Not rewritable with twins ({@link #reason}); {@link #bytes} is the fallback, in which every
     * method makes a transaction that reaches it inevitable.
     */
    FALLBACK,
    /**
     * Neither twins nor the fallback could be added ({@link #reason}): the class stays as it is,
     * and instrumented callers, finding no twins, call it as untracked code (inevitable).
     */
    NO_FALLBACK,
    /** Left as it is: already instrumented, or excluded and safe to leave. */
    UNCHANGED,
    /** Left as it is because the include rules leave it out. */
    EXCLUDED,
    /**
     * Not a class file this agent can process ({@link #reason}): no twins, no fallback. The load
     * time agent refuses it, the offline instrumenter fails (or copies it untracked when asked).
     */
    FAILED,
    /** Never instrumented and not counted: the JDK, ame4j itself, module descriptors. */
    SKIPPED
  }

  static Instrumented of(Outcome outcome) {
    return new Instrumented(outcome, null, null);
  }
}
