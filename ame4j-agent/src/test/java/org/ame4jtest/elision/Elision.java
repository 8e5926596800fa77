package org.ame4jtest.elision;

import org.ame4j.Ame;

/**
 * Targets of {@code BarrierElisionTest}: each method names, in its comment, how many barriers its
 * twin must keep. The nested classes form one nest (javac's NestHost/NestMembers).
 */
public class Elision {
  private Elision() {}

  /** Private, written only at construction on {@code this}: stable. */
  public static final class Stable {
    private int size;
    private int[] data;
    private static int limit;

    static {
      limit = 5;
    }

    public Stable(int n) {
      this.size = n;
      this.data = new int[n];
    }

    public int size() { // 0 read barriers
      return size;
    }

    public int first() { // data: none; data[0]: one element barrier
      return data[0];
    }

    public static int limit() { // 0
      return limit;
    }
  }

  /** Written in a plain method: not stable. */
  public static final class WrittenInMethod {
    private int v;

    public WrittenInMethod(int v) {
      this.v = v;
    }

    public void set(int x) {
      v = x;
    }

    public int get() { // 1
      return v;
    }
  }

  /** A constructor writes another instance's field: not stable. */
  public static final class WrittenOtherInstance {
    private int v;

    public WrittenOtherInstance(WrittenOtherInstance other) {
      this.v = 1;
      if (other != null) {
        other.v = 2;
      }
    }

    public int get() { // 1
      return v;
    }
  }

  /** Written by a nestmate ({@link Nestmate#poke}): not stable. */
  public static final class WrittenByNestmate {
    private int v;

    public WrittenByNestmate() {
      v = 1;
    }

    public int get() { // 1
      return v;
    }
  }

  public static final class Nestmate {
    public static void poke(WrittenByNestmate w, int x) {
      w.v = x;
    }
  }

  /** Volatile: never stable. */
  public static final class Volatile {
    private volatile int v;

    public Volatile() {
      v = 1;
    }

    public int get() { // 1
      return v;
    }
  }

  /** Written by a lambda (a synthetic method of this class): not stable. */
  public static final class ViaLambda {
    private int v;

    public ViaLambda() {
      v = 1;
    }

    public Runnable setter() {
      return () -> v = 2;
    }

    public int get() { // 1
      return v;
    }
  }

  /** Written by an inner class (a nestmate's putfield since Java 11): not stable. */
  public static final class ViaInner {
    private int v;

    public ViaInner() {
      v = 1;
    }

    public final class In {
      public void set(int x) {
        v = x;
      }
    }

    public int get() { // 1
      return v;
    }
  }

  /** Not private: never stable (any class of the package may write it). */
  public static final class PackageField {
    int v;

    public PackageField() {
      v = 1;
    }

    public int get() { // 1
      return v;
    }
  }

  // ---- block facts --------------------------------------------------------------------

  public static final class Cell {
    public int a;
    public int b;
    public long w;
    public Cell next;

    public Cell() {}
  }

  static void call() {}

  public static int repeated(Cell c) { // 1 read
    return c.a + c.a + c.a;
  }

  public static long repeatedWide(Cell c) { // 1 read
    return c.w * c.w;
  }

  public static int repeatedAcrossCall(Cell c) { // 2 reads
    int x = c.a;
    call();
    return x + c.a;
  }

  public static int repeatedAcrossAliasWrite(Cell c, Cell d) { // 2 reads, 1 write
    int x = c.a;
    d.a = 5;
    return x + c.a;
  }

  public static int repeatedAcrossOtherFieldWrite(Cell c, Cell d) { // 1 read, 1 write
    int x = c.a;
    d.b = 5;
    return x + c.a;
  }

  public static int repeatedAcrossReassign(Cell c, Cell d) { // 2 reads
    int x = c.a;
    c = d;
    return x + c.a;
  }

  public static int repeatedAcrossBranch(Cell c, boolean f) { // 2 reads
    int x = c.a;
    if (f) {
      x++;
    }
    return x + c.a;
  }

  public static int readAfterWrite(Cell c, int v) { // 0 reads, 1 write
    c.b = v;
    return c.b;
  }

  public static void writeTwice(Cell c, int v) { // 1 write
    c.b = v;
    c.b = v + 1;
  }

  public static void writeTwiceAcrossCall(Cell c, int v) { // 2 writes
    c.b = v;
    call();
    c.b = v + 1;
  }

  public static int readAfterWriteOtherObject(Cell c, Cell d, int v) { // 1 read, 1 write
    c.b = v;
    return d.b;
  }

  public static int guardThenUse(Cell c, int amount) { // 1 read: the else of a returning guard
    if (c.a < amount) {
      return -1;
    }
    return c.a - amount;
  }

  public static long guardThenWrite(Cell c, long amount) { // 1 read of w, 1 write of w, 1 of b
    if (c.w < amount) {
      c.b = 1;
      return 0;
    }
    c.w = c.w - amount;
    return c.w;
  }

  public static int afterMerge(Cell c, boolean f) { // 2 reads: the label after an if is a merge
    int x = c.a;
    if (f) {
      x = -x;
    } else {
      x = x + 1;
    }
    return x + c.a;
  }

  public static int chain(Cell c) { // c.next once; then next.a: reads of c.next, x.a
    Cell n = c.next;
    return n.a + c.next.a;
  }

  public static int elements(int[] a, int i) { // 1 element read
    return a[i] + a[i];
  }

  public static int elementsAcrossStore(int[] a, int[] b, int i) { // 2 element reads, 1 store
    int x = a[i];
    b[i] = 1;
    return x + a[i];
  }

  public static int elementsAcrossIndexChange(int[] a, int i) { // 2 element reads
    int x = a[i];
    i++;
    return x + a[i];
  }

  public static int elementReadAfterWrite(int[] a, int i) { // 0 element reads, 1 store
    a[i] = 3;
    return a[i];
  }

  public static void elementWriteTwice(long[] a) { // 1 store
    a[0] = 1;
    a[0] = 2;
  }

  static int counter;

  public static int staticRepeated() { // 1 static read
    return counter + counter;
  }

  // ---- behaviour: nested partial rollback ---------------------------------------------

  /**
   * In one transaction: {@code c.b = 1}, then a nested block writes {@code c.b} twice and fails;
   * its partial rollback must bring back 1, whatever barrier the second write lost.
   */
  public static int nestedRollback(Cell c) {
    c.b = 1;
    try {
      Ame.atomic(() -> {
        c.b = 2;
        c.b = 3;
        throw new IllegalStateException("roll back the nested block");
      });
    } catch (IllegalStateException expected) {
      // the nested block's writes are undone, the outer one stays
    }
    int seen = c.b;
    c.b = seen + 10;
    c.b = c.b + 100;
    return c.b;
  }

  /** The outer write, then a nested block that writes once and fails, then a plain re-write. */
  public static int nestedRollbackThenWrite(Cell c) {
    c.b = 1;
    c.b = 2; // plain: same lock, same level
    try {
      Ame.atomic(() -> {
        c.b = 3;
        throw new IllegalStateException("roll back");
      });
    } catch (IllegalStateException expected) {
      // back to 2
    }
    return c.b;
  }

  // ---- behaviour under several workers ------------------------------------------------

  /** Invariant {@code x + y == 0}, kept by every {@link #move}. */
  public static final class Accounts {
    public int x;
    public int y;

    public Accounts() {}
  }

  public static void move(Accounts s, int k) {
    if (s.x == Integer.MIN_VALUE) {
      return; // never: the guard's read of x is reused below (a block entered by one jump only)
    }
    s.x = s.x + k * 2 - k; // read x, write x: not a blind-update shape
    Work.spin(k);
    s.y = s.y - k;
  }

  /** 0 if what this transaction sees is consistent: repeated reads reuse their first value. */
  public static int inconsistency(Accounts s) {
    int a = s.x;
    int b = s.y;
    int a2 = s.x;
    int b2 = s.y;
    return (a + b) | (a2 + b2) | (a - a2) | (b - b2);
  }

  /** A list node whose fields are stable (written in its constructor only). */
  public static final class Node {
    private int value;
    private Node next;

    public Node(int value, Node next) {
      this.value = value;
      this.next = next;
    }

    public int value() {
      return value;
    }

    public Node next() {
      return next;
    }
  }

  public static final class Stack {
    public Node head;
    public int count;
    public long sum;

    public Stack() {}
  }

  public static void push(Stack s, int v) {
    s.head = new Node(v, s.head);
    s.count = s.count + 1;
    s.sum = s.sum + v;
  }

  /** 0 if the list, its count and its sum agree. */
  public static int stackInconsistency(Stack s) {
    long t = 0;
    int n = 0;
    for (Node x = s.head; x != null; x = x.next()) {
      t += x.value();
      n++;
    }
    return t == s.sum && n == s.count ? 0 : 1;
  }

  /** Widens the window between a transaction's reads and writes. */
  public static final class Work {
    private Work() {}

    public static int spin(int seed) {
      int s = seed;
      for (int i = 0; i < 200; i++) {
        s = s * 31 + i;
      }
      return s;
    }
  }
}
