package io.zkmq.cli;

/** Counts with their noun in the right number: {@code 1 record}, {@code 2 records}. */
final class Plural {
    private Plural() {}

    static String of(long count, String noun) {
        return count + " " + (count == 1 ? noun : noun + "s");
    }

    /** With thousands separators, as progress shows counts: {@code 12,345 records}. */
    static String grouped(long count, String noun) {
        return String.format("%,d %s", count, count == 1 ? noun : noun + "s");
    }
}
