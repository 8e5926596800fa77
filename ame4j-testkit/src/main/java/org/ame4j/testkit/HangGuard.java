package org.ame4j.testkit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A JUnit test's bound against a hang, in place of a fixed {@code @Timeout}: each test method
 * (and each lifecycle method) of the annotated class, or the annotated method, runs under a
 * {@link Watchdog} of {@link #seconds()} on a free machine, which a loaded machine stretches
 * ({@link Patience}). When it runs out, the JVM's thread dump is printed at once, the test's
 * thread is interrupted, and the test fails with the dump and the limit's numbers.
 *
 * <p>Why not {@code @Timeout}: a fixed limit failed tests that were slow, not stuck, whenever the
 * shared machine was loaded (a 60 s class limit at load 85, the stress profile's C2-only JVMs),
 * and said nothing about where a hung test stood. The bound only guards against a hang: no test
 * here asserts a duration (timing claims belong in benchmarks).
 *
 * <p>Guarantees: a test is never failed before {@code seconds} of wall time; the method runs in
 * the thread JUnit gives it (so a module's JUnit {@code SEPARATE_THREAD} setting, which abandons
 * a thread that ignores the interrupt, still applies around it). Does not guarantee that a hang
 * which ignores interrupts ends: that needs the outer bound of JUnit's own timeout (see
 * ame4j-core's {@code junit-platform.properties}). A method's annotation overrides its class's;
 * a {@code @Nested} class inherits its enclosing class's.
 */
@Documented
@Inherited
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(HangGuardExtension.class)
public @interface HangGuard {
  /** What each guarded method may take on a free machine, in seconds (positive). */
  double seconds();
}
