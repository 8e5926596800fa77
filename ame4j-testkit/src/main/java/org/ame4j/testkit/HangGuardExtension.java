package org.ame4j.testkit;

import java.lang.reflect.Method;
import java.util.Optional;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;

/**
 * Runs each test and lifecycle method under a {@link Watchdog} of the nearest {@link HangGuard}
 * (the method's, its class's, an enclosing class's), or else of the configuration parameter
 * {@value #DEFAULT_KEY} (seconds; for a module that registers this extension for every test by
 * JUnit's extension auto-detection); a method with neither runs unguarded.
 *
 * <p>Guarantees: one guard per method call, however often the extension is registered (by
 * {@code @HangGuard} and by auto-detection). The method runs in the calling thread.
 */
public final class HangGuardExtension implements InvocationInterceptor {
  /** The configuration parameter with the limit of unannotated tests, in seconds. */
  public static final String DEFAULT_KEY = "ame4j.test.hangGuard.seconds";

  private static final ThreadLocal<Boolean> GUARDING = new ThreadLocal<>();

  @Override
  public void interceptTestMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  @Override
  public void interceptTestTemplateMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  @Override
  public <T> T interceptTestFactoryMethod(Invocation<T> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    return guard(invocation, call, context);
  }

  @Override
  public void interceptBeforeAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  @Override
  public void interceptBeforeEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  @Override
  public void interceptAfterEachMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  @Override
  public void interceptAfterAllMethod(Invocation<Void> invocation,
      ReflectiveInvocationContext<Method> call, ExtensionContext context) throws Throwable {
    guard(invocation, call, context);
  }

  private static <T> T guard(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
      ExtensionContext context) throws Throwable {
    Method method = call.getExecutable();
    Optional<Double> seconds = limitOf(method, call.getTargetClass());
    if (seconds.isEmpty()) {
      seconds = context.getConfigurationParameter(DEFAULT_KEY).map(HangGuardExtension::parse);
    }
    if (seconds.isEmpty() || GUARDING.get() != null) {
      return invocation.proceed();
    }
    String what = call.getTargetClass().getSimpleName() + "." + method.getName()
        + " (" + context.getDisplayName() + ")";
    GUARDING.set(Boolean.TRUE);
    try {
      return Watchdog.call(what, seconds.get(), () -> proceed(invocation));
    } catch (Carrier e) {
      throw e.getCause(); // a Throwable that is neither an Exception nor an Error, as thrown
    } finally {
      GUARDING.remove();
    }
  }

  private static <T> T proceed(Invocation<T> invocation) throws Exception {
    try {
      return invocation.proceed();
    } catch (Exception | Error e) {
      throw e;
    } catch (Throwable t) {
      throw new Carrier(t);
    }
  }

  /** Carries a Throwable that {@link Watchdog}'s body may not throw. */
  private static final class Carrier extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Carrier(Throwable t) {
      super(t);
    }
  }

  /** The nearest {@link HangGuard}'s seconds: the method's, then its class's and outward. */
  static Optional<Double> limitOf(Method method, Class<?> testClass) {
    HangGuard g = method.getAnnotation(HangGuard.class);
    for (Class<?> c = testClass; g == null && c != null; c = c.getEnclosingClass()) {
      g = c.getAnnotation(HangGuard.class); // @Inherited: superclasses' too
    }
    return Optional.ofNullable(g).map(h -> check(h.seconds(), "@HangGuard at " + method));
  }

  private static double check(double seconds, String where) {
    if (!(seconds > 0)) {
      throw new IllegalArgumentException(where + ": a limit must be positive, not " + seconds + " s");
    }
    return seconds;
  }

  private static double parse(String value) {
    try {
      return check(Double.parseDouble(value.trim()), DEFAULT_KEY);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(DEFAULT_KEY + " must be a number of seconds, not '"
          + value + "'", e);
    }
  }
}
