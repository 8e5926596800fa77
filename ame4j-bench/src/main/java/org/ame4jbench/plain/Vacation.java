package org.ame4jbench.plain;

/**
 * STAMP's {@code vacation} travel-reservation database over plain objects: three tables of
 * reservable items (cars, flights, rooms) and a table of customers, each a {@link RedBlackTree}
 * keyed by id, as in STAMP. A customer holds the list of its reservations. The three client
 * actions (one transaction each) are {@link #makeReservation}, {@link #deleteCustomer} and
 * {@link #updateTables}.
 */
public final class Vacation {
  public static final int CAR = 0;
  public static final int FLIGHT = 1;
  public static final int ROOM = 2;

  /** A reservable item: how many exist, how many are taken, and its price. */
  public static final class Item {
    public final int id;
    public int numUsed;
    public int numFree;
    public int numTotal;
    public int price;

    Item(int id, int num, int price) {
      this.id = id;
      this.numFree = num;
      this.numTotal = num;
      this.price = price;
    }
  }

  /** One reservation of a customer (immutable: a customer's list only grows or is dropped). */
  public static final class Booking {
    public final int type;
    public final int id;
    public final int price;
    public final Booking next;

    Booking(int type, int id, int price, Booking next) {
      this.type = type;
      this.id = id;
      this.price = price;
      this.next = next;
    }
  }

  public static final class Customer {
    public final int id;
    public Booking bookings;

    Customer(int id) {
      this.id = id;
    }
  }

  @SuppressWarnings("unchecked")
  public final RedBlackTree<Item>[] tables = new RedBlackTree[] {
    new RedBlackTree<Item>(), new RedBlackTree<Item>(), new RedBlackTree<Item>()};
  public final RedBlackTree<Customer> customers = new RedBlackTree<>();

  /** Adds {@code num} of item {@code id} (creating it at {@code price}), or a new customer. */
  public void addItem(int type, int id, int num, int price) {
    RedBlackTree<Item> t = tables[type];
    Item item = t.get(id);
    if (item == null) {
      t.insert(id, new Item(id, num, price));
    } else {
      item.numFree += num;
      item.numTotal += num;
      if (item.price != price) {
        item.price = price;
      }
    }
  }

  public void addCustomer(int id) {
    customers.insert(id, new Customer(id));
  }

  /**
   * The user action: queries {@code n} items ({@code types[off..]}, {@code ids[off..]}), keeps the
   * most expensive available item of each type and reserves those for the customer (created if
   * new). Returns the number of items reserved.
   */
  public int makeReservation(int customerId, int[] types, int[] ids, int off, int n) {
    int[] bestId = {-1, -1, -1};
    int[] bestPrice = {-1, -1, -1};
    for (int q = off; q < off + n; q++) {
      Item item = tables[types[q]].get(ids[q]);
      if (item != null && item.numFree > 0 && item.price > bestPrice[types[q]]) {
        bestPrice[types[q]] = item.price;
        bestId[types[q]] = ids[q];
      }
    }
    if (bestId[0] < 0 && bestId[1] < 0 && bestId[2] < 0) {
      return 0;
    }
    Customer c = customers.get(customerId);
    if (c == null) {
      c = new Customer(customerId);
      customers.insert(customerId, c);
    }
    int reserved = 0;
    for (int type = 0; type < 3; type++) {
      if (bestId[type] >= 0) {
        Item item = tables[type].get(bestId[type]);
        item.numFree--;
        item.numUsed++;
        c.bookings = new Booking(type, item.id, item.price, c.bookings);
        reserved++;
      }
    }
    return reserved;
  }

  /** Cancels every reservation of the customer and removes it; returns its bill, or -1. */
  public int deleteCustomer(int customerId) {
    Customer c = customers.get(customerId);
    if (c == null) {
      return -1;
    }
    int bill = 0;
    for (Booking b = c.bookings; b != null; b = b.next) {
      Item item = tables[b.type].get(b.id);
      item.numFree++;
      item.numUsed--;
      bill += b.price;
    }
    customers.delete(customerId);
    return bill;
  }

  /**
   * The manager action: for each of {@code n} entries, a price of -1 deletes the item (only if
   * none of it is reserved), any other price adds 100 of it at that price.
   */
  public void updateTables(int[] types, int[] ids, int[] prices, int off, int n) {
    for (int q = off; q < off + n; q++) {
      if (prices[q] < 0) {
        RedBlackTree<Item> t = tables[types[q]];
        Item item = t.get(ids[q]);
        if (item != null && item.numUsed == 0) {
          t.delete(ids[q]);
        }
      } else {
        addItem(types[q], ids[q], 100, prices[q]);
      }
    }
  }
}
