package org.ame4j.bench.stamp.cells;

import org.ame4j.bench.stamp.cells.Stm.TInt;
import org.ame4j.bench.stamp.cells.Stm.TRef;

/**
 * {@code org.ame4jbench.plain.Vacation} over cells, action for action: the tables are
 * {@link TRedBlackTree}s, an item's counters and price are cells, a customer's booking list head
 * is a cell (the bookings themselves are immutable).
 */
public final class TVacation {
  public static final class Item {
    public final int id;
    public final TInt numUsed;
    public final TInt numFree;
    public final TInt numTotal;
    public final TInt price;

    Item(Stm stm, int id, int num, int price) {
      this.id = id;
      numUsed = stm.newInt(0);
      numFree = stm.newInt(num);
      numTotal = stm.newInt(num);
      this.price = stm.newInt(price);
    }
  }

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
    public final TRef<Booking> bookings;

    Customer(Stm stm, int id) {
      this.id = id;
      bookings = stm.newRef(null);
    }
  }

  private final Stm stm;
  public final TRedBlackTree<Item>[] tables;
  public final TRedBlackTree<Customer> customers;

  @SuppressWarnings("unchecked")
  public TVacation(Stm stm) {
    this.stm = stm;
    tables = new TRedBlackTree[] {
      new TRedBlackTree<Item>(stm), new TRedBlackTree<Item>(stm), new TRedBlackTree<Item>(stm)};
    customers = new TRedBlackTree<>(stm);
  }

  public void addItem(Object t, int type, int id, int num, int price) {
    TRedBlackTree<Item> table = tables[type];
    Item item = table.get(t, id);
    if (item == null) {
      table.insert(t, id, new Item(stm, id, num, price));
    } else {
      item.numFree.set(t, item.numFree.get(t) + num);
      item.numTotal.set(t, item.numTotal.get(t) + num);
      if (item.price.get(t) != price) {
        item.price.set(t, price);
      }
    }
  }

  public void addCustomer(Object t, int id) {
    customers.insert(t, id, new Customer(stm, id));
  }

  public int makeReservation(Object t, int customerId, int[] types, int[] ids, int off, int n) {
    int[] bestId = {-1, -1, -1};
    int[] bestPrice = {-1, -1, -1};
    for (int q = off; q < off + n; q++) {
      Item item = tables[types[q]].get(t, ids[q]);
      if (item != null && item.numFree.get(t) > 0) {
        int price = item.price.get(t);
        if (price > bestPrice[types[q]]) {
          bestPrice[types[q]] = price;
          bestId[types[q]] = ids[q];
        }
      }
    }
    if (bestId[0] < 0 && bestId[1] < 0 && bestId[2] < 0) {
      return 0;
    }
    Customer c = customers.get(t, customerId);
    if (c == null) {
      c = new Customer(stm, customerId);
      customers.insert(t, customerId, c);
    }
    int reserved = 0;
    for (int type = 0; type < 3; type++) {
      if (bestId[type] >= 0) {
        Item item = tables[type].get(t, bestId[type]);
        item.numFree.set(t, item.numFree.get(t) - 1);
        item.numUsed.set(t, item.numUsed.get(t) + 1);
        c.bookings.set(t, new Booking(type, item.id, item.price.get(t), c.bookings.get(t)));
        reserved++;
      }
    }
    return reserved;
  }

  public int deleteCustomer(Object t, int customerId) {
    Customer c = customers.get(t, customerId);
    if (c == null) {
      return -1;
    }
    int bill = 0;
    for (Booking b = c.bookings.get(t); b != null; b = b.next) {
      Item item = tables[b.type].get(t, b.id);
      item.numFree.set(t, item.numFree.get(t) + 1);
      item.numUsed.set(t, item.numUsed.get(t) - 1);
      bill += b.price;
    }
    customers.delete(t, customerId);
    return bill;
  }

  public void updateTables(Object t, int[] types, int[] ids, int[] prices, int off, int n) {
    for (int q = off; q < off + n; q++) {
      if (prices[q] < 0) {
        TRedBlackTree<Item> table = tables[types[q]];
        Item item = table.get(t, ids[q]);
        if (item != null && item.numUsed.get(t) == 0) {
          table.delete(t, ids[q]);
        }
      } else {
        addItem(t, types[q], ids[q], 100, prices[q]);
      }
    }
  }
}
