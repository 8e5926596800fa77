package org.ame4jexamples.redis;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;

/**
 * The commands, with Redis 7.0's replies and error texts (checked byte for byte against a real
 * {@code redis-server} by RedisCompatibilityIT): PING ECHO GET SET(EX PX EXAT PXAT NX XX GET
 * KEEPTTL) DEL EXISTS INCR INCRBY DECR DECRBY MGET MSET APPEND STRLEN LPUSH RPUSH LPOP RPOP LLEN
 * LRANGE SADD SREM SCARD SISMEMBER SMEMBERS HSET HGET HDEL HGETALL EXPIRE(NX XX GT LT) TTL
 * DBSIZE FLUSHALL SELECT(0) QUIT, and CONFIG GET save/appendonly (what redis-benchmark asks at
 * start). One database; no persistence.
 */
final class Commands {
  private final Keyspace db;

  Commands(Keyspace db) {
    this.db = db;
  }

  /** Arity as in Redis's command table: n exactly, -n at least n (the name included). */
  private static int arity(String name) {
    return switch (name) {
      case "ping", "flushall", "quit" -> -1;
      case "echo", "get", "incr", "decr", "strlen", "llen", "scard", "smembers", "hgetall", "ttl",
          "select" -> 2;
      case "incrby", "decrby", "append", "sismember", "hget" -> 3;
      case "lrange" -> 4;
      case "dbsize" -> 1;
      case "del", "exists", "mget", "lpop", "rpop", "config" -> -2;
      case "set", "mset", "lpush", "rpush", "sadd", "srem", "hdel", "expire" -> -3;
      case "hset" -> -4;
      default -> 0;
    };
  }

  /**
   * Runs one command; returns false if the connection must close after the reply (QUIT). Takes
   * {@link Args}, not a {@code List}: under the agent an interface call inside a transaction
   * goes through the agent's call-site dispatch, a call on this final class straight to its
   * twin (at {@code -P 16} {@code argv.size()} through {@code List} was a fifth of the
   * transaction's samples).
   */
  boolean execute(Args argv, Reply r, long now) {
    String name = argv.name;
    int arity = arity(name);
    int argc = argv.size();
    if (arity == 0) {
      unknown(argv, r);
      return true;
    }
    if ((arity > 0 && arity != argc) || argc < -arity) {
      r.error("ERR wrong number of arguments for '" + name + "' command");
      return true;
    }
    switch (name) {
      case "ping" -> {
        if (argc > 2) {
          r.error("ERR wrong number of arguments for 'ping' command");
        } else if (argc == 2) {
          r.bulk(argv.get(1));
        } else {
          r.simple("PONG");
        }
      }
      case "echo" -> r.bulk(argv.get(1));
      case "quit" -> {
        r.ok();
        return false;
      }
      case "select" -> {
        Long n = RespParser.string2ll(argv.get(1));
        if (n == null) {
          r.notInteger();
        } else if (n != 0) {
          r.error("ERR this server has one database: only SELECT 0");
        } else {
          r.ok();
        }
      }
      case "config" -> config(argv, r);
      case "dbsize" -> r.integer(db.data.size());
      case "flushall" -> {
        if (argc > 2 || (argc == 2 && !lower(argv.get(1)).equals("async")
            && !lower(argv.get(1)).equals("sync"))) {
          r.syntax();
        } else {
          db.clear();
          r.ok();
        }
      }
      case "get" -> {
        Object v = db.get(argv.get(1), now);
        if (v == null || Keyspace.isString(v)) {
          r.bulk(Keyspace.text(v));
        } else {
          r.wrongType();
        }
      }
      case "set" -> set(argv, r, now);
      case "del", "exists" -> {
        int n = 0;
        for (int i = 1; i < argc; i++) {
          if (name.equals("del") ? db.delete(argv.get(i), now) : db.get(argv.get(i), now) != null) {
            n++;
          }
        }
        r.integer(n);
      }
      case "incr" -> incrBy(argv.get(1), 1, r, now);
      case "decr" -> incrBy(argv.get(1), -1, r, now);
      case "incrby", "decrby" -> {
        Long by = RespParser.string2ll(argv.get(2));
        if (by == null) {
          r.notInteger();
        } else if (name.equals("decrby") && by == Long.MIN_VALUE) {
          r.error("ERR decrement would overflow");
        } else {
          incrBy(argv.get(1), name.equals("decrby") ? -by : by, r, now);
        }
      }
      case "mget" -> {
        r.arrayHeader(argc - 1);
        for (int i = 1; i < argc; i++) {
          Object v = db.get(argv.get(i), now);
          r.bulk(Keyspace.isString(v) ? Keyspace.text(v) : null);
        }
      }
      case "mset" -> {
        if (argc % 2 == 0) {
          r.error("ERR wrong number of arguments for 'mset' command");
        } else {
          for (int i = 1; i < argc; i += 2) {
            db.put(argv.get(i), argv.get(i + 1));
          }
          r.ok();
        }
      }
      case "append" -> {
        Object v = db.get(argv.get(1), now);
        if (v != null && !Keyspace.isString(v)) {
          r.wrongType();
        } else {
          String s = v == null ? argv.get(2) : Keyspace.text(v) + argv.get(2);
          db.update(argv.get(1), s);
          r.integer(s.length());
        }
      }
      case "strlen" -> {
        Object v = db.get(argv.get(1), now);
        if (v != null && !Keyspace.isString(v)) {
          r.wrongType();
        } else {
          r.integer(v == null ? 0 : Keyspace.text(v).length());
        }
      }
      case "lpush", "rpush" -> push(argv, name.equals("lpush"), r, now);
      case "lpop", "rpop" -> pop(argv, name.equals("lpop"), r, now);
      case "llen" -> {
        Object v = db.get(argv.get(1), now);
        if (v != null && !(v instanceof ArrayDeque)) {
          r.wrongType();
        } else {
          r.integer(v == null ? 0 : ((ArrayDeque<?>) v).size());
        }
      }
      case "lrange" -> lrange(argv, r, now);
      case "sadd", "srem", "scard", "sismember", "smembers" -> set(name, argv, r, now);
      case "hset", "hget", "hdel", "hgetall" -> hash(name, argv, r, now);
      case "expire" -> expire(argv, r, now);
      case "ttl" -> {
        String key = argv.get(1);
        if (db.get(key, now) == null) {
          r.integer(-2);
        } else {
          Long when = db.expires.get(key);
          r.integer(when == null ? -1 : (when - now + 500) / 1000);
        }
      }
      default -> throw new IllegalStateException("no implementation for " + name);
    }
    return true;
  }

  /** Redis's text: the name and up to 128 characters of arguments, each quoted. */
  private static void unknown(Args argv, Reply r) {
    StringBuilder args = new StringBuilder();
    for (int i = 1; i < argv.size() && args.length() < 128; i++) {
      String a = argv.get(i);
      int room = 128 - args.length();
      args.append('\'').append(a, 0, Math.min(a.length(), room)).append("' ");
    }
    String name = argv.get(0);
    r.error("ERR unknown command '" + name.substring(0, Math.min(name.length(), 128))
        + "', with args beginning with: " + args);
  }

  private void config(Args argv, Reply r) {
    String sub = lower(argv.get(1));
    if (!sub.equals("get")) {
      r.error("ERR unknown subcommand '" + argv.get(1) + "'. Try CONFIG HELP.");
      return;
    }
    if (argv.size() < 3) {
      r.error("ERR wrong number of arguments for 'config|get' command");
      return;
    }
    LinkedHashMap<String, String> found = new LinkedHashMap<>();
    for (int i = 2; i < argv.size(); i++) {
      String p = lower(argv.get(i));
      if (p.equals("save")) {
        found.put(p, "");
      } else if (p.equals("appendonly")) {
        found.put(p, "no");
      }
    }
    r.arrayHeader(2 * found.size());
    for (Map.Entry<String, String> e : found.entrySet()) {
      r.bulk(e.getKey());
      r.bulk(e.getValue());
    }
  }

  private void set(Args argv, Reply r, long now) {
    boolean nx = false;
    boolean xx = false;
    boolean get = false;
    boolean keepTtl = false;
    String unit = null;
    String expireArg = null;
    for (int j = 3; j < argv.size(); j++) {
      String opt = lower(argv.get(j));
      boolean hasNext = j + 1 < argv.size();
      if (opt.equals("nx") && !xx) {
        nx = true;
      } else if (opt.equals("xx") && !nx) {
        xx = true;
      } else if (opt.equals("get")) {
        get = true;
      } else if (opt.equals("keepttl") && unit == null) {
        keepTtl = true;
      } else if ((opt.equals("ex") || opt.equals("px") || opt.equals("exat") || opt.equals("pxat"))
          && !keepTtl && unit == null && hasNext) {
        unit = opt;
        expireArg = argv.get(++j);
      } else {
        r.syntax();
        return;
      }
    }
    Long when = null;
    if (unit != null) {
      Long n = RespParser.string2ll(expireArg);
      if (n == null) {
        r.notInteger();
        return;
      }
      boolean seconds = unit.equals("ex") || unit.equals("exat");
      if (n <= 0 || (seconds && n > Long.MAX_VALUE / 1000)) {
        r.error("ERR invalid expire time in 'set' command");
        return;
      }
      long ms = seconds ? n * 1000 : n;
      if (unit.equals("ex") || unit.equals("px")) {
        ms += now;
        if (ms <= 0) {
          r.error("ERR invalid expire time in 'set' command");
          return;
        }
      }
      when = ms;
    }
    String key = argv.get(1);
    // A plain SET needs nothing of the old value (Redis overwrites any type, and put drops any
    // time to live, expired or not): one look-up of the key, not a get and then a put. KEEPTTL
    // needs the get, whose lazy expiry deletes a stale time to live that update would keep.
    Object old = nx || xx || get || keepTtl ? db.get(key, now) : null;
    if (get && old != null && !Keyspace.isString(old)) {
      r.wrongType();
      return;
    }
    if ((nx && old != null) || (xx && old == null)) {
      if (get) {
        r.bulk(Keyspace.text(old));
      } else {
        r.nil();
      }
      return;
    }
    if (keepTtl) {
      db.update(key, argv.get(2));
    } else {
      db.put(key, argv.get(2));
    }
    if (when != null) {
      db.expires.put(key, when);
    }
    if (get) {
      r.bulk(Keyspace.text(old));
    } else {
      r.ok();
    }
  }

  /**
   * INCRBY. A key that already holds a {@link Counter} is looked up once and its counter changed
   * in place; a string holding an integer becomes a counter on its first INCR (one more
   * look-up, to store it), and a missing key gets a new one. The key keeps its time to live.
   */
  private void incrBy(String key, long by, Reply r, long now) {
    Object v = db.get(key, now);
    if (v instanceof Counter c) {
      if (overflows(c.value, by)) {
        r.error("ERR increment or decrement would overflow");
      } else {
        c.value += by;
        r.integer(c.value);
      }
      return;
    }
    long value = 0;
    if (v != null) {
      if (!(v instanceof String s)) {
        r.wrongType();
        return;
      }
      Long parsed = RespParser.string2ll(s);
      if (parsed == null) {
        r.notInteger();
        return;
      }
      value = parsed;
    }
    if (overflows(value, by)) {
      r.error("ERR increment or decrement would overflow");
      return;
    }
    db.update(key, new Counter(value + by));
    r.integer(value + by);
  }

  private static boolean overflows(long value, long by) {
    return (by < 0 && value < 0 && by < Long.MIN_VALUE - value)
        || (by > 0 && value > 0 && by > Long.MAX_VALUE - value);
  }

  @SuppressWarnings("unchecked")
  private void push(Args argv, boolean left, Reply r, long now) {
    String key = argv.get(1);
    Object v = db.get(key, now);
    if (v != null && !(v instanceof ArrayDeque)) {
      r.wrongType();
      return;
    }
    ArrayDeque<String> list = (ArrayDeque<String>) v;
    if (list == null) {
      list = new ArrayDeque<>();
      db.put(key, list);
    }
    for (int i = 2; i < argv.size(); i++) {
      if (left) {
        list.addFirst(argv.get(i));
      } else {
        list.addLast(argv.get(i));
      }
    }
    r.integer(list.size());
  }

  @SuppressWarnings("unchecked")
  private void pop(Args argv, boolean left, Reply r, long now) {
    String name = left ? "lpop" : "rpop";
    if (argv.size() > 3) {
      r.error("ERR wrong number of arguments for '" + name + "' command");
      return;
    }
    long count = -1;
    if (argv.size() == 3) {
      Long c = RespParser.string2ll(argv.get(2));
      if (c == null || c < 0) {
        r.error("ERR value is out of range, must be positive");
        return;
      }
      count = c;
    }
    String key = argv.get(1);
    Object v = db.get(key, now);
    if (v == null) {
      if (count < 0) {
        r.nil();
      } else {
        r.nilArray();
      }
      return;
    }
    if (!(v instanceof ArrayDeque)) {
      r.wrongType();
      return;
    }
    ArrayDeque<String> list = (ArrayDeque<String>) v;
    if (count < 0) {
      r.bulk(left ? list.pollFirst() : list.pollLast());
    } else {
      int n = (int) Math.min(count, list.size());
      r.arrayHeader(n);
      for (int i = 0; i < n; i++) {
        r.bulk(left ? list.pollFirst() : list.pollLast());
      }
    }
    if (list.isEmpty()) {
      db.delete(key, now);
    }
  }

  private void lrange(Args argv, Reply r, long now) {
    Long start = RespParser.string2ll(argv.get(2));
    Long stop = RespParser.string2ll(argv.get(3));
    if (start == null || stop == null) {
      r.notInteger();
      return;
    }
    Object v = db.get(argv.get(1), now);
    if (v == null) {
      r.arrayHeader(0);
      return;
    }
    if (!(v instanceof ArrayDeque<?> list)) {
      r.wrongType();
      return;
    }
    long size = list.size();
    long from = start < 0 ? Math.max(0, size + start) : start;
    long to = stop < 0 ? size + stop : Math.min(stop, size - 1);
    if (from > to || from >= size) {
      r.arrayHeader(0);
      return;
    }
    r.arrayHeader((int) (to - from + 1));
    Iterator<?> it = list.iterator();
    for (long i = 0; i <= to; i++) {
      Object e = it.next();
      if (i >= from) {
        r.bulk((String) e);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void set(String name, Args argv, Reply r, long now) {
    String key = argv.get(1);
    Object v = db.get(key, now);
    if (v != null && !(v instanceof LinkedHashSet)) {
      r.wrongType();
      return;
    }
    LinkedHashSet<String> set = (LinkedHashSet<String>) v;
    switch (name) {
      case "sadd" -> {
        if (set == null) {
          set = new LinkedHashSet<>();
          db.put(key, set);
        }
        int added = 0;
        for (int i = 2; i < argv.size(); i++) {
          if (set.add(argv.get(i))) {
            added++;
          }
        }
        r.integer(added);
      }
      case "srem" -> {
        int removed = 0;
        for (int i = 2; set != null && i < argv.size(); i++) {
          if (set.remove(argv.get(i))) {
            removed++;
          }
        }
        if (set != null && set.isEmpty()) {
          db.delete(key, now);
        }
        r.integer(removed);
      }
      case "scard" -> r.integer(set == null ? 0 : set.size());
      case "sismember" -> r.integer(set != null && set.contains(argv.get(2)) ? 1 : 0);
      default -> { // smembers
        if (set == null) {
          r.arrayHeader(0);
        } else {
          r.arrayHeader(set.size());
          for (String m : set) {
            r.bulk(m);
          }
        }
      }
    }
  }

  @SuppressWarnings("unchecked")
  private void hash(String name, Args argv, Reply r, long now) {
    if (name.equals("hset") && argv.size() % 2 == 1) {
      r.error("ERR wrong number of arguments for 'hset' command");
      return;
    }
    String key = argv.get(1);
    Object v = db.get(key, now);
    if (v != null && !(v instanceof LinkedHashMap)) {
      r.wrongType();
      return;
    }
    LinkedHashMap<String, String> hash = (LinkedHashMap<String, String>) v;
    switch (name) {
      case "hset" -> {
        if (hash == null) {
          hash = new LinkedHashMap<>();
          db.put(key, hash);
        }
        int added = 0;
        for (int i = 2; i < argv.size(); i += 2) {
          if (hash.put(argv.get(i), argv.get(i + 1)) == null) {
            added++;
          }
        }
        r.integer(added);
      }
      case "hget" -> r.bulk(hash == null ? null : hash.get(argv.get(2)));
      case "hdel" -> {
        int removed = 0;
        for (int i = 2; hash != null && i < argv.size(); i++) {
          if (hash.remove(argv.get(i)) != null) {
            removed++;
          }
        }
        if (hash != null && hash.isEmpty()) {
          db.delete(key, now);
        }
        r.integer(removed);
      }
      default -> { // hgetall
        if (hash == null) {
          r.arrayHeader(0);
        } else {
          r.arrayHeader(2 * hash.size());
          for (Map.Entry<String, String> e : hash.entrySet()) {
            r.bulk(e.getKey());
            r.bulk(e.getValue());
          }
        }
      }
    }
  }

  private void expire(Args argv, Reply r, long now) {
    Long seconds = RespParser.string2ll(argv.get(2));
    if (seconds == null) {
      r.notInteger();
      return;
    }
    boolean nx = false;
    boolean xx = false;
    boolean gt = false;
    boolean lt = false;
    for (int i = 3; i < argv.size(); i++) {
      switch (lower(argv.get(i))) {
        case "nx" -> nx = true;
        case "xx" -> xx = true;
        case "gt" -> gt = true;
        case "lt" -> lt = true;
        default -> {
          r.error("ERR Unsupported option " + argv.get(i));
          return;
        }
      }
    }
    if (nx && (xx || gt || lt)) {
      r.error("ERR NX and XX, GT or LT options at the same time are not compatible");
      return;
    }
    if (gt && lt) {
      r.error("ERR GT and LT options at the same time are not compatible");
      return;
    }
    if (seconds > Long.MAX_VALUE / 1000 || seconds < Long.MIN_VALUE / 1000
        || (seconds > 0 && seconds * 1000 > Long.MAX_VALUE - now)) {
      r.error("ERR invalid expire time in 'expire' command");
      return;
    }
    long when = seconds * 1000 + now;
    String key = argv.get(1);
    if (db.get(key, now) == null) {
      r.integer(0);
      return;
    }
    Long current = db.expires.get(key);
    if ((nx && current != null) || (xx && current == null)
        || (gt && (current == null || when <= current)) || (lt && current != null && when >= current)) {
      r.integer(0);
      return;
    }
    if (when <= now) {
      db.delete(key, now);
    } else {
      db.expires.put(key, when);
    }
    r.integer(1);
  }

  /** ASCII lower case (command names and options are ASCII; no Locale). */
  static String lower(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 'A' && c <= 'Z') {
        // A new array, not s.toCharArray(): under the agent an array made here is the
        // transaction's own (no barrier), one made inside the JDK's String is not.
        char[] cs = new char[s.length()];
        for (int k = 0; k < cs.length; k++) {
          char d = s.charAt(k);
          cs[k] = d >= 'A' && d <= 'Z' ? (char) (d + 32) : d;
        }
        return new String(cs);
      }
    }
    return s;
  }
}
