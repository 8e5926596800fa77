package org.ame4j.internal.engine;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

/**
 * Which objects the capture set ({@link FreshObjects}) can leave out when a transaction allocates
 * them (issue 14, session 11): objects of a class in which no tracked access can reach a field.
 * Recording an object costs its first identity hash (a call into the VM for every new object)
 * and an insert, and a larger set makes every later lookup slower; an object that no barrier will
 * ever ask about gains nothing from it. In the JSON batch, every {@code String} a task builds and
 * Gson's {@code LazilyParsedNumber} were recorded this way.
 *
 * <p>Left out: objects whose class and superclasses declare no instance field that is not final
 * (the agent reads final fields without a barrier and writes them only in constructors, which
 * need none), and {@code String}, whose only other fields are its hash cache: computed from the
 * immutable contents and stored racily by design ({@code String.hashCode}'s own comment); twins
 * call {@code String.hashCode} as is.
 *
 * <p><b>Guarantees</b> nothing about correctness, and needs not to: an object left out is only
 * tracked like a shared object (its records are taken and its old values logged, as for objects
 * past the capture set's bound), which is always sound; so is a class whose mutable fields reflection hides
 * (the JDK filters a few core classes' fields), left out by mistake. Arrays are never asked
 * about here. A class whose fields cannot be listed stays in the set.
 */
final class ImmutableShapes {
  /** {@code -Dame4j.leaveImmutables=false} records them as before (the A/B switch). */
  static final boolean ON = !"false".equals(System.getProperty("ame4j.leaveImmutables"));

  private ImmutableShapes() {}

  private static final ClassValue<Boolean> IMMUTABLE = new ClassValue<>() {
    @Override
    protected Boolean computeValue(Class<?> c) {
      if (c == String.class) {
        return true;
      }
      for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
        Field[] fields;
        try {
          fields = k.getDeclaredFields();
        } catch (SecurityException | LinkageError e) {
          return false; // unknown shape: keep recording
        }
        for (Field f : fields) {
          int m = f.getModifiers();
          if (!Modifier.isStatic(m) && !Modifier.isFinal(m)) {
            return false;
          }
        }
      }
      return true;
    }
  };

  /** True if no tracked access can reach a field of an object of {@code c} (not an array class). */
  static boolean isImmutable(Class<?> c) {
    return ON && IMMUTABLE.get(c);
  }
}
