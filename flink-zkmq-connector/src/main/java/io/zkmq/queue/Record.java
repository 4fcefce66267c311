package io.zkmq.queue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.flink.annotation.PublicEvolving;

/**
 * A record as a producer sends it: nullable key and value, ordered headers and a timestamp in epoch
 * milliseconds. Byte arrays are shared, not copied (records are on the hot path): callers must not
 * modify them after handing them over.
 */
@PublicEvolving
public final class Record {
    private final byte[] key;
    private final byte[] value;
    private final List<Header> headers;
    private final long timestamp;

    public Record(byte[] key, byte[] value, List<Header> headers, long timestamp) {
        this.key = key;
        this.value = value;
        this.headers = headers == null ? List.of() : List.copyOf(headers);
        this.timestamp = timestamp;
    }

    public static Record of(byte[] key, byte[] value) {
        return new Record(key, value, List.of(), System.currentTimeMillis());
    }

    public static Record of(String key, String value) {
        return of(
                key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }

    public byte[] key() {
        return key;
    }

    public byte[] value() {
        return value;
    }

    public List<Header> headers() {
        return headers;
    }

    public long timestamp() {
        return timestamp;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Record r
                && timestamp == r.timestamp
                && Arrays.equals(key, r.key)
                && Arrays.equals(value, r.value)
                && headers.equals(r.headers);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(key), Arrays.hashCode(value), headers, timestamp);
    }
}
