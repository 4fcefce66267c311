package io.zkmq.queue;

/**
 * Unsigned LEB128 varints and zigzag-encoded signed varints, the same encoding as Protocol Buffers,
 * so independent readers can use any protobuf-compatible varint routine.
 */
final class Varints {
    private Varints() {}

    static int sizeOfUnsigned(long value) {
        int size = 1;
        while ((value & ~0x7FL) != 0) {
            value >>>= 7;
            size++;
        }
        return size;
    }

    static int sizeOfSigned(long value) {
        return sizeOfUnsigned(zigzag(value));
    }

    static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static long unzigzag(long value) {
        return (value >>> 1) ^ -(value & 1);
    }

    /** Writes {@code value} at {@code pos}; returns the position after it. */
    static int writeUnsigned(byte[] buf, int pos, long value) {
        while ((value & ~0x7FL) != 0) {
            buf[pos++] = (byte) ((value & 0x7F) | 0x80);
            value >>>= 7;
        }
        buf[pos++] = (byte) value;
        return pos;
    }

    static int writeSigned(byte[] buf, int pos, long value) {
        return writeUnsigned(buf, pos, zigzag(value));
    }
}
