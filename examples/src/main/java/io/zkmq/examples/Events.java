package io.zkmq.examples;

import java.io.Serializable;

/**
 * The examples' events: a customer's n-th purchase, as text {@code customer-<k>,<seq>,<amount>}
 * keyed by the customer. Generated deterministically from an index, so a run can be checked
 * afterwards.
 */
record Event(String customer, long seq, long amount) implements Serializable {

    /**
     * The i-th event of a run over {@code customers} customers: customer i % customers, its seq-th
     * purchase.
     */
    static Event generate(long index, int customers) {
        long customer = index % customers;
        return new Event("customer-" + customer, index / customers, 1 + (index * 7919) % 1000);
    }

    String text() {
        return customer + "," + seq + "," + amount;
    }

    static Event parse(String text) {
        String[] f = text.split(",");
        if (f.length < 3) {
            throw new IllegalArgumentException(
                    "Not an event 'customer,seq,amount': '" + text + "'");
        }
        return new Event(f[0], Long.parseLong(f[1]), Long.parseLong(f[2]));
    }
}
