package io.zkmq.hashing;

import java.util.Comparator;

/**
 * Orders reader ids that are decimal integers, such as Flink subtask indices, by value: {@code "2"}
 * before {@code "10"}. Ids with the same value but different spelling ({@code "7"}, {@code "07"})
 * are then ordered as strings so the order stays total.
 */
final class NumericReaderOrder implements Comparator<String> {

    static final NumericReaderOrder INSTANCE = new NumericReaderOrder();

    private NumericReaderOrder() {}

    @Override
    public int compare(String a, String b) {
        int byValue = Long.compare(parse(a), parse(b));
        return byValue != 0 ? byValue : a.compareTo(b);
    }

    private static long parse(String readerId) {
        try {
            return Long.parseLong(readerId);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "reader id '"
                            + readerId
                            + "' is not a decimal integer; numericOrder() expects ids such as"
                            + " Flink subtask indices \"0\", \"1\", ..., use naturalOrder() for"
                            + " other ids",
                    e);
        }
    }

    @Override
    public String toString() {
        return "numericOrder";
    }
}
