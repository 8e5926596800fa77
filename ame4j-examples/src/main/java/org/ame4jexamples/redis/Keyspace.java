package org.ame4jexamples.redis;

import java.util.HashMap;

/**
 * The whole database: one plain {@code HashMap} from key to value (a {@code String} of bytes or
 * a {@link Counter} for a string that INCR made, an {@code ArrayDeque} list, a
 * {@code LinkedHashSet} set or a {@code LinkedHashMap} hash) and one of expiry times. Written
 * as single-threaded code; the reactor runs every command batch as a transaction, so under the
 * agent this is safe on any number of workers.
 *
 * <p>Expiry is lazy, like Redis's: a key past its time is deleted when a command looks it up.
 * The time is the reactor's event time, the same in every re-run of a batch.
 */
final class Keyspace {
  final HashMap<String, Object> data = new HashMap<>();
  final HashMap<String, Long> expires = new HashMap<>();

  /** The live value of {@code key} at {@code now} (ms), or null (deleting it if it expired). */
  Object get(String key, long now) {
    Object v = data.get(key);
    if (v != null && !expires.isEmpty()) {
      Long when = expires.get(key);
      if (when != null && when <= now) {
        data.remove(key);
        expires.remove(key);
        return null;
      }
    }
    return v;
  }

  /** Stores {@code value}, dropping any time to live. */
  void put(String key, Object value) {
    data.put(key, value);
    if (!expires.isEmpty()) {
      expires.remove(key);
    }
  }

  /** Stores {@code value}, keeping the key's time to live (APPEND, INCR, list pushes). */
  void update(String key, Object value) {
    data.put(key, value);
  }

  boolean delete(String key, long now) {
    if (get(key, now) == null) {
      return false;
    }
    data.remove(key);
    expires.remove(key);
    return true;
  }

  /** Whether {@code v} is a string value (a {@code String} or a {@link Counter}). */
  static boolean isString(Object v) {
    return v instanceof String || v instanceof Counter;
  }

  /** The bytes of a string value {@code v} (null for null). */
  static String text(Object v) {
    return v instanceof Counter c ? c.toString() : (String) v;
  }

  void clear() {
    data.clear();
    expires.clear();
  }
}
