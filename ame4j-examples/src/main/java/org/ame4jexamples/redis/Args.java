package org.ame4jexamples.redis;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A command's arguments, immutable, the first four in final fields. The framer builds it outside
 * the transaction and the handler reads it inside: under the agent a final field is read
 * without a barrier, while an {@code ArrayList}'s backing array, new to every command, would be
 * one more shared array to look up and track per read. Also carries the command's name in
 * lower case, computed outside the transaction too.
 */
final class Args extends AbstractList<String> implements RandomAccess {
  private final int size;
  private final String a0;
  private final String a1;
  private final String a2;
  private final String a3;
  private final String[] more; // arguments from index 4 on, or null
  /** The first argument in lower case (command names are ASCII, matched case-insensitively). */
  final String name;

  Args(List<String> args) {
    size = args.size();
    a0 = size > 0 ? args.get(0) : null;
    a1 = size > 1 ? args.get(1) : null;
    a2 = size > 2 ? args.get(2) : null;
    a3 = size > 3 ? args.get(3) : null;
    more = size > 4 ? args.subList(4, size).toArray(new String[0]) : null;
    name = a0 == null ? "" : Commands.lower(a0);
  }

  @Override
  public String get(int i) {
    return switch (i) {
      case 0 -> checked(a0, i);
      case 1 -> checked(a1, i);
      case 2 -> checked(a2, i);
      case 3 -> checked(a3, i);
      default -> {
        if (i < 0 || i >= size) {
          throw new IndexOutOfBoundsException("index " + i + ", size " + size);
        }
        yield more[i - 4];
      }
    };
  }

  private String checked(String a, int i) {
    if (i >= size) {
      throw new IndexOutOfBoundsException("index " + i + ", size " + size);
    }
    return a;
  }

  @Override
  public int size() {
    return size;
  }
}
